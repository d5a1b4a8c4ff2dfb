const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Asserts an absence (or an invariant) over a stated window: polls `check`
 * every `everyMs` for `windowMs` and throws at the first poll where it fails,
 * naming `what` (a function is called only then, to describe the state).
 */
export async function observeFor(
  check: () => boolean | Promise<boolean>,
  windowMs: number,
  what: string | (() => string),
  everyMs = 50,
): Promise<void> {
  const end = Date.now() + windowMs;
  for (;;) {
    if (!(await check())) throw new Error(`during the ${windowMs} ms window: ${typeof what === 'string' ? what : what()}`);
    if (Date.now() >= end) return;
    await sleep(everyMs);
  }
}
