import { describe, expect, it } from 'vitest';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { waitUntil } from '@perpetua/testkit';
import { createMetrics } from '../src/metrics.js';

/** A full collection on demand: expose V8's gc() to a fresh context (the test runner starts without --expose-gc). */
function fullGc(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

const gauge = async (registry: ReturnType<typeof createMetrics>): Promise<number> => {
  const m = await registry.getSingleMetric('perpetua_nodejs_heap_live_bytes')!.get();
  return m.values[0]?.value ?? 0;
};

describe('perpetua_nodejs_heap_live_bytes: the heap in use right after the last major GC', () => {
  it('is set by a full collection and stays below the heap in use as garbage piles up', async () => {
    const registry = createMetrics({ service: 'test' });
    fullGc();
    await waitUntil(async () => (await gauge(registry)) > 0, 5_000, 'a major GC to be observed');
    const live = await gauge(registry);
    let garbage: unknown[] = [];
    for (let i = 0; i < 200_000; i++) garbage.push({ i, s: `x${i}` }); // kept until the next collection
    garbage = [];
    expect(live).toBeLessThan(process.memoryUsage().heapUsed);
    expect(garbage).toHaveLength(0);
  });
});
