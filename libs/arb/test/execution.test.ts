import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { D, ZERO, dec, type Decimal, type Instrument } from '@perpetua/core';
import { planEntry, offsetByBps } from '../src/execution/arb-entry.js';
import { nextHedgeStep, type HedgeState } from '../src/execution/hedge-rule.js';
import { averagePrice, summariseEpisode } from '../src/execution/episode-summary.js';

const inst = (venue: string, over: Partial<Instrument> = {}): Instrument => ({
  venue,
  symbol: 'BTC-PERP',
  venueSymbol: 'BTCUSDT',
  base: 'BTC',
  quote: 'USDT',
  tickSize: '0.1',
  lotSize: '0.001',
  minQty: '0.001',
  contractSize: '1',
  makerFee: 0.0002,
  takerFee: 0.0004,
  ...over,
});
const opp = { buyVenue: 'a', sellVenue: 'b', buyPrice: 100_000, sellPrice: 100_600, qty: 0.0537 };

describe('planEntry', () => {
  it('sizes both legs alike, floored to both lots and capped by maxQty, with limits slippage past the touch', () => {
    const plan = planEntry(opp, inst('a'), inst('b', { lotSize: '0.01', minQty: '0.01' }), { maxQty: '1', slippageBps: 5 });
    expect(plan).toEqual({ ok: true, buy: { venue: 'a', side: 'buy', price: '100050', qty: '0.05' }, sell: { venue: 'b', side: 'sell', price: '100549.7', qty: '0.05' } });
    const capped = planEntry(opp, inst('a'), inst('b'), { maxQty: '0.02', slippageBps: 0 });
    expect(capped.ok && [capped.buy.qty, capped.sell.qty, capped.buy.price, capped.sell.price]).toEqual(['0.02', '0.02', '100000', '100600']);
  });

  it('snaps limits passively: a buy never above its allowance, a sell never below', () => {
    const plan = planEntry({ ...opp, buyPrice: 100_000.05, sellPrice: 100_600.05 }, inst('a'), inst('b'), { maxQty: '1', slippageBps: 0 });
    expect(plan.ok && [plan.buy.price, plan.sell.price]).toEqual(['100000', '100600.1']);
  });

  it('refuses a size below either venue minimum or notional, naming it', () => {
    expect(planEntry({ ...opp, qty: 0.0005 }, inst('a'), inst('b'), { maxQty: '1', slippageBps: 5 })).toMatchObject({ ok: false, reason: expect.stringContaining('below a venue') });
    expect(planEntry(opp, inst('a'), inst('b', { minQty: '0.1', lotSize: '0.1' }), { maxQty: '1', slippageBps: 5 }).ok).toBe(false);
    expect(planEntry(opp, inst('a', { minNotional: '10000' }), inst('b'), { maxQty: '1', slippageBps: 5 })).toMatchObject({ ok: false, reason: expect.stringContaining("a's minimum 10000") });
  });

  it('refuses when the slippage allowance and both taker fees eat the whole edge', () => {
    // 60 bps gross; fees 8 bps; 2 × 26 bps allowance leaves 0: refused. 2 × 25 bps leaves a little: sent.
    expect(planEntry(opp, inst('a'), inst('b'), { maxQty: '1', slippageBps: 26 })).toMatchObject({ ok: false, reason: expect.stringContaining('would lose') });
    expect(planEntry(opp, inst('a'), inst('b'), { maxQty: '1', slippageBps: 25 }).ok).toBe(true);
  });

  it('offsetByBps is exact', () => {
    expect(offsetByBps(100, 10, 1)).toBe('100.1');
    expect(offsetByBps('0.3', 1, -1)).toBe('0.29997');
  });
});

const state = (bought: string, sold: string, over: Partial<HedgeState> = {}): HedgeState => ({ buyVenue: 'a', sellVenue: 'b', bought: dec(bought), sold: dec(sold), completeTried: false, unwindTries: 0, ...over });
const params = { tolerance: dec('0.001'), maxUnwindTries: 2 };

