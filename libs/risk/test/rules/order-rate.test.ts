import { describe, expect, it } from 'vitest';
import { OrderRateWindow } from '../../src/order-rate-window.js';
import { NOW, approvedSlots, q, run } from '../helpers.js';

const set = [q('bid-0', 'buy', '99'), q('ask-0', 'sell', '101'), q('bid-1', 'buy', '98')];
const limits = { maxOrdersPerSecond: 10 };

describe('rule: order_rate', () => {
  it('placements exactly filling what is left pass; one more is refused', () => {
    const ok = run(set, limits, { ordersAvailable: 3 });
    expect(approvedSlots(ok)).toEqual(['bid-0', 'ask-0', 'bid-1']);
    expect(ok.placements).toBe(3);
    const d = run(set, limits, { ordersAvailable: 2 });
    expect(approvedSlots(d)).toEqual(['bid-0', 'ask-0']);
    expect(d.rejects).toEqual([{ slot: 'bid-1', rule: 'order_rate', detail: 'placement 3 > 2 left in the last second of max 10 orders/s' }]);
    expect(d.placements).toBe(2);
  });

  it('a quote unchanged from the previous approved set places nothing and always passes', () => {
    const previous = [q('bid-0', 'buy', '99.0'), q('ask-0', 'sell', '101')];
    const d = run(set, limits, { ordersAvailable: 0, previous });
    expect(approvedSlots(d)).toEqual(['bid-0', 'ask-0']);
    expect(d.rejects.map((r) => [r.slot, r.rule])).toEqual([['bid-1', 'order_rate']]);
    expect(d.placements).toBe(0);
  });

  it('a changed price, size, side or post-only flag is a placement', () => {
    const previous = [q('bid-0', 'buy', '99', '2'), q('ask-0', 'sell', '101', '1', false), q('bid-1', 'sell', '98')];
    expect(run(set, limits, { ordersAvailable: 3, previous }).placements).toBe(3);
  });

  it('is off without ordersAvailable', () => {
    expect(run(set, limits).rejects).toEqual([]);
  });

  it('the approved placements always fit the window they were judged against', () => {
    const window = new OrderRateWindow(10);
    expect(window.tryTake('binance', 8, NOW)).toBe(true);
    const d = run(set, limits, { ordersAvailable: window.available('binance', NOW) });
    expect(d.placements).toBe(2);
    expect(window.tryTake('binance', d.placements, NOW)).toBe(true);
    expect(window.available('binance', NOW)).toBe(0);
  });
});
