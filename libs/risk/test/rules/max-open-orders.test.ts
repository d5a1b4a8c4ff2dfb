import { describe, expect, it } from 'vitest';
import { approvedSlots, q, run } from '../helpers.js';

const set = [q('bid-0', 'buy', '99'), q('bid-1', 'buy', '98'), q('ask-0', 'sell', '101'), q('ask-1', 'sell', '102')];
const otherQuotes = [{ strategy: 'mm2', slot: 'bid-0', side: 'buy' as const, price: '90' }];

describe('rule: max_open_orders', () => {
  it('exactly the max passes, one more is refused; both sides keep their touch quote', () => {
    expect(approvedSlots(run(set, { maxOpenOrders: 4 }))).toEqual(['bid-0', 'ask-0', 'bid-1', 'ask-1']);
    const d = run(set, { maxOpenOrders: 3 });
    expect(approvedSlots(d)).toEqual(['bid-0', 'ask-0', 'bid-1']);
    expect(d.rejects).toEqual([{ slot: 'ask-1', rule: 'max_open_orders', detail: 'open orders would be 4 > max 3 (0 from other strategies)' }]);
  });

  it('other strategies’ quotes on the same venue + symbol use up the count', () => {
    const d = run(set, { maxOpenOrders: 3 }, { otherQuotes });
    expect(approvedSlots(d)).toEqual(['bid-0', 'ask-0']);
    expect(d.rejects.map((r) => r.detail)).toEqual([
      'open orders would be 4 > max 3 (1 from other strategies)',
      'open orders would be 4 > max 3 (1 from other strategies)',
    ]);
  });

  it('0 allows nothing; quotes refused by other rules do not count', () => {
    expect(run(set, { maxOpenOrders: 0 }).rejects.every((r) => r.rule === 'max_open_orders')).toBe(true);
    const d = run([q('bid-0', 'buy', '99', '5'), q('bid-1', 'buy', '98'), q('ask-0', 'sell', '101')], { maxOpenOrders: 2, maxOrderSize: '1' });
    expect(approvedSlots(d)).toEqual(['ask-0', 'bid-1']);
  });
});
