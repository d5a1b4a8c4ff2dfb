import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Fill, Instrument } from '@perpetua/core';
import { fuzzParameters, fuzzTimeoutMs, valueOf } from '@perpetua/testkit';
import { ccxtTradingDialect } from '../../src/ccxt/ccxt-trading-dialect.js';
import { CcxtOrderShape, CcxtTradeShape, toFill, toVenueOrder } from '../../src/ccxt/ccxt-trading-wire.js';
import { ContractSize } from '../../src/ccxt/contract-size.js';

/**
 * What ccxt hands the adapter from a venue (unified orders and trades, each with the venue's raw `info`): checked by
 * the adapter's shapes, then mapped. Mapping must never throw (it runs inside the venue's watch loop) and a fill
 * must be one the Fill schema can judge.
 */
const inst = Instrument.parse({ venue: 'okx', symbol: 'BTC-PERP', venueSymbol: 'BTC/USDT:USDT', base: 'BTC', quote: 'USDT', tickSize: '0.1', lotSize: '0.01', minQty: '0.01', makerFee: 0.0002, takerFee: 0.0005 });
const TRADES = [
  { id: '77', order: '12', symbol: 'BTC/USDT:USDT', side: 'buy', price: 100000.1, amount: 0.5, takerOrMaker: 'maker', fee: { cost: -0.01, currency: 'USDT' }, timestamp: 1_767_225_600_000, info: { clOrdId: 'mm1', fee: '-0.01', feeCcy: 'USDT' } },
  { symbol: 'BTC/USDT:USDT', side: 'sell', price: 99999.9, amount: 1 },
];
const ORDERS = [
  { id: '12', clientOrderId: 'mm1', symbol: 'BTC/USDT:USDT', side: 'buy', type: 'limit', price: 100000.1, amount: 1, filled: 0.5, status: 'open', timestamp: 1, info: { cancelSource: '' } },
  { id: '13', symbol: 'BTC/USDT:USDT', side: 'sell', type: 'market', amount: 2, filled: 2, status: 'closed' },
];
const okx = ccxtTradingDialect('okx');
const sizes = [ContractSize.UNIT, ContractSize.ofText('0.01')];

describe('ccxt records: defects the fuzzing found', () => {
  it('refuses a number no Decimal can hold (1e61 threw a DecimalError out of the mapping)', () => {
    expect(CcxtTradeShape.safeParse({ ...TRADES[0], price: 1e61 }).success).toBe(false);
    expect(CcxtOrderShape.safeParse({ ...ORDERS[1], filled: -1e61 }).success).toBe(false);
    expect(CcxtTradeShape.safeParse({ ...TRADES[0], fee: { cost: 1e25, currency: 'USDT' } }).success).toBe(false);
  });

  it("reads OKX's raw fee only when a Decimal can hold it (401 places threw a DecimalError out of toFill)", () => {
    const tiny = `0.${'0'.repeat(400)}1`;
    expect(okx.feeCost?.({ fee: tiny })).toBeUndefined();
    expect(okx.feeCost?.({ fee: '-0.01' })).toBe('0.01');
    const t = CcxtTradeShape.parse({ ...TRADES[0], info: { clOrdId: 'mm1', fee: tiny, feeCcy: 'USDT' } });
    const fill = toFill(t, { venue: 'okx', account: 'a', inst, settle: 'USDT', clientOrderId: 'mm1', tsReceived: 1, size: ContractSize.UNIT, feeCost: okx.feeCost?.(t.info!) });
    expect(fill.fee).toBe('-0.01'); // ccxt's parsed fee, in the quote currency
  });
});

describe('ccxt records (fuzz)', () => {
  it(
    'a trade the shape takes maps to a fill without a throw',
    () =>
      fc.assert(
        fc.property(valueOf(TRADES), fc.constantFrom(...sizes), (raw, size) => {
          const t = CcxtTradeShape.safeParse(raw);
          if (!t.success) return;
          const fill = toFill(t.data, { venue: 'okx', account: 'a', inst, settle: 'USDT', clientOrderId: 'mm1', tsReceived: 1, size, feeCost: t.data.info ? okx.feeCost?.(t.data.info) : undefined });
          expect(typeof Fill.safeParse(fill).success).toBe('boolean');
        }),
        fuzzParameters(),
      ),
    fuzzTimeoutMs(),
  );

  it(
    'an order the shape takes maps to a venue order (or none) without a throw',
    () =>
      fc.assert(
        fc.property(valueOf(ORDERS), fc.constantFrom(...sizes), (raw, size) => {
          const o = CcxtOrderShape.safeParse(raw);
          if (o.success) toVenueOrder(o.data, 'BTC-PERP', okx, size);
        }),
        fuzzParameters(),
      ),
    fuzzTimeoutMs(),
  );
});
