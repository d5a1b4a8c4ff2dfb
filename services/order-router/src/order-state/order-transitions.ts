import type { OrderState, OrderStateEvent } from './order-state.js';

/** An event that makes no sense in a state (an amend of a closed order, an answer with nothing in flight). */
export const REFUSED = 'refused' as const;
export type Refused = typeof REFUSED;

const R = REFUSED;

/**
 * THE table: every state × event, the next state or refused. Read a row as "in this state, on this event".
 * - 'rests' while an amend or cancel is in flight keeps it in flight: a partial fill does not answer the request;
 *   'acked' (the answer) does, but not a cancel's: an order whose cancel is in flight stays pending_cancel.
 * - 'gone' closes from every live state: the venue's word that the order is gone wins over whatever was in flight.
 * - closed is terminal: a late 'rests' of a closed order is refused (the router cancels such an order as a stray).
 * - unknown may be amended or cancelled by client id, never replaced by a new order: its slot stays occupied.
 */
export const ORDER_TRANSITIONS: Readonly<Record<OrderState, Readonly<Record<OrderStateEvent, OrderState | Refused>>>> = {
  pending_new: { amend_sent: R, cancel_sent: 'pending_cancel', acked: 'open', rests: 'open', gone: 'closed', refused: 'closed', answer_lost: 'unknown' },
  open: { amend_sent: 'pending_amend', cancel_sent: 'pending_cancel', acked: 'open', rests: 'open', gone: 'closed', refused: R, answer_lost: R },
  pending_amend: { amend_sent: R, cancel_sent: 'pending_cancel', acked: 'open', rests: 'pending_amend', gone: 'closed', refused: 'open', answer_lost: 'unknown' },
  pending_cancel: { amend_sent: R, cancel_sent: 'pending_cancel', acked: 'pending_cancel', rests: 'pending_cancel', gone: 'closed', refused: R, answer_lost: 'unknown' },
  unknown: { amend_sent: 'pending_amend', cancel_sent: 'pending_cancel', acked: 'open', rests: 'open', gone: 'closed', refused: R, answer_lost: 'unknown' },
  closed: { amend_sent: R, cancel_sent: R, acked: R, rests: R, gone: 'closed', refused: R, answer_lost: R },
};

/** Pure: the order's next state on an event, or refused (the state then stays as it was). */
export function transition(state: OrderState, event: OrderStateEvent): OrderState | Refused {
  return ORDER_TRANSITIONS[state][event];
}

/** Whether an order in this state may still rest on the venue: it occupies its slot. */
export function isLive(state: OrderState): boolean {
  return state !== 'closed';
}
