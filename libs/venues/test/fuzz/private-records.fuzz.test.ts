import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Fill, FundingPayment, OrderEvent } from '@perpetua/core';
import { fuzzParameters, fuzzTimeoutMs, valueOf } from '@perpetua/testkit';
import * as grvt from '../../src/grvt/grvt-trading-mapping.js';
import { GrvtFillWire, GrvtFundingPaymentWire, GrvtOrderWire } from '../../src/grvt/grvt-trading-wire.js';
import * as standx from '../../src/standx/standx-trading-map.js';
import { StandxOrder, StandxTrade } from '../../src/standx/standx-trading-wire.js';

/**
 * The private records a venue sends (orders, fills, funding): what passes the wire schema is mapped to our events, and
 * those must pass the bus schemas (a mapped event the bus refuses would throw in the router, far from the cause).
 */
const NS = '1767225600000000000';
const STANDX_ORDERS = [
  { id: 12, cl_ord_id: 'mm-1-abc', symbol: 'BTC-USD', side: 'buy', order_type: 'limit', price: '100.5', qty: '0.010', fill_qty: '0.004', status: 'open', time_in_force: 'alo', remark: '', updated_at: '2026-01-01T00:00:00Z' },
  { id: '13', symbol: 'ETH-USD', side: 'sell', order_type: 'market', qty: '1', status: 'filled' },
];
const STANDX_TRADES = [
  { order_id: 12, symbol: 'BTC-USD', price: '100.5', qty: '0.004', id: 99, side: 'buy', fee_qty: '0.0001', fee_asset: 'DUSD', value: '0.402', created_at: '2026-01-01T00:00:01Z' },
  { order_id: '13', symbol: 'ETH-USD', price: '2000', qty: '1' },
];
const GRVT_ORDERS = [
  { order_id: '0x01', sub_account_id: '42', is_market: false, time_in_force: 'GOOD_TILL_TIME', post_only: true, reduce_only: false, legs: [{ instrument: 'BTC_USDT_Perp', size: '0.01', limit_price: '100.5', is_buying_asset: true }], metadata: { client_order_id: '7', create_time: NS }, state: { status: 'OPEN', reject_reason: 'UNSPECIFIED', book_size: ['0.01'], traded_size: ['0'], update_time: NS } },
  { order_id: '0x02', sub_account_id: '42', time_in_force: 'IMMEDIATE_OR_CANCEL', legs: [{ instrument: 'ETH_USDT_Perp', size: '1', limit_price: '', is_buying_asset: false }], metadata: { client_order_id: '8' }, state: { status: 'FILLED', reject_reason: 'UNSPECIFIED', traded_size: ['1'], update_time: NS, avg_fill_price: ['2000'] } },
];
const GRVT_FILLS = [{ event_time: NS, sub_account_id: '42', instrument: 'BTC_USDT_Perp', is_buyer: true, is_taker: false, size: '0.004', price: '100.5', fee: '-0.0001', trade_id: '5', order_id: '0x01', client_order_id: '7' }];
const GRVT_FUNDING = [{ event_time: NS, sub_account_id: '42', instrument: 'BTC_USDT_Perp', currency: 'USDT', amount: '-0.25', tx_id: 'tx1' }];

/** Maps `value` if its wire schema takes it; the mapped event must then pass `bus` (undefined: refused, also fine). */
function check<W>(wire: { safeParse(v: unknown): { success: true; data: W } | { success: false } }, bus: { safeParse(v: unknown): { success: boolean; error?: unknown } }, map: (w: W) => unknown) {
  return (value: unknown) => {
    const parsed = wire.safeParse(value);
    if (!parsed.success) return;
    const event = map(parsed.data);
    if (event === undefined) return;
    const verdict = bus.safeParse(event);
    expect(verdict.success, `${JSON.stringify(value).slice(0, 300)} -> ${JSON.stringify(event).slice(0, 300)}: ${String(verdict.error).slice(0, 300)}`).toBe(true);
  };
}

const fees = { venue: 'standx', account: 'a', clientOrderId: 'mm-1-abc', liquidity: 'maker' as const, now: 1_767_225_600_000, side: 'buy' as const, feeRate: 0.0001 };
const SUITES = [
  { name: 'StandX orders', samples: STANDX_ORDERS, run: check(StandxOrder, OrderEvent, (o) => standx.toOrderEvent(o, 'standx', 'a', 1_767_225_600_000)) },
  { name: 'StandX trades', samples: STANDX_TRADES, run: check(StandxTrade, Fill, (t) => standx.toFill(t, fees)) },
  { name: 'GRVT orders', samples: GRVT_ORDERS, run: check(GrvtOrderWire, OrderEvent, (o) => grvt.toOrderEvent(o, 'mm-1-abc', 'grvt', 'a')) },
  { name: 'GRVT fills', samples: GRVT_FILLS, run: check(GrvtFillWire, Fill, (f) => grvt.toFill(f, 'mm-1-abc', 'grvt', 'a', 1_767_225_600_000)) },
  { name: 'GRVT funding payments', samples: GRVT_FUNDING, run: check(GrvtFundingPaymentWire, FundingPayment, (f) => grvt.toFundingPayment(f, 'grvt', 'a')) },
];

describe('venue private records: defects the fuzzing found', () => {
  it('StandX: a record whose symbol, id, price or size cannot make a bus event is refused by the wire schema (each reached the router as an event the bus refuses)', () => {
    const [order, trade] = [STANDX_ORDERS[0]!, STANDX_TRADES[0]!];
    for (const bad of [{ symbol: '' }, { symbol: 'btc-usd' }, { id: '1'.repeat(400) }, { qty: '1'.repeat(400) }, { qty: '-1' }, { price: '-1' }])
      expect(StandxOrder.safeParse({ ...order, ...bad }).success, JSON.stringify(bad)).toBe(false);
    for (const bad of [{ symbol: '' }, { order_id: '1'.repeat(400) }, { price: '-1' }, { price: '0' }, { qty: '0.000' }, { qty: '1'.repeat(400) }])
      expect(StandxTrade.safeParse({ ...trade, ...bad }).success, JSON.stringify(bad)).toBe(false);
  });

  it('GRVT: a funding payment with a long tx_id gets an id the bus takes, the same each time (it was over 128 characters)', () => {
    const wire = GrvtFundingPaymentWire.parse({ ...GRVT_FUNDING[0]!, tx_id: 'x'.repeat(100) });
    const [a, b] = [grvt.toFundingPayment(wire, 'grvt', 'a'), grvt.toFundingPayment(wire, 'grvt', 'a')];
    expect(FundingPayment.safeParse(a).success).toBe(true);
    expect(a?.paymentId).toBe(b?.paymentId);
  });
});

describe('venue private records (fuzz)', () => {
  for (const s of SUITES) {
    it(`${s.name}: the samples pass both schemas`, () => {
      for (const v of s.samples) s.run(v);
    });
    it(
      `${s.name}: a record the wire schema takes maps to an event the bus takes; nothing throws`,
      () => fc.assert(fc.property(valueOf(s.samples), (v) => s.run(v)), fuzzParameters()),
      fuzzTimeoutMs(),
    );
  }
});
