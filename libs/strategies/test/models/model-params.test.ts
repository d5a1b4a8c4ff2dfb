import { describe, expect, it } from 'vitest';
import { StrategyModelParams, createPricingModel } from '../../src/model/model-params.js';
import { btc } from '../fixtures.js';

/** The first issue's path, as the runtime's one-line config error names it. */
const firstPath = (raw: unknown) => {
  const r = StrategyModelParams.safeParse(raw);
  return r.success ? undefined : r.error.issues[0]!.path.join('.');
};

describe('strategy model params', () => {
  it('names the key of a bad config', () => {
    expect(firstPath({ kind: 'martingale' })).toBe('kind');
    expect(firstPath({ kind: 'avellaneda-stoikov', risk_factor: 0, order_amount: 1 })).toBe('risk_factor');
    expect(firstPath({ kind: 'glft', risk_factor: -0.1, order_amount: 1 })).toBe('risk_factor');
    expect(firstPath({ kind: 'maker-yield', max_distance_bps: 12 })).toBe('max_distance_bps');
    expect(firstPath({ kind: 'adaptive', order_amount: 1, volatility_estimator: 'garch' })).toBe('volatility_estimator');
    expect(firstPath({ kind: 'adaptive', order_amount: 1, volatility_window: 1 })).toBe('volatility_window');
  });

  it('fills every default and builds each kind', () => {
    const kinds = [
      { kind: 'fixed-spread', order_amount: 1 },
      { kind: 'adaptive', order_amount: 1 },
      { kind: 'avellaneda-stoikov', risk_factor: 0.1, order_amount: 1 },
      { kind: 'glft', risk_factor: 0.1, order_amount: 1 },
      { kind: 'maker-yield' },
    ];
    for (const raw of kinds) {
      const p = StrategyModelParams.parse({ ...raw, order_levels: 2 });
      const m = createPricingModel(p, btc);
      expect(typeof m.quote).toBe('function');
      expect(m.diagnostics()).toBeTypeOf('object');
    }
    expect(StrategyModelParams.parse({ kind: 'avellaneda-stoikov', risk_factor: 0.1, order_amount: 1 })).toMatchObject({
      horizon: 'infinite',
      min_spread: 0,
      order_amount_shape_factor: 0,
      volatility_estimator: 'ewma',
      volatility_window: 60,
      trading_intensity_window_seconds: 600,
    });
    expect(StrategyModelParams.parse({ kind: 'maker-yield' })).toMatchObject({ rule_set: 'sip5a', max_distance_bps: 8, target_distance_bps: 5, requote_margin_bps: 1 });
  });
});
