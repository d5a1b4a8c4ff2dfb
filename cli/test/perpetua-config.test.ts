import { describe, expect, it } from 'vitest';
import { PerpetuaConfig } from '../src/perpetua-config.js';

describe('PerpetuaConfig venues', () => {
  it('no venues configured: the four simulator venues', () => {
    expect(Object.keys(PerpetuaConfig.parse({}).venues)).toEqual(['binanceusdm', 'bybit', 'okx', 'standx', 'grvt']);
  });

  it('credentials alone for a default venue start from that venue (as the environment gives them)', () => {
    const v = PerpetuaConfig.parse({ venues: { binanceusdm: { apiKey: 'k'.repeat(16), secret: 's'.repeat(16) } } }).venues;
    expect(Object.keys(v)).toEqual(['binanceusdm']);
    expect(v['binanceusdm']).toMatchObject({ kind: 'ccxt', exchange: 'binanceusdm', apiKey: 'k'.repeat(16) });
  });

  it('an entry with its own kind is taken as written; an unknown name without a kind is an error naming it', () => {
    expect(PerpetuaConfig.parse({ venues: { binanceusdm: { kind: 'ccxt', exchange: 'okx' } } }).venues['binanceusdm']).toMatchObject({ exchange: 'okx' });
    const r = PerpetuaConfig.safeParse({ venues: { mybinance: { apiKey: 'x' } } });
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).toContain('mybinance');
  });
});

describe('PerpetuaConfig strategies', () => {
  it('no strategy configured: one default fixed-spread strategy, as before', () => {
    const c = PerpetuaConfig.parse({});
    expect(c.strategies).toHaveLength(1);
    expect(c.strategy).toBe(c.strategies[0]);
    expect(c.strategy.params).toMatchObject({ kind: 'fixed-spread', spread_bps: 2, order_amount: 0.01, order_levels: 1 });
  });

  it('the single strategy: key (with the first config names) is a one-element list', () => {
    const c = PerpetuaConfig.parse({ strategy: { id: 'old', venue: 'bybit', params: { kind: 'fixed-spread', spreadBps: 5, size: '0.02', requoteBps: 3 } } });
    expect(c.strategies.map((s) => s.id)).toEqual(['old']);
    expect(c.strategies[0]!.params).toMatchObject({ spread_bps: 5, order_amount: 0.02, order_refresh_tolerance_pct: 0.03 });
  });

  it('strategies: several instances, ids unique; strategy is the first', () => {
    const two = [
      { id: 'a', venue: 'standx', params: { kind: 'maker-yield' } },
      { id: 'b', venue: 'binanceusdm', params: { kind: 'adaptive', order_amount: 0.01, order_levels: 3 } },
    ];
    const c = PerpetuaConfig.parse({ strategies: two });
    expect(c.strategies.map((s) => [s.id, s.params.kind])).toEqual([['a', 'maker-yield'], ['b', 'adaptive']]);
    expect(c.strategy.id).toBe('a');
    const dup = PerpetuaConfig.safeParse({ strategies: [two[0], { ...two[1], id: 'a' }] });
    expect(dup.success).toBe(false);
    expect(dup.error?.issues[0]?.path).toEqual(['strategies', 1, 'id']);
  });
});
