import { describe, expect, it } from 'vitest';
import { holdsFor } from '@perpetua/testkit';

describe('holdsFor', () => {
  it('resolves after the window when the condition held throughout, checking it to the end', async () => {
    const t0 = Date.now();
    let calls = 0;
    await holdsFor(() => (++calls, true), 50, 'always', 5);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(50);
    expect(calls).toBeGreaterThanOrEqual(3);
  });

  it('fails as soon as the condition breaks, naming it, without waiting out the window', async () => {
    const t0 = Date.now();
    let n = 0;
    await expect(holdsFor(async () => ++n < 3, 5_000, 'no second order', 5)).rejects.toThrow(/^no second order stopped holding after \d+ ms \(window 5000 ms\)$/);
    expect(Date.now() - t0).toBeLessThan(2_500);
  });

  it('fails at once when the condition is already false; a function describes the state only then', async () => {
    let described = 0;
    await expect(holdsFor(() => false, 1_000, () => `state ${++described}`)).rejects.toThrow('state 1 stopped holding');
    expect(described).toBe(1);
  });
});
