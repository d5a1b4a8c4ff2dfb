import { describe, expect, it } from 'vitest';
import { waitUntil } from '@perpetua/testkit';

describe('waitUntil', () => {
  it('resolves at once with 0-ish ms when the condition already holds', async () => {
    expect(await waitUntil(() => true, 1_000, 'nothing')).toBeLessThan(50);
  });

  it('polls a sync or async condition until it holds and resolves with the time it took', async () => {
    const t0 = Date.now();
    let calls = 0;
    const took = await waitUntil(async () => ++calls >= 3 && Date.now() - t0 >= 30, 2_000, 'three calls', 5);
    expect(calls).toBeGreaterThanOrEqual(3);
    expect(took).toBeGreaterThanOrEqual(30);
  });

  it('throws naming the wait and its timeout; a function describes the state only on failure', async () => {
    await expect(waitUntil(() => false, 30, 'the impossible')).rejects.toThrow('timed out after 30 ms waiting for the impossible');
    let described = 0;
    const what = (): string => `state ${++described}`;
    await expect(waitUntil(() => false, 30, what)).rejects.toThrow('timed out after 30 ms waiting for state 1');
    expect(described).toBe(1);
  });
});
