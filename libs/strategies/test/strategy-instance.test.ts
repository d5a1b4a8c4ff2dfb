import { describe, expect, it } from 'vitest';
import { SimulatedClock, type BookMessage, type Instrument, type OrderEvent, type PositionMessage } from '@perpetua/core';
import { StrategyInstance, StrategyParams, YieldTracker, allowanceFor, hygieneOf, sip5a, type LevelZero, type PricingModel } from '../src/index.js';

const INSTRUMENT: Instrument = {
  venue: 'sim',
  symbol: 'BTC-PERP',
  venueSymbol: 'BTCUSDT',
  base: 'BTC',
  quote: 'USDT',
  tickSize: '0.1',
  lotSize: '0.001',
  minQty: '0.001',
  contractSize: '1',
  makerFee: 0,
  takerFee: 0,
};

const book = (mid: number, seq = 1, stale = false): BookMessage => ({
  venue: 'sim',
  symbol: 'BTC-PERP',
  seq,
  bids: [[mid - 0.5, 1]],
  asks: [[mid + 0.5, 1]],
  tsExchange: 0,
  tsReceived: 0,
  tsPublished: 0,
  stale,
});

const event = (slot: string, id: string, side: 'buy' | 'sell', price: string, status: OrderEvent['status'] = 'new', filledQty = '0'): OrderEvent => ({
  venue: 'sim',
  account: 'a',
  symbol: 'BTC-PERP',
  clientOrderId: id,
  side,
  price,
  qty: '0.01',
  filledQty,
  status,
  ts: 0,
  strategy: 's1',
  slot,
});

/** A model quoting mid ± 10 bps, whose accepts() the test sets. */
class TestModel implements PricingModel {
  accept = true;
  onMarketEvent(): void {}
  quote(ctx: { mid: number }): LevelZero {
    return { bid: { price: ctx.mid * 0.999, size: 0.01 }, ask: { price: ctx.mid * 1.001, size: 0.01 } };
  }
  accepts(): boolean {
    return this.accept;
  }
  diagnostics(): Record<string, number> {
    return {};
  }
}

function make(params: Record<string, unknown> = {}, maxPosition = '1') {
  const clock = new SimulatedClock(0);
  const model = new TestModel();
  const hygiene = hygieneOf(StrategyParams.parse({ kind: 'fixed-spread', spreadBps: 10, size: '0.01', ...params }));
  const s = new StrategyInstance({ id: 's1', venue: 'sim', account: 'a', symbol: 'BTC-PERP', kind: 'test' }, { model, instrument: INSTRUMENT, clock, hygiene, maxPosition });
  const at = (ts: number) => void clock.advanceTo(ts);
  return { s, clock, model, at };
}

const prices = (d: { quotes: { slot: string; price: string }[] } | null) => d?.quotes.map((q) => `${q.slot}:${q.price}`);

