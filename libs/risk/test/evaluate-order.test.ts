import { describe, expect, it } from 'vitest';
import { dec, type Decimal } from '@perpetua/core';
import { evaluateOrder, type OrderCandidate } from '../src/evaluate-order.js';
import type { RiskLimits } from '../src/risk-limits.js';
import type { QuoteSetContext } from '../src/rules/types.js';
import { NOW, loose, market } from './helpers.js';

const order = (side: 'buy' | 'sell', price: string, qty = '1'): OrderCandidate => ({ side, price, qty });
const judge = (o: OrderCandidate, limits: Partial<RiskLimits>, over: Partial<Omit<QuoteSetContext, 'quotes' | 'previous'>> = {}) =>
  evaluateOrder(o, { position: dec('0') as Decimal, halted: false, now: NOW, market: market('99', '100'), ...over }, { ...loose, ...limits });

describe('evaluateOrder (immediate orders: arbitrage legs, hedges, unwinds)', () => {
  it('approves a taker buy at the ask when no limit binds', () => {
    expect(judge(order('buy', '100'), {})).toEqual({ approved: true });
  });

  it('is refused while halted, naming the rule', () => {
    expect(judge(order('buy', '100'), {}, { halted: true, haltReason: 'kill' })).toMatchObject({ approved: false, rule: 'halted' });
  });

  it('refuses on a stale book when the guard is on', () => {
    expect(judge(order('sell', '99'), { maxBookAgeMs: 1000 }, { market: market('99', '100', { stale: true }) })).toMatchObject({ approved: false, rule: 'stale_data' });
  });

  it('order size: equal to the limit passes, one lot above is refused', () => {
    expect(judge(order('buy', '100', '0.1'), { maxOrderSize: '0.1' }).approved).toBe(true);
    expect(judge(order('buy', '100', '0.11'), { maxOrderSize: '0.1' })).toMatchObject({ approved: false, rule: 'max_order_size' });
  });

  it('through the book: a taker order is bounded only when maxThroughBookBps is set (10 bps above a 100 ask is 100.1)', () => {
    expect(judge(order('buy', '101'), {}).approved).toBe(true);
    expect(judge(order('buy', '100.1'), { maxThroughBookBps: 10 }).approved).toBe(true);
    expect(judge(order('buy', '100.11'), { maxThroughBookBps: 10 })).toMatchObject({ approved: false, rule: 'price_through_book' });
  });

  it('self-trade: an IOC that would hit our own resting quote is refused', () => {
    const otherQuotes = [{ strategy: 'mm', slot: 'ask-0', side: 'sell' as const, price: '100' }];
    expect(judge(order('buy', '100'), {}, { otherQuotes })).toMatchObject({ approved: false, rule: 'self_trade' });
    expect(judge(order('buy', '99.9'), {}, { otherQuotes }).approved).toBe(true);
  });

  it('position: growing past the limit is refused, reducing (an unwind) passes even beyond it', () => {
    expect(judge(order('buy', '100', '0.5'), { maxPosition: '1' }, { position: dec('0.5') }).approved).toBe(true);
    expect(judge(order('buy', '100', '0.6'), { maxPosition: '1' }, { position: dec('0.5') })).toMatchObject({ approved: false, rule: 'max_position' });
    expect(judge(order('sell', '99', '0.5'), { maxPosition: '1' }, { position: dec('1.5') }).approved).toBe(true);
  });

  it('the open-orders limit does not apply: an IOC never rests', () => {
    const otherQuotes = [{ strategy: 'mm', slot: 'bid-0', side: 'buy' as const, price: '98' }];
    expect(judge(order('sell', '99'), { maxOpenOrders: 1 }, { otherQuotes }).approved).toBe(true);
  });

  it('the order rate budget binds', () => {
    expect(judge(order('buy', '100'), {}, { ordersAvailable: 0 })).toMatchObject({ approved: false, rule: 'order_rate' });
    expect(judge(order('buy', '100'), {}, { ordersAvailable: 1 }).approved).toBe(true);
  });
});
