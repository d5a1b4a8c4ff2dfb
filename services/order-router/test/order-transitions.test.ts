import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ORDER_STATE_EVENTS, ORDER_STATES, isLive, transition, type OrderState, type OrderStateEvent } from '../src/order-state/index.js';

/**
 * The whole table written out again, by hand: every state × event, allowed (the next state) or refused (-).
 * A change to the table in the code must be made here too, on purpose.
 */
const EXPECTED: Record<OrderState, Record<OrderStateEvent, OrderState | '-'>> = {
  //               amend_sent        cancel_sent             acked                   rests                    gone          refused        answer_lost
  pending_new: { amend_sent: '-', cancel_sent: 'pending_cancel', acked: 'open', rests: 'open', gone: 'closed', refused: 'closed', answer_lost: 'unknown' },
  open: { amend_sent: 'pending_amend', cancel_sent: 'pending_cancel', acked: 'open', rests: 'open', gone: 'closed', refused: '-', answer_lost: '-' },
  pending_amend: { amend_sent: '-', cancel_sent: 'pending_cancel', acked: 'open', rests: 'pending_amend', gone: 'closed', refused: 'open', answer_lost: 'unknown' },
  pending_cancel: { amend_sent: '-', cancel_sent: 'pending_cancel', acked: 'pending_cancel', rests: 'pending_cancel', gone: 'closed', refused: '-', answer_lost: 'unknown' },
  unknown: { amend_sent: 'pending_amend', cancel_sent: 'pending_cancel', acked: 'open', rests: 'open', gone: 'closed', refused: '-', answer_lost: 'unknown' },
  closed: { amend_sent: '-', cancel_sent: '-', acked: '-', rests: '-', gone: 'closed', refused: '-', answer_lost: '-' },
};

describe('order state transitions', () => {
  it('the expected table names every state and every event', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...ORDER_STATES].sort());
    for (const s of ORDER_STATES) expect(Object.keys(EXPECTED[s]).sort()).toEqual([...ORDER_STATE_EVENTS].sort());
  });

  for (const state of ORDER_STATES) {
    for (const event of ORDER_STATE_EVENTS) {
      const want = EXPECTED[state][event];
      it(`${state} × ${event} → ${want === '-' ? 'refused' : want}`, () => {
        expect(transition(state, event)).toBe(want === '-' ? 'refused' : want);
      });
    }
  }

  it('closed is the only state that is not live, and nothing leaves it', () => {
    expect(ORDER_STATES.filter((s) => !isLive(s))).toEqual(['closed']);
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...ORDER_STATE_EVENTS), { maxLength: 30 }), (events) => {
        let s: OrderState = 'closed';
        for (const e of events) {
          const next = transition(s, e);
          if (next !== 'refused') s = next;
        }
        expect(s).toBe('closed');
      }),
    );
  });

  it('gone closes from every state: the venue saying an order is gone always frees its slot', () => {
    for (const s of ORDER_STATES) expect(transition(s, 'gone')).toBe('closed');
  });
});
