/** Bounded polling helpers for the fault tests. */
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Resolves once `cond()` holds; rejects after `timeoutMs`. */
export async function waitFor(cond: () => boolean, timeoutMs = 3_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(2);
  }
}

/** Steps the world every `everyMs` until `cond()` holds (bounded). */
export async function stepUntil(world: { step(): void }, cond: () => boolean, timeoutMs = 5_000, everyMs = 5, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out stepping the world for ${what}`);
    world.step();
    await sleep(everyMs);
  }
}

/** Steps the world every `everyMs` for `ms` of wall time. */
export async function stepFor(world: { step(): void }, ms: number, everyMs = 10): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    world.step();
    await sleep(everyMs);
  }
}
