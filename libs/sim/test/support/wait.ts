/** Bounded polling and world-stepping helpers for the simulator's tests. */
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Resolves once `cond()` holds; rejects after `timeoutMs`. */
export async function waitFor(cond: () => boolean, timeoutMs = 3_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(2);
  }
}

/** Steps the world every `everyMs` until `p` settles (bounded), and returns its value. */
export async function stepUntilSettled<T>(world: { step(): void }, p: Promise<T>, timeoutMs = 5_000, everyMs = 5): Promise<T> {
  let done = false;
  const settled = p.finally(() => {
    done = true;
  });
  const deadline = Date.now() + timeoutMs;
  while (!done) {
    if (Date.now() > deadline) throw new Error('timed out stepping the world');
    world.step();
    await Promise.race([settled.catch(() => undefined), sleep(everyMs)]);
  }
  return settled;
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
