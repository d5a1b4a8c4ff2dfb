import { describe, expect, it } from 'vitest';
import { BTC, limit, makeEngine, market, ok, reasonOf } from './fixtures.js';
import type { SimBalanceEvent, SimEvent, SimFillEvent, SimOrderEvent, SimPositionEvent } from '../../src/engine/types.js';

const ofAccount = (events: SimEvent[], id: string): SimEvent[] => events.filter((e) => 'accountId' in e && e.accountId === id);

describe('fees', () => {
  it('charges maker and taker rates times notional exactly, in the quote asset', () => {
    const { engine } = makeEngine();
    engine.placeOrder(limit('alice', 'sell', '100000.1', '0.003'));
    const t = ok(engine.placeOrder(market('bob', 'buy', '0.003')));
    const tf = t.fills[0]!;
    expect(tf).toMatchObject({ notional: '300.0003', fee: '0.15000015', feeAsset: 'USDT', liquidity: 'taker' });
    const mf = engine.fills('alice')[0]!;
    expect(mf).toMatchObject({ notional: '300.0003', fee: '0.06000006', liquidity: 'maker' });
    expect(engine.balance('bob').wallet).toBe('999999.84999985');
    expect(engine.balance('alice').wallet).toBe('999999.93999994');
  });

  it('a negative maker rate is a rebate', () => {
    const { engine } = makeEngine({ makerFee: '-0.00001' });
    engine.placeOrder(limit('alice', 'sell', '100000', '0.01'));
    ok(engine.placeOrder(market('bob', 'buy', '0.01')));
    expect(engine.fills('alice')[0]!.fee).toBe('-0.01');
    expect(engine.balance('alice').wallet).toBe('1000000.01');
  });
});

describe('positions', () => {
  it('averages the entry, realizes PnL on reduction and flips through zero', () => {
    const { engine } = makeEngine();
    // bob buys 0.002 @ 100000 and 0.002 @ 100100 -> long 0.004 @ 100050
    engine.placeOrder(limit('alice', 'sell', '100000', '0.002'));
    engine.placeOrder(limit('alice', 'sell', '100100', '0.002'));
    ok(engine.placeOrder(market('bob', 'buy', '0.004')));
    let p = engine.position('bob', BTC);
    expect(p).toMatchObject({ qty: '0.004', entryPrice: '100050', realizedPnl: '0' });
    expect(engine.position('alice', BTC)).toMatchObject({ qty: '-0.004', entryPrice: '100050' });

    // bob sells 0.006 @ 100200: closes 0.004 (+0.6) and opens short 0.002 @ 100200
    engine.placeOrder(limit('carol', 'buy', '100200', '0.006'));
    const s = ok(engine.placeOrder(market('bob', 'sell', '0.006')));
    expect(s.fills[0]!.realizedPnl).toBe('0.6');
    p = engine.position('bob', BTC);
    expect(p).toMatchObject({ qty: '-0.002', entryPrice: '100200', realizedPnl: '0.6' });
    // Wallet = initial + realized 0.6 - taker fees (5 bps of 200 + 200.2 + 601.2 = 0.5007).
    expect(engine.balance('bob').wallet).toBe('1000000.0993');
    // alice bought back nothing: still short 0.004 @ 100050 with unrealized at the mark (100000).
    expect(engine.position('alice', BTC)).toMatchObject({ qty: '-0.004', unrealizedPnl: '0.2', markPrice: '100000' });
  });

  it('unrealized PnL and margins follow the mark', () => {
    const { engine } = makeEngine();
    engine.placeOrder(limit('alice', 'sell', '100000', '0.01'));
    ok(engine.placeOrder(market('bob', 'buy', '0.01')));
    engine.setMarket(BTC, 101_000, 101_000, 0.0001);
    const p = engine.position('bob', BTC);
    expect(p).toMatchObject({ unrealizedPnl: '10', leverage: 10, initialMargin: '101', markPrice: '101000' });
    const b = engine.balance('bob');
    expect(b).toMatchObject({ unrealizedPnl: '10', positionMargin: '101', orderMargin: '0' });
    expect(b.equity).toBe('1000009.5'); // 1e6 - fee 0.5 + 10
    expect(b.available).toBe('999908.5'); // equity - position margin
  });

  it('position qty is the signed sum of fills', () => {
    const { engine } = makeEngine();
    engine.placeOrder(limit('alice', 'sell', '100000', '0.05'));
    engine.placeOrder(limit('alice', 'buy', '99900', '0.05'));
    for (const [side, qty] of [['buy', '0.003'], ['sell', '0.007'], ['buy', '0.001'], ['sell', '0.002']] as const)
      ok(engine.placeOrder(market('bob', side, qty)));
    const sum = engine.fills('bob').reduce((acc, f) => acc + (f.side === 'buy' ? 1 : -1) * Number(f.qty) * 1000, 0);
    expect(Number(engine.position('bob', BTC).qty) * 1000).toBeCloseTo(sum, 9);
    expect(engine.position('bob', BTC).qty).toBe('-0.005');
  });
});