describe('strategy instance', () => {
  it('quotes on the first usable book, pulls on a stale one', () => {
    const { s, at } = make();
    at(1_000);
    expect(prices(s.onBook(book(100_000)))).toEqual(['bid-0:99900', 'ask-0:100100']);
    at(1_100);
    const pulled = s.onBook(book(100_000, 2, true));
    expect(pulled).toMatchObject({ quotes: [], reason: 'structure', mid: undefined });
  });

  it('refresh tolerance: a move within it keeps the resting orders; beyond it, a requote once the refresh time passed', () => {
    const { s, at } = make({ order_refresh_tolerance_pct: 0.05, order_refresh_time: 2 });
    at(1_000);
    s.onBook(book(100_000));
    s.onOrderEvent(event('bid-0', 'b', 'buy', '99900'));
    s.onOrderEvent(event('ask-0', 'a', 'sell', '100100'));
    at(4_000);
    expect(s.onBook(book(100_040, 2))).toBeNull(); // 0.04% < 0.05%
    at(4_100);
    expect(prices(s.onBook(book(100_060, 3)))).toEqual(['bid-0:99959.9', 'ask-0:100160.1']); // 0.06%
    at(4_200);
    // 0.1% further, but within 2 s of the last set: waits for the refresh time, then goes on a tick.
    expect(s.onBook(book(100_160, 4))).toBeNull();
    at(6_099);
    expect(s.onTimer()).toBeNull();
    at(6_100);
    expect(s.onTimer()).toMatchObject({ reason: 'drift' });
  });

  it('a model that refuses what rests forces a requote at once', () => {
    const { s, model, at } = make({ order_refresh_time: 60, order_refresh_tolerance_pct: 1 });
    at(1_000);
    s.onBook(book(100_000));
    s.onOrderEvent(event('bid-0', 'b', 'buy', '99900'));
    at(1_500);
    expect(s.onBook(book(100_010, 2))).toBeNull();
    model.accept = false;
    expect(s.onBook(book(100_020, 3))).toMatchObject({ reason: 'model' });
  });

  it('fill cool-down: the side that filled stays off for filled_order_delay, the other side stays', () => {
    const { s, at } = make({ filled_order_delay: 5 });
    at(1_000);
    s.onBook(book(100_000));
    s.onOrderEvent(event('bid-0', 'b', 'buy', '99900'));
    at(2_000);
    const d = s.onOrderEvent(event('bid-0', 'b', 'buy', '99900', 'filled', '0.01'));
    expect(prices(d)).toEqual(['ask-0:100100']);
    at(6_999);
    expect(s.onTimer()).toBeNull();
    at(7_000);
    expect(prices(s.onTimer())).toEqual(['bid-0:99900', 'ask-0:100100']);
  });

  it('a venue-cancelled quote is asked for again; a replaced order closing is not', () => {
    const { s, at } = make({ order_refresh_time: 1 });
    at(1_000);
    s.onBook(book(100_000));
    s.onOrderEvent(event('bid-0', 'b', 'buy', '99900'));
    at(1_100);
    // Cancelled by the venue at the published price: gone; re-asked once the refresh time passed.
    expect(s.onOrderEvent(event('bid-0', 'b', 'buy', '99900', 'canceled'))).toBeNull();
    at(2_000);
    expect(s.onTimer()).toMatchObject({ reason: 'gone' });
    at(3_100);
    s.onBook(book(100_500, 2)); // requote to new prices
    at(3_200);
    expect(s.onOrderEvent(event('bid-0', 'b', 'buy', '99900', 'canceled'))).toBeNull();
    at(9_000);
    expect(s.onTimer()).toBeNull();
  });

  it('max_order_age: an order resting too long gets a fresh slot, so the router replaces it', () => {
    const { s, at } = make({ max_order_age: 10 });
    at(1_000);
    s.onBook(book(100_000));
    s.onOrderEvent(event('bid-0', 'b', 'buy', '99900'));
    at(10_999);
    expect(s.onTimer()).toBeNull();
    at(11_000);
    expect(s.onTimer()?.quotes.map((q) => q.slot)).toEqual(['bid-0-r', 'ask-0']);
    at(12_000);
    expect(s.onTimer()).toBeNull(); // the same old order is not aged twice
  });

  it('the position caps the side that would grow it', () => {
    const { s, at } = make({}, '0.015');
    at(1_000);
    s.onBook(book(100_000));
    const pos: PositionMessage = { venue: 'sim', account: 'a', symbol: 'BTC-PERP', qty: '0.01', avgEntry: '100000', realizedPnl: '0', fees: '0', funding: '0', fills: 1, ts: 0 };
    expect(s.onPosition(pos)?.quotes.map((q) => `${q.side}:${q.qty}`)).toEqual(['buy:0.005', 'sell:0.01']);
    expect(s.onPosition({ ...pos, venue: 'other' })).toBeNull();
  });

  it('a quote asked for and not yet confirmed keeps its asked price within the tolerance when the set is republished for another slot', () => {
    const { s, at } = make({ order_refresh_time: 0, order_refresh_tolerance_pct: 0.05 });
    at(1_000);
    s.onBook(book(100_000)); // bid-0 99900 and ask-0 100100 asked, neither confirmed yet
    s.onOrderEvent(event('ask-0', 'a', 'sell', '100100'));
    at(1_100);
    // The ask fills: the set goes again at once; the bid, still on its way, keeps 99900 though the mid moved 2 bps.
    s.onBook(book(100_020, 2));
    expect(prices(s.onOrderEvent(event('ask-0', 'a', 'sell', '100100', 'filled', '0.01')))).toEqual(['bid-0:99900', 'ask-0:100120.1']);
  });

  it("sizes against where risk may see the position: an order event's fill before its fill message, and fills risk has not reported yet", () => {
    const { s, at } = make({}, '0.015');
    at(1_000);
    s.onBook(book(100_000));
    s.onOrderEvent(event('bid-0', 'b', 'buy', '99900'));
    s.onOrderEvent(event('ask-0', 'a', 'sell', '100100'));
    at(1_100);
    // The venue says the bid filled; its fill message has not come: long 0.01 already, 0.005 left to buy.
    const d = s.onOrderEvent(event('bid-0', 'b', 'buy', '99900', 'filled', '0.01'));
    expect(d?.quotes.map((q) => `${q.side}:${q.qty}`)).toEqual(['buy:0.005', 'sell:0.01']);
    at(1_200);
    const fill = { fillId: 'f1', venue: 'sim', account: 'a', symbol: 'BTC-PERP', clientOrderId: 'b', side: 'buy' as const, price: '99900', qty: '0.01', fee: '0', liquidity: 'maker' as const, tsExchange: 0, tsReceived: 0 };
    expect(s.onFill(fill)).toBeNull(); // the fill message books it: nothing changes
    at(1_300);
    // Risk reports the position before the fill (it books fills after the strategy hears of them): still 0.005.
    const pos: PositionMessage = { venue: 'sim', account: 'a', symbol: 'BTC-PERP', qty: '0', avgEntry: '0', realizedPnl: '0', fees: '0', funding: '0', fills: 0, ts: 0 };
    expect(s.onPosition(pos)?.quotes.filter((q) => q.side === 'buy').map((q) => q.qty) ?? ['0.005']).toEqual(['0.005']);
  });

  it('the yield tracker counts from the first order of ours the venue confirms, or from 5 s after the first book without one', () => {
    const run = (confirm: boolean) => {
      const clock = new SimulatedClock(0);
      const hygiene = hygieneOf(StrategyParams.parse({ kind: 'fixed-spread', spreadBps: 10, size: '0.01' }));
      const yieldTracker = new YieldTracker({ strategyId: 's1', venue: 'sim', symbol: 'BTC-PERP', rules: sip5a, allowance: allowanceFor(sip5a, 'BTC')!, awaitBegin: true });
      const s = new StrategyInstance({ id: 's1', venue: 'sim', account: 'a', symbol: 'BTC-PERP', kind: 'test' }, { model: new TestModel(), instrument: INSTRUMENT, clock, hygiene, maxPosition: '1', yieldTracker });
      clock.advanceTo(1_000);
      s.onMark({ venue: 'sim', symbol: 'BTC-PERP', markPrice: 100_000, tsExchange: 0, tsReceived: 0, tsPublished: 0 });
      s.onBook(book(100_000));
      clock.advanceTo(2_300);
      if (confirm) s.onOrderEvent(event('bid-0', 'b', 'buy', '99900'));
      clock.advanceTo(9_500);
      s.onTimer();
      return s.yieldReport()!.hour;
    };
    expect(run(true)).toMatchObject({ sampledSeconds: 6, upSeconds: 0 }); // 4 s to 9 s: the first whole second a second after 2.3 s; one-sided
    expect(run(false)).toMatchObject({ sampledSeconds: 3, upSeconds: 0 }); // 7 s to 9 s: a second after 1 s + 5 s
  });

  it('volatility pause with hysteresis: pulls above the pause level, quotes again only below the resume level', () => {
    const { s, at } = make({ volatility_pause_bps: 20, volatility_resume_bps: 5, volatility_pause_window: 5 });
    let t = 1_000;
    let mid = 100_000;
    at(t);
    s.onBook(book(mid));
    // Swing ±0.5% a second: far above 20 bps.
    for (let i = 0; i < 4; i++) {
      t += 1_000;
      mid = i % 2 === 0 ? 100_500 : 99_500;
      at(t);
      s.onBook(book(mid, i + 2));
    }
    expect(s.snapshot().paused).toBe(true);
    t += 1_000;
    at(t);
    expect(s.onBook(book(100_000, 10))).toBeNull(); // still paused: nothing wanted, already pulled
    // Calm: once the window has forgotten the swings, quoting resumes.
    let resumed = null;
    for (let i = 0; i < 8 && !resumed; i++) {
      t += 1_000;
      at(t);
      resumed = s.onBook(book(100_000, 20 + i));
    }
    expect(resumed?.quotes).toHaveLength(2);
    expect(s.snapshot().pausedSec).toBeGreaterThan(0);
  });
});