describe('nextHedgeStep (complete, then unwind)', () => {
  it('is flat within the tolerance, boundary included', () => {
    expect(nextHedgeStep(state('1', '1'), params).kind).toBe('flat');
    expect(nextHedgeStep(state('1.001', '1'), params).kind).toBe('flat');
    expect(nextHedgeStep(state('1.002', '1'), params).kind).not.toBe('flat');
  });

  it('a filled buy with an unfilled sell: sell the excess on the sell venue first, then on the buy venue', () => {
    expect(nextHedgeStep(state('0.05', '0'), params)).toMatchObject({ kind: 'complete', venue: 'b', side: 'sell', qty: dec('0.05') });
    expect(nextHedgeStep(state('0.05', '0', { completeTried: true }), params)).toMatchObject({ kind: 'unwind', venue: 'a', side: 'sell', qty: dec('0.05') });
  });

  it('a filled sell with a short buy: buy the rest on the buy venue first, then buy back on the sell venue', () => {
    expect(nextHedgeStep(state('0.02', '0.05'), params)).toMatchObject({ kind: 'complete', venue: 'a', side: 'buy', qty: dec('0.03') });
    expect(nextHedgeStep(state('0.02', '0.05', { completeTried: true, unwindTries: 1 }), params)).toMatchObject({ kind: 'unwind', venue: 'b', side: 'buy' });
  });

  it('gives up after the unwind tries, reporting the residual', () => {
    expect(nextHedgeStep(state('0.05', '0', { completeTried: true, unwindTries: 2 }), params)).toEqual({ kind: 'give_up', residual: dec('0.05') });
  });

  it('property: trading each step fully always ends flat, never past flat, within one completion', () => {
    const qty = fc.integer({ min: 0, max: 10_000 }).map((n) => dec(String(n / 1000)));
    fc.assert(
      fc.property(qty, qty, fc.boolean(), (b, s, completeFills) => {
        let st: HedgeState = { buyVenue: 'a', sellVenue: 'b', bought: b, sold: s, completeTried: false, unwindTries: 0 };
        for (let i = 0; i < 5; i++) {
          const step = nextHedgeStep(st, { tolerance: ZERO, maxUnwindTries: 3 });
          if (step.kind === 'flat') return step.residual === 0n;
          if (step.kind === 'give_up') return false;
          const filled = step.kind === 'complete' && !completeFills ? ZERO : step.qty;
          st = {
            ...st,
            bought: step.side === 'buy' ? D.add(st.bought, filled) : st.bought,
            sold: step.side === 'sell' ? D.add(st.sold, filled) : st.sold,
            completeTried: true,
            unwindTries: st.unwindTries + (step.kind === 'unwind' ? 1 : 0),
          };
        }
        return false;
      }),
    );
  });
});

const leg = (side: 'buy' | 'sell', qty: string, price: string, fee: string) => ({ side, filledQty: dec(qty), notional: D.mul(dec(qty), dec(price)), fee: dec(fee) });

describe('summariseEpisode', () => {
  it('a complete episode: realized = sells − buys − fees, edge over the buy notional', () => {
    const s = summariseEpisode([leg('buy', '0.05', '100000', '2'), leg('sell', '0.05', '100600', '2.012')], ZERO);
    expect([s.matchedQty, s.residual, s.cashFlow]).toEqual([dec('0.05'), ZERO, dec('25.988')]);
    expect(s.realizedEdge).toBeCloseTo(25.988 / 5000, 12);
  });

  it('an unwound episode counts the unwind: the loss shows in the cash, the residual is zero', () => {
    const s = summariseEpisode([leg('buy', '0.05', '100000', '2'), leg('sell', '0', '100600', '0'), leg('sell', '0.05', '99990', '2')], ZERO);
    expect(s.residual).toBe(ZERO);
    expect(s.cashFlow).toBe(dec('-4.5'));
    expect(s.realizedEdge).toBeLessThan(0);
  });

  it('with exposure left the edge is not called realized', () => {
    const s = summariseEpisode([leg('buy', '0.05', '100000', '2'), leg('sell', '0.01', '100600', '0.4')], dec('0.001'));
    expect(s.residual).toBe(dec('0.04'));
    expect(s.realizedEdge).toBeUndefined();
  });

  it('averagePrice is the VWAP of the fills', () => {
    expect(averagePrice({ filledQty: dec('0.03'), notional: D.add(D.mul(dec('0.01'), dec('100')), D.mul(dec('0.02'), dec('101'))) })).toBe('100.666666666666666667');
    expect(averagePrice({ filledQty: ZERO, notional: ZERO })).toBeUndefined();
  });
});
