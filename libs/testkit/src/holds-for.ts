const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Asserts an absence (or any invariant) over a stated window: polls `cond`
 * every `everyMs` for `windowMs` and throws `<what> stopped holding after <n> ms`
 * the first time it is false, so a violation fails at once rather than at the
 * end. The window is the claim a test makes ("no second order within 300 ms"),
 * stated where it is made, instead of a bare sleep before an assertion.
 */
export async function holdsFor(cond: () => boolean | Promise<boolean>, windowMs: number, what: string | (() => string), everyMs = 10): Promise<void> {
  const t0 = Date.now();
  const end = t0 + windowMs;
  for (;;) {
    if (!(await cond())) throw new Error(`${typeof what === 'string' ? what : what()} stopped holding after ${Date.now() - t0} ms (window ${windowMs} ms)`);
    if (Date.now() >= end) return;
    await sleep(Math.min(everyMs, Math.max(0, end - Date.now())));
  }
}