describe('make_before_break', () => {
  it('make_before_break: a quote neither confirmed nor closed a second after it was asked (risk may have refused it) is asked again', () => {
    const { s, at } = make({ make_before_break: true, order_refresh_time: 60, order_refresh_tolerance_pct: 1 });
    at(1_000);
    s.onBook(book(100_000));
    s.onOrderEvent(event('bid-0', 'b', 'buy', '99900')); // the ask never shows up
    at(1_999);
    expect(s.onTimer()).toBeNull();
    at(2_000);
    expect(s.onTimer()).toMatchObject({ reason: 'gone', quotes: [{ slot: 'bid-0', price: '99900' }, { slot: 'ask-0', price: '100100' }] });
    at(2_500);
    expect(s.onTimer()).toBeNull(); // at most once a second
    s.onOrderEvent(event('ask-0', 'a', 'sell', '100100'));
    at(9_000);
    expect(s.onTimer()).toBeNull(); // both rest: nothing to ask again
  });

  it('a moved quote takes the slot its other name, an unmoved one keeps its slot; off, the slot stays', () => {
    for (const on of [true, false]) {
      const { s, at } = make({ make_before_break: on, order_refresh_time: 0 });
      at(1_000);
      s.onBook(book(100_000));
      s.onOrderEvent(event('bid-0', 'b', 'buy', '99900'));
      at(2_000);
      const d = s.onBook(book(100_100, 2));
      // The bid rested and moved: renamed when on. The ask is still on its way (the router may be placing it): renamed too.
      expect(d?.quotes.map((q) => q.slot)).toEqual(on ? ['bid-0-r', 'ask-0-r'] : ['bid-0', 'ask-0']);
    }
  });
});
