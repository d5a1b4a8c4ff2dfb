import type { OrderStateEvent } from './order-state.js';

const OPEN: ReadonlySet<string> = new Set(['pending', 'new', 'partially_filled']);
const CLOSED: ReadonlySet<string> = new Set(['canceled', 'rejected', 'expired', 'filled']);

/** What a venue order status (in an event, an answer or a query) says: the order rests, rests no more, or neither. */
export function stateEventOfStatus(status: string): Extract<OrderStateEvent, 'rests' | 'gone'> | undefined {
  if (OPEN.has(status)) return 'rests';
  if (CLOSED.has(status)) return 'gone';
  return undefined;
}
