import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { InProcessBus } from '@perpetua/bus';
import { QuoteIntent, SimulatedClock, subjects, type Subject, type BookMessage, type Fill, type Instrument, type OrderEvent, type WantedQuote } from '@perpetua/core';
import { StrategyParams } from '@perpetua/strategies';
import { QuoterService } from '../src/quoter-service.js';

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
  makerFee: 0.0002,
  takerFee: 0.0005,
};

const book = (seq: number, bid: number, ask: number, ts: number): BookMessage => ({
  venue: 'sim',
  symbol: 'BTC-PERP',
  seq,
  bids: [[bid, 1]],
  asks: [[ask, 1]],
  tsExchange: ts,
  tsReceived: ts,
  tsPublished: ts,
  stale: false,
});

const resting = (slot: string, id: string, side: 'buy' | 'sell', price: string, ts: number, status: OrderEvent['status'] = 'new', filledQty = '0'): OrderEvent => ({
  venue: 'sim',
  account: 'acct',
  symbol: 'BTC-PERP',
  clientOrderId: id,
  side,
  price,
  qty: '0.01',
  filledQty,
  status,
  ts,
  strategy: 'mm',
  slot,
});

const fill = (id: string, side: 'buy' | 'sell', price: string, ts: number): Fill => ({
  fillId: `f-${id}`,
  venue: 'sim',
  account: 'acct',
  symbol: 'BTC-PERP',
  clientOrderId: id,
  side,
  price,
  qty: '0.01',
  fee: '0.2',
  liquidity: 'maker',
  tsExchange: ts,
  tsReceived: ts,
});

type Step = { ts: number; publish: (bus: InProcessBus) => void };

/** One scripted message, checked against its subject's schema when written. */
const at = <T, I>(ts: number, subject: Subject<T, I>, message: NoInfer<I>): Step => ({ ts, publish: (bus) => bus.publish(subject, message) });

/** The script: a book, a small move (within tolerance), confirmations, a fill and its cool-down, a larger move. */
const SCRIPT: Step[] = [
  at(1_000, subjects.book('sim', 'BTC-PERP'), book(1, 100_000, 100_001, 1_000)),
  at(1_100, subjects.book('sim', 'BTC-PERP'), book(2, 100_001, 100_002, 1_100)),
  at(1_200, subjects.orderEvent('sim'), resting('bid-0', 'o1', 'buy', '99900.4', 1_200)),
  at(1_200, subjects.orderEvent('sim'), resting('ask-0', 'o2', 'sell', '100100.6', 1_200)),
  at(2_000, subjects.orderEvent('sim'), resting('bid-0', 'o1', 'buy', '99900.4', 2_000, 'filled', '0.01')),
  at(2_000, subjects.fill('sim', 'BTC-PERP'), fill('o1', 'buy', '99900.4', 2_000)),
  at(5_000, subjects.book('sim', 'BTC-PERP'), book(3, 100_200, 100_201, 5_000)),
];

async function replay(): Promise<Omit<QuoteIntent, 'trace'>[]> {
  const bus = new InProcessBus();
  const clock = new SimulatedClock(0);
  const intents: Omit<QuoteIntent, 'trace'>[] = [];
  bus.subscribe(subjects.quoteIntent('mm'), QuoteIntent, ({ trace: _trace, ...intent }) => void intents.push(intent));
  const params = StrategyParams.parse({ kind: 'fixed-spread', spreadBps: 10, size: '0.01', order_refresh_tolerance_pct: 0.01, order_refresh_time: 1, filled_order_delay: 2, max_order_age: 0 });
  const quoter = new QuoterService([{ id: 'mm', venue: 'sim', account: 'acct', symbol: 'BTC-PERP', params, maxPosition: '0.05' }], {
    bus,
    clock,
    instruments: () => INSTRUMENT,
    logger: pino({ level: 'silent' }),
    registry: new Registry(),
    tickMs: 250,
  });
  await quoter.start();
  for (const step of SCRIPT) await clock.deliver(step.ts, async () => {
    step.publish(bus);
    await bus.flush();
  }, () => bus.flush());
  // Run the clock on past the cool-down.
  for (const t of clock.advanceTo(6_000)) {
    t.fire();
    await bus.flush();
  }
  quoter.stop();
  await bus.close();
  return intents;
}

const q = (slot: string, side: 'buy' | 'sell', price: string, qty = '0.01'): WantedQuote => ({ slot, side, price, qty, postOnly: true });
const intent = (n: number, quotes: WantedQuote[], bookSeq: number, mid: number, ts: number) => ({ intentId: `mm-${n}`, strategy: 'mm', venue: 'sim', account: 'acct', symbol: 'BTC-PERP', quotes, bookSeq, mid, ts });

describe('quoter replay on the simulated clock', () => {
  it('publishes exactly the expected intents, the same twice', async () => {
    const expected = [
      // First book: mid 100000.5 → bid 99900.4995 floored to 99900.4, ask 100100.5005 ceiled to 100100.6.
      intent(1, [q('bid-0', 'buy', '99900.4'), q('ask-0', 'sell', '100100.6')], 1, 100_000.5, 1_000),
      // The 1.0 move at 1100 is 0.001% < the 0.01% tolerance: no intent. The venue says the bid filled at 2000:
      // the buy side cools down for 2 s (asks only: a structural change, published at once); the resting ask
      // (100100.6, within tolerance of the 100101.6 the mid 100001.5 gives) keeps its price. The fill message
      // that follows changes nothing more.
      intent(2, [q('ask-0', 'sell', '100100.6')], 2, 100_001.5, 2_000),
      // 4000: the cool-down is over (the tick at 4000 sees now ≥ 2000 + 2000); position +0.01 still leaves room for 0.01.
      intent(3, [q('bid-0', 'buy', '99901.4'), q('ask-0', 'sell', '100100.6')], 2, 100_001.5, 4_000),
      // 5000: mid 100200.5, a 0.2% move: beyond tolerance and past the refresh time.
      intent(4, [q('bid-0', 'buy', '100100.2'), q('ask-0', 'sell', '100300.8')], 3, 100_200.5, 5_000),
    ];
    const first = await replay();
    expect(first).toEqual(expected);
    expect(await replay()).toEqual(first);
  });
});
