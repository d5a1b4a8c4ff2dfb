/**
 * Where one order the router owns stands, as far as the router knows.
 * - pending_new: its place is sent, no answer yet.
 * - open: the venue has it resting.
 * - pending_amend / pending_cancel: an amend / cancel of it is sent, no answer yet.
 * - unknown: an answer was lost (a timeout, a failed call) and no query has said since whether it rests.
 * - closed: it rests no more (filled, cancelled, rejected, expired, or not found). Terminal: nothing reopens it,
 *   so a slot is freed for a new order only here.
 */
export type OrderState = 'pending_new' | 'open' | 'pending_amend' | 'pending_cancel' | 'unknown' | 'closed';

export const ORDER_STATES: readonly OrderState[] = ['pending_new', 'open', 'pending_amend', 'pending_cancel', 'unknown', 'closed'];

/**
 * What the router learns about an order, or does to it.
 * - amend_sent / cancel_sent: the router sent the request.
 * - acked: the venue accepted the place or amend in flight, and the order rests.
 * - rests: a stream event or query says it rests (new, partially filled, pending); it answers no request in flight.
 * - gone: a venue answer, stream event or query says it rests no more, or not found; a confirmed cancel.
 * - refused: the venue refused the request in flight (a place: never rested; an amend: the order is as before).
 * - answer_lost: the request in flight got no answer: the venue may or may not have acted on it.
 */
export type OrderStateEvent = 'amend_sent' | 'cancel_sent' | 'acked' | 'rests' | 'gone' | 'refused' | 'answer_lost';

export const ORDER_STATE_EVENTS: readonly OrderStateEvent[] = ['amend_sent', 'cancel_sent', 'acked', 'rests', 'gone', 'refused', 'answer_lost'];