describe('margin and leverage', () => {
  it('rejects an order whose initial margin exceeds the available balance', () => {
    const { engine } = makeEngine();
    engine.createAccount('poor', '100');
    // 0.01 BTC @ 100000 = 1000 notional at 10x = 100 margin: exactly affordable.
    ok(engine.placeOrder(limit('poor', 'buy', '100000', '0.01')));
    expect(engine.balance('poor')).toMatchObject({ orderMargin: '100', available: '0' });
    expect(reasonOf(engine.placeOrder(limit('poor', 'buy', '100000', '0.001')))).toBe('insufficient_margin');
    // The opposite side does not add margin while it is the smaller one (max of the two sides).
    ok(engine.placeOrder(limit('poor', 'sell', '100100', '0.009')));
    expect(reasonOf(engine.placeOrder(limit('poor', 'sell', '100100', '0.001')))).toBe('insufficient_margin');
    // Canceling releases the reservation.
    engine.cancelAll('poor');
    expect(engine.balance('poor')).toMatchObject({ orderMargin: '0', available: '100' });
  });

  it('orders reducing the position need no new margin; reduce-only ones never do', () => {
    const { engine } = makeEngine();
    engine.createAccount('poor', '120');
    engine.placeOrder(limit('alice', 'sell', '100000', '0.01'));
    ok(engine.placeOrder(market('poor', 'buy', '0.01')));
    expect(reasonOf(engine.placeOrder(limit('poor', 'buy', '99000', '0.01')))).toBe('insufficient_margin');
    ok(engine.placeOrder(limit('poor', 'sell', '100100', '0.01')));
    ok(engine.placeOrder(limit('poor', 'sell', '100200', '0.01', { reduceOnly: true })));
  });

  it('setLeverage validates the range and changes the margin', () => {
    const { engine, events } = makeEngine();
    expect(reasonOf(engine.setLeverage('alice', BTC, 0))).toBe('invalid_leverage');
    expect(reasonOf(engine.setLeverage('alice', BTC, 51))).toBe('invalid_leverage');
    expect(reasonOf(engine.setLeverage('alice', BTC, 2.5))).toBe('invalid_leverage');
    expect(reasonOf(engine.setLeverage('alice', 'X-PERP', 5))).toBe('unknown_symbol');
    expect(reasonOf(engine.setLeverage('ghost', BTC, 5))).toBe('unknown_account');
    const r = engine.setLeverage('alice', BTC, 50);
    expect(r.ok && r.leverage).toBe(50);
    expect(events.some((e) => e.type === 'position' && e.reason === 'leverage')).toBe(true);
    ok(engine.placeOrder(limit('alice', 'buy', '100000', '1')));
    expect(engine.balance('alice').orderMargin).toBe('2000');
  });

  it('refuses to lower leverage below what the open exposure needs', () => {
    const { engine } = makeEngine();
    engine.createAccount('poor', '100');
    ok(engine.placeOrder(limit('poor', 'buy', '100000', '0.01')));
    expect(reasonOf(engine.setLeverage('poor', BTC, 5))).toBe('insufficient_margin');
    expect(engine.position('poor', BTC).leverage).toBe(10);
  });
});

