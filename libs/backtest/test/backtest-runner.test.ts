import { describe, expect, it } from 'vitest';
import { Instrument, type DepthMessage, type Fill, type OrderEvent, type TradeMessage, type WantedQuote } from '@perpetua/core';
import { constantLatency, feeTierOf, riskAverseQueue } from '@perpetua/fills';
import { StrategyParams } from '@perpetua/strategies';
import { BacktestRunner, renderHtmlReport, runBacktest, type BacktestStrategy, type ReplayEvent } from '../src/index.js';

const INST = Instrument.parse({ venue: 'v', symbol: 'BTC-PERP', venueSymbol: 'BTC', base: 'BTC', quote: 'USD', tickSize: '0.1', lotSize: '0.001', minQty: '0.001', makerFee: -0.0001, takerFee: 0.0005 });

const depth = (t: number, bids: Array<[number, number]>, asks: Array<[number, number]>, type: 'snapshot' | 'delta' = 'snapshot'): ReplayEvent => ({ kind: 'depth', msg: { venue: 'v', symbol: 'BTC-PERP', type, bids, asks, venueSeq: t, tsExchange: t, tsReceived: t + 5 } satisfies DepthMessage });
const trade = (t: number, price: number, size: number, side: 'buy' | 'sell'): ReplayEvent => ({ kind: 'trade', msg: { venue: 'v', symbol: 'BTC-PERP', tradeId: `t${t}`, price, size, side, tsExchange: t, tsReceived: t + 5, tsPublished: t + 5 } satisfies TradeMessage });

/** A strategy that wants one bid at 100 from the first book on, and records what it hears and when. */
function scripted(now: () => number) {
  const heard: string[] = [];
  let quoted = false;
  const want: WantedQuote[] = [{ slot: 'bid-0', side: 'buy', price: '100', qty: '1', postOnly: true }];
  const s: BacktestStrategy = {
    onBook: (b) => {
      heard.push(`${now()} book ${b.bids[0]?.[0]}`);
      if (quoted) return null;
      quoted = true;
      return want;
    },
    onTrade: () => null,
    onMark: () => null,
    onOrderEvent: (e: OrderEvent) => (heard.push(`${now()} order ${e.status} ${e.slot} ${e.strategy}`), null),
    onFill: (f: Fill) => (heard.push(`${now()} fill ${f.qty}@${f.price} ${f.fee}`), null),
    onTimer: () => null,
    pausedMs: () => 0,
  };
  return { s, heard };
}

describe('BacktestRunner', () => {
  it('plays the venue side at the venue time and the strategy at receive time, with the queue, latency and fees', () => {
    let heard: string[] = [];
    const runner = new BacktestRunner(
      { venue: 'v', symbol: 'BTC-PERP', account: 'a', strategyId: 'mm', instrument: INST, risk: { maxPosition: '5', maxOrderSize: '2' }, queue: riskAverseQueue, latency: constantLatency({ entryMs: 10, responseMs: 3 }), fees: feeTierOf(INST) },
      (clock) => {
        const x = scripted(() => clock.now());
        heard = x.heard;
        return x.s;
      },
    );
    runner.onEvent(depth(1000, [[100, 5]], [[100.2, 5]])); // seen at 1005, order sent at 1005, at the venue at 1015
    runner.onEvent(depth(1010, [[100, 8]], [[100.2, 5]], 'delta')); // 3 more join before our order arrives
    runner.onEvent(trade(1020, 100, 6, 'sell')); // arrives at 1015 behind 8: 2 left ahead
    runner.onEvent(trade(1030, 100, 2.5, 'sell')); // 0.5 reaches us
    runner.onEvent(trade(1040, 100, 5, 'sell')); // the rest
    const { report } = runner.finish();
    expect(heard).toEqual([
      '1005 book 100',
      '1015 book 100',
      '1018 order new bid-0 mm',
      '1033 fill 0.5@100 -0.005',
      '1033 order partially_filled bid-0 mm',
      '1043 fill 0.5@100 -0.005',
      '1043 order filled bid-0 mm',
    ]);
    // The filled slot is still wanted, so the router places it again, as live.
    expect(report).toMatchObject({ fills: 2, ordersPlaced: 2, fillRate: 0.5, volume: '100', inventory: { final: '1' }, pnl: { rebates: '0.01', fees: '0', realized: '0' } });
  });

  it('a simulated world gives the same report and the same HTML bytes twice; another seed differs', async () => {
    const setup = (seed: number) => ({
      source: { kind: 'sim' as const, seed, hours: 0.01 },
      strategy: { id: 'mm', venue: 'binanceusdm', account: 'bt', symbol: 'BTC-PERP', params: StrategyParams.parse({ kind: 'fixed-spread', spread_bps: 2, order_amount: 0.01 }) },
      risk: { maxPosition: '0.5', maxOrderSize: '0.1' },
    });
    const assets = { js: '/* uPlot */', css: '' };
    const a = await runBacktest(setup(7));
    const b = await runBacktest(setup(7));
    expect(JSON.stringify(b.report)).toBe(JSON.stringify(a.report));
    expect(renderHtmlReport(b, assets)).toBe(renderHtmlReport(a, assets));
    expect(a.report.events).toBeGreaterThan(100);
    expect(a.report.fills).toBeGreaterThan(0);
    const c = await runBacktest(setup(8));
    expect(JSON.stringify(c.report)).not.toBe(JSON.stringify(a.report));
  }, 60_000);
});
