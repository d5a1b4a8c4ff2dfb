const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Polls `cond` (sync or async) every `everyMs` until it holds; resolves with the
 * ms it took. Throws `timed out after <timeoutMs> ms waiting for <what>` once the
 * deadline has passed (`what` may be a function, called only then, to describe
 * the state at the time of failure).
 */
export async function waitUntil(
  cond: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string | (() => string),
  everyMs = 10,
): Promise<number> {
  const t0 = Date.now();
  const deadline = t0 + timeoutMs;
  for (;;) {
    if (await cond()) return Date.now() - t0;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}`);
    await sleep(everyMs);
  }
}
