/**
 * Runs a subscriber's handler without letting it take the bus down: a throw or
 * a rejection is reported and the bus keeps going. The handler is not awaited,
 * so one slow subscriber does not hold up the others.
 */
export function runHandler(subject: string, fn: () => void | Promise<void>, onError?: (subject: string, error: unknown) => void): void {
  try {
    const r = fn();
    if (r && typeof r.catch === 'function') r.catch((e: unknown) => onError?.(subject, e));
  } catch (e) {
    onError?.(subject, e);
  }
}