describe('private events', () => {
  it('a fill emits order(trade), fill, position and balance events for each side', () => {
    const { engine, events } = makeEngine();
    const m = ok(engine.placeOrder(limit('alice', 'sell', '100000', '0.002', { clientOrderId: 'ask-1' })));
    events.length = 0;
    ok(engine.placeOrder(market('bob', 'buy', '0.001')));
    const types = events.map((e) => e.type);
    expect(types.filter((t) => t === 'trade')).toHaveLength(1);
    expect(types.filter((t) => t === 'book')).toHaveLength(1);
    const alice = ofAccount(events, 'alice');
    expect(alice.map((e) => e.type)).toEqual(['order', 'fill', 'position', 'balance']);
    const oe = alice[0] as SimOrderEvent;
    expect(oe).toMatchObject({ execType: 'trade', venue: 'testvenue' });
    expect(oe.order).toMatchObject({ orderId: m.order.orderId, clientOrderId: 'ask-1', status: 'partially_filled', filledQty: '0.001' });
    expect(oe.fill).toEqual((alice[1] as SimFillEvent).fill);
    expect((alice[2] as SimPositionEvent).position.qty).toBe('-0.001');
    expect((alice[3] as SimBalanceEvent)).toMatchObject({ reason: 'fill', walletDelta: '-0.02' });
    const bob = ofAccount(events, 'bob');
    expect(bob.map((e) => (e.type === 'order' ? `order:${e.execType}` : e.type))).toEqual([
      'order:new',
      'order:trade',
      'fill',
      'position',
      'balance',
    ]);
    // The trade event precedes the private events and the book diff comes last.
    expect(types[0]).toBe('order');
    expect(types.indexOf('trade')).toBeLessThan(types.indexOf('fill'));
    expect(types[types.length - 1]).toBe('book');
  });

  it('fills() answers by symbol, time window and limit, oldest first', () => {
    const { engine, clock } = makeEngine();
    engine.placeOrder(limit('alice', 'sell', '100000', '0.01'));
    for (let i = 0; i < 5; i++) {
      clock.t += 1000;
      ok(engine.placeOrder(market('bob', 'buy', '0.001')));
    }
    const all = engine.fills('bob');
    expect(all).toHaveLength(5);
    expect(all.map((f) => f.ts)).toEqual([...all.map((f) => f.ts)].sort((a, b) => a - b));
    expect(engine.fills('bob', { limit: 2 }).map((f) => f.ts)).toEqual(all.slice(-2).map((f) => f.ts));
    expect(engine.fills('bob', { since: all[3]!.ts })).toHaveLength(2);
    expect(engine.fills('bob', { until: all[0]!.ts })).toHaveLength(1);
    expect(engine.fills('bob', { symbol: 'ETH-PERP' })).toEqual([]);
    expect(new Set(engine.fills('alice').concat(all).map((f) => f.fillId)).size).toBe(10);
  });
});

describe('funding and deposits', () => {
  it('settles funding at the boundary: longs pay shorts when the rate is positive', () => {
    const { engine, events, clock } = makeEngine();
    engine.placeOrder(limit('alice', 'sell', '100000', '0.1'));
    ok(engine.placeOrder(market('bob', 'buy', '0.1')));
    engine.setMarket(BTC, 100_000, 100_000, 0.0001);
    const next = engine.mark(BTC).nextFundingTime;
    expect(next % (8 * 3600_000)).toBe(0);
    const bobBefore = engine.balance('bob').wallet;
    clock.t = next - 1;
    engine.settleFundingIfDue(BTC);
    expect(engine.balance('bob').wallet).toBe(bobBefore);
    clock.t = next;
    engine.settleFundingIfDue(BTC);
    const funding = events.filter((e) => e.type === 'funding');
    expect(funding.map((e) => (e.type === 'funding' ? [e.accountId, e.amount] : []))).toEqual([
      ['alice', '1'],
      ['bob', '-1'],
    ]);
    expect(engine.mark(BTC).nextFundingTime).toBe(next + 8 * 3600_000);
  });

  it('createAccount rejects duplicates; deposit moves the wallet and emits a balance event', () => {
    const { engine, events } = makeEngine();
    expect(reasonOf(engine.createAccount('alice', '1'))).toBe('account_exists');
    expect(engine.hasAccount('alice')).toBe(true);
    const b = engine.deposit('alice', '250.5');
    expect(b.wallet).toBe('1000250.5');
    expect(events[events.length - 1]).toMatchObject({ type: 'balance', reason: 'deposit', walletDelta: '250.5' });
    expect(() => engine.deposit('ghost', '1')).toThrow(/unknown account/);
  });

  it('queries on unknown accounts answer empty', () => {
    const { engine } = makeEngine();
    expect(engine.openOrders('ghost')).toEqual([]);
    expect(engine.fills('ghost')).toEqual([]);
    expect(engine.positions('ghost')).toEqual([]);
    expect(engine.balance('ghost')).toMatchObject({ wallet: '0', available: '0' });
    expect(engine.getOrder('ghost', BTC, { orderId: '1' })).toBeUndefined();
  });
});
