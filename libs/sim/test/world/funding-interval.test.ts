import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';

/** startSimulator's fundingIntervalMs: every venue settles funding that often (tests hold a position across several). */
describe('simulator funding interval', () => {
  const sims: RunningSimulator[] = [];
  afterEach(async () => {
    for (const s of sims.splice(0)) await s.close();
  });

  it('applies to every venue served, and refuses a non-positive interval', async () => {
    const sim = await startSimulator({ venues: ['binanceusdm', 'grvt'], fundingIntervalMs: 500, admin: false });
    sims.push(sim);
    for (const v of ['binanceusdm', 'grvt']) {
      const engine = sim.world.venue(v);
      expect(engine.config.fundingIntervalMs).toBe(500);
      const mark = engine.mark('BTC-PERP');
      expect(mark.nextFundingTime - sim.world.now()).toBeLessThanOrEqual(500);
    }
    await expect(startSimulator({ venues: ['grvt'], fundingIntervalMs: 0, admin: false })).rejects.toThrow(/fundingIntervalMs/);
  });
});
