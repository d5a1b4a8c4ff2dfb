import { describe, expect, it } from 'vitest';
import { MakerYieldTracker, makerYieldRules } from '../src/index.js';

const H = 3_600_000;

describe('MakerYieldTracker', () => {
  it('counts seconds two-sided within the band and pays per hour by the uptime multiplier', () => {
    const t = new MakerYieldTracker(makerYieldRules('BTC-PERP'));
    // 45 minutes two-sided within 10 bps with 4 BTC a side, 15 minutes one-sided.
    for (let s = 0; s < 3600; s++) t.sample(s * 1000, 100_000, [{ price: 99_950, qty: 4 }], s < 2700 ? [{ price: 100_050, qty: 4 }] : []);
    expect(t.uptimePct()).toBe(75);
    expect(t.makerHours()).toBe(2); // min(4, cap 20) / unit 2 × 1.0
    // The next hour only 35 minutes: 0.5×; quotes outside the band never count.
    for (let s = 0; s < 3600; s++) t.sample(H + s * 1000, 100_000, [{ price: s < 2100 ? 99_950 : 99_000, qty: 4 }], [{ price: 100_050, qty: 4 }]);
    expect(t.makerHours()).toBe(3);
  });
});
