/**
 * Asks the venue about an order whose outcome was lost until one query answers: a bounded number of tries
 * with a growing pause. An answer (even "not found") is known; no answer after every try (or a stop) is not,
 * and the caller keeps the order as unknown rather than guessing. Never re-sends the request itself.
 */
export async function retryUntilKnown<T>(query: () => Promise<T>, options: RetryUntilKnownOptions): Promise<KnownOutcome<T>> {
  const tries = options.tries ?? 3;
  const pauseMs = options.pauseMs ?? 250;
  for (let attempt = 1; attempt <= tries && !(options.stopped?.() ?? false); attempt++) {
    try {
      return { known: true, value: await query() };
    } catch (err) {
      options.onError?.(err, attempt);
      if (attempt < tries) await options.sleep(pauseMs * attempt);
    }
  }
  return { known: false };
}

/** A sleep the caller injects (a timer in production, anything faster in a test). */
export type Sleep = (ms: number) => Promise<void>;

export interface RetryUntilKnownOptions {
  /** Queries at most (default 3). */
  tries?: number;
  /** The pause before retry n is pauseMs × n (default 250 ms). */
  pauseMs?: number;
  sleep: Sleep;
  /** Checked before each try: a stopping router asks no more. */
  stopped?: () => boolean;
  /** Called with each failed try (count it, log it). */
  onError?: (err: unknown, attempt: number) => void;
}

export type KnownOutcome<T> = { known: true; value: T } | { known: false };
