import { describe, expect, it } from 'vitest';
import { Instrument } from '@perpetua/core';
import { constantLatency, feeTierOf, queueModelFromSpec } from '@perpetua/fills';
import { StrategyInstance, StrategyParams, createModel, hygieneOf, type PricingModel } from '@perpetua/strategies';
import { BacktestRunner, backtestStrategyOf, type BacktestStrategy, type ReplayEvent } from '../src/index.js';

/**
 * A stateless model lets the strategy skip deciding on a book whose touch did not move (strategy-instance.ts,
 * quietHolds). The same model with the flag hidden decides on every book: both backtests must be equal in every
 * figure and every sample, under hygiene whose clocks (refresh, re-ask, cool-down, order age) run out mid-run.
 */
const HYGIENES: Record<string, Record<string, unknown>> = {
  defaults: {},
  clocks: { order_refresh_time: 2, order_refresh_tolerance_pct: 0.01, filled_order_delay: 1.5, max_order_age: 3, order_levels: 2 },
  beforeBreak: { make_before_break: true, max_order_age: 2, order_levels: 2, order_refresh_time: 0.5 },
};

function run(events: readonly ReplayEvent[], inst: Instrument, hygiene: Record<string, unknown>, hideStateless: boolean) {
  const params = StrategyParams.parse({ kind: 'fixed-spread', spread_bps: 1.5, order_amount: 0.01, max_position: 0.05, ...hygiene });
  const runner = new BacktestRunner(
    { venue: 'q', symbol: 'BTC-PERP', account: 'bt', strategyId: 'mm', instrument: inst, risk: { maxPosition: '0.05', maxOrderSize: '0.1' }, queue: queueModelFromSpec('power:2'), latency: constantLatency({ entryMs: 10 }), fees: feeTierOf(inst) },
    (clock): BacktestStrategy => {
      const model = createModel(params, inst);
      expect(model.stateless).toBe(true);
      // The same model, not saying it is stateless: every book is decided on.
      const plain: PricingModel = { onMarketEvent: (e) => model.onMarketEvent(e), quote: (c) => model.quote(c), diagnostics: () => model.diagnostics() };
      const instance = new StrategyInstance({ id: 'mm', venue: 'q', account: 'bt', symbol: 'BTC-PERP', kind: params.kind }, { model: hideStateless ? plain : model, instrument: inst, clock, hygiene: hygieneOf(params), maxPosition: '0.05' });
      return backtestStrategyOf(instance);
    },
  );
  for (const e of events) runner.onEvent(e);
  return runner.finish();
}

/**
 * A market whose touch mostly stays put (depth changes below it, as on a busy venue), with trades through our
 * quotes now and then (fills, cool-downs) and gaps of up to a few hundred ms between events, so the hygiene's
 * clocks run out between books that leave the touch alone. Seeded: the same stream every run.
 */
function quietMarket(events: number, seed: number): { instrument: Instrument; events: ReplayEvent[] } {
  let x = seed;
  const rand = () => ((x = (x * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const instrument = Instrument.parse({ venue: 'q', symbol: 'BTC-PERP', venueSymbol: 'BTC', base: 'BTC', quote: 'USD', tickSize: '0.1', lotSize: '0.001', minQty: '0.001', makerFee: 0.0001, takerFee: 0.0005 });
  const px = (tick: number) => Number((tick / 10).toFixed(1));
  const size = () => Number((0.1 + rand() * 3).toFixed(3));
  let mid = 1_000_000; // ticks: 100,000.0
  let t = 1_700_000_000_000;
  let seq = 0;
  const out: ReplayEvent[] = [];
  const snapshot = () => {
    const bids = Array.from({ length: 30 }, (_, i): [number, number] => [px(mid - 1 - i), size()]);
    const asks = Array.from({ length: 30 }, (_, i): [number, number] => [px(mid + 1 + i), size()]);
    out.push({ kind: 'depth', msg: { venue: 'q', symbol: 'BTC-PERP', type: 'snapshot', bids, asks, venueSeq: ++seq, tsExchange: t, tsReceived: t + 5 } });
  };
  snapshot();
  for (let i = 0; i < events; i++) {
    t += 1 + Math.floor(rand() * (rand() < 0.1 ? 900 : 120));
    const r = rand();
    if (r < 0.04) {
      mid += rand() < 0.5 ? -1 : 1; // the touch moves
      snapshot();
    } else if (r < 0.1) {
      // A taker sweeping through where our quotes rest (1.5 bps ≈ 150 ticks from the mid).
      const sell = rand() < 0.5;
      out.push({ kind: 'trade', msg: { venue: 'q', symbol: 'BTC-PERP', tradeId: `q${i}`, price: px(sell ? mid - 200 : mid + 200), size: 0.02, side: sell ? 'sell' : 'buy', tsExchange: t, tsReceived: t + 5, tsPublished: t + 5 } });
    } else {
      const bid = rand() < 0.5;
      const level: [number, number] = [px(bid ? mid - 2 - Math.floor(rand() * 20) : mid + 2 + Math.floor(rand() * 20)), rand() < 0.2 ? 0 : size()];
      out.push({ kind: 'depth', msg: { venue: 'q', symbol: 'BTC-PERP', type: 'delta', bids: bid ? [level] : [], asks: bid ? [] : [level], venueSeq: ++seq, tsExchange: t, tsReceived: t + 5 } });
    }
  }
  return { instrument, events: out };
}

describe('books that leave the touch where it was', () => {
  const market = quietMarket(40_000, 5);

  for (const [name, hygiene] of Object.entries(HYGIENES)) {
    it(`a stateless model's backtest equals the one deciding on every book (${name})`, () => {
      const skipping = run(market.events, market.instrument, hygiene, false);
      const deciding = run(market.events, market.instrument, hygiene, true);
      expect(skipping.report.ordersPlaced).toBeGreaterThan(100);
      expect(skipping.report.fills).toBeGreaterThan(20);
      expect(JSON.stringify(skipping)).toBe(JSON.stringify(deciding));
    }, 60_000);
  }
});
