import type { SimWorldImpl } from '@perpetua/sim';

/**
 * Steps the world as fast as one thread allows for `ms`: one step per event-loop
 * turn, so the façades (which flush once per turn) push one book message per step
 * and their sockets are written between steps. The simulator at full speed, for the
 * benchmarks that measure what is pushed (sim push) or what consumes it (gateway ingest).
 */
export function pumpWorld(world: SimWorldImpl, ms: number): Promise<void> {
  const end = performance.now() + ms;
  return new Promise((resolve) => {
    const turn = () => {
      world.step();
      if (performance.now() < end) setImmediate(turn);
      else setImmediate(resolve);
    };
    turn();
  });
}
