import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ORDER_STATE_EVENTS, OwnedOrders, isLive, transition, type OrderState, type OrderStateEvent } from '../src/order-state/index.js';

const BOOKS = ['mm\u0000BTC-PERP', 'mm\u0000ETH-PERP', 'arb\u0000BTC-PERP'];
const SLOTS = ['bid-0', 'ask-0', 'bid-1'];

/**
 * What the router may do or hear, in any order: place into a slot, an immediate place, an event for an order
 * made `back` orders ago (closed ones too: late stream events), or for an order never made (a stray).
 */
type Step =
  | { kind: 'place'; book: number; slot: number }
  | { kind: 'event'; back: number; event: OrderStateEvent }
  | { kind: 'stranger'; event: OrderStateEvent }
  | { kind: 'immediate' };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('place' as const), book: fc.nat(BOOKS.length - 1), slot: fc.nat(SLOTS.length - 1) }),
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('event' as const), back: fc.nat(12), event: fc.constantFrom(...ORDER_STATE_EVENTS) }) },
  fc.record({ kind: fc.constant('stranger' as const), event: fc.constantFrom(...ORDER_STATE_EVENTS) }),
  fc.record({ kind: fc.constant('immediate' as const) }),
);

describe('owned orders', () => {
  it('no sequence of events leaves a slot with two live orders', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 50, maxLength: 150, size: 'max' }), (steps) => {
        const orders = new OwnedOrders();
        // The truth kept apart from the registry: every order ever entered, with its state by the table.
        const made: { id: string; book?: string; slot?: string; state: OrderState }[] = [];
        for (const s of steps) {
          if (s.kind === 'place') {
            const book = BOOKS[s.book]!;
            const slot = SLOTS[s.slot]!;
            const id = `o${made.length}`;
            const entered = orders.placeQuote(book, 'BTC-PERP', { slot, clientOrderId: id, side: 'buy', price: '1', qty: '1', postOnly: true });
            // Entered exactly when no order of the slot is still live.
            expect(entered).toBe(!made.some((o) => o.book === book && o.slot === slot && isLive(o.state)));
            if (entered) made.push({ id, book, slot, state: 'pending_new' });
          } else if (s.kind === 'immediate') {
            const id = `o${made.length}`;
            expect(orders.placeImmediate(id, 'BTC-PERP')).toBe(true);
            made.push({ id, state: 'pending_new' });
          } else if (s.kind === 'stranger') {
            expect(orders.apply('never-made', s.event)).toBeUndefined();
          } else {
            const o = made[made.length - 1 - s.back];
            if (!o) continue;
            const got = orders.apply(o.id, s.event);
            // The truth follows the table even for a closed order (a late event), so a table that let one out of
            // closed would give its slot a second live order here once the slot was placed again.
            const next = transition(o.state, s.event);
            if (o.state === 'closed') expect(got).toBeUndefined(); // forgotten: the router owns it no more
            else expect(got).toBe(next);
            if (next !== 'refused') o.state = next;
          }
          // Checked as whole pictures, one expect each: the truth's live orders per slot, and the registry's view.
          const liveBySlot = new Map<string, string[]>();
          for (const o of made) if (o.book !== undefined && isLive(o.state)) liveBySlot.set(`${o.book}/${o.slot}`, [...(liveBySlot.get(`${o.book}/${o.slot}`) ?? []), o.id]);
          expect([...liveBySlot.values()].filter((ids) => ids.length > 1)).toEqual([]);
          // The registry's holder of each slot is that live order, and an order is owned, in its state, exactly while live.
          const holders = BOOKS.flatMap((book) => SLOTS.map((slot) => orders.slotHolder(book, slot) ?? null));
          expect(holders).toEqual(BOOKS.flatMap((book) => SLOTS.map((slot) => liveBySlot.get(`${book}/${slot}`)?.[0] ?? null)));
          expect(made.map((o) => (orders.owns(o.id) ? orders.state(o.id) : 'closed'))).toEqual(made.map((o) => o.state));
          expect(orders.quoteCount).toBe(made.filter((o) => o.book !== undefined && isLive(o.state)).length);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('against a model of the venue: a slot never has two orders resting (or able to rest) at the venue', () => {
    /** The venue's side of one order, and the request in flight on it: acted = the venue has decided it. */
    interface VenueOrder {
      id: string;
      book: string;
      slot: string;
      venue: 'absent' | 'rests' | 'done';
      flight?: { kind: 'place' | 'amend' | 'cancel'; acted: boolean; took: boolean };
    }
    type VenueStep =
      | { kind: 'place'; book: number; slot: number }
      | { kind: 'send'; back: number; request: 'amend' | 'cancel' }
      | { kind: 'venue_acts'; back: number; takes: boolean }
      | { kind: 'answer'; back: number; lost: boolean; takes: boolean }
      | { kind: 'fill'; back: number }
      | { kind: 'observe'; back: number };
    // Mostly the newest order: a request, its answer and the next place line up often enough to find a bad table.
    const back = fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, fc.nat(4));
    const venueStep: fc.Arbitrary<VenueStep> = fc.oneof(
      fc.record({ kind: fc.constant('place' as const), book: fc.nat(1), slot: fc.nat(1) }),
      fc.record({ kind: fc.constant('send' as const), back, request: fc.constantFrom('amend' as const, 'cancel' as const) }),
      fc.record({ kind: fc.constant('venue_acts' as const), back, takes: fc.boolean() }),
      fc.record({ kind: fc.constant('answer' as const), back, lost: fc.boolean(), takes: fc.boolean() }),
      fc.record({ kind: fc.constant('fill' as const), back }),
      fc.record({ kind: fc.constant('observe' as const), back }),
    );
    const place00: VenueStep = { kind: 'place', book: 0, slot: 0 };
    /** The venue decides a request once: a place rests or is refused, an amend lands or is refused, a cancel that arrives ends a resting order. */
    const act = (o: VenueOrder, takes: boolean): void => {
      const f = o.flight;
      if (!f || f.acted) return;
      f.acted = true;
      if (f.kind === 'place') f.took = takes;
      if (f.kind === 'place' && takes) o.venue = 'rests';
      if (f.kind === 'amend') f.took = takes && o.venue === 'rests';
      if (f.kind === 'cancel') {
        f.took = takes && o.venue === 'rests';
        if (f.took) o.venue = 'done';
      }
    };
    fc.assert(
      fc.property(fc.array(venueStep, { minLength: 50, maxLength: 200, size: 'max' }), (steps) => {
        const orders = new OwnedOrders();
        const made: VenueOrder[] = [];
        /** Orders resting at the venue, or whose place it has yet to decide, per slot: one at most. */
        const check = (): void => {
          const mayRest = new Map<string, number>();
          for (const m of made) if (m.venue === 'rests' || (m.flight?.kind === 'place' && !m.flight.acted)) mayRest.set(`${m.book}/${m.slot}`, (mayRest.get(`${m.book}/${m.slot}`) ?? 0) + 1);
          expect([...mayRest].filter(([, n]) => n > 1)).toEqual([]);
        };
        for (const s of steps) {
          check(); // before each step: the loop's `continue`s skip no check
          if (s.kind === 'place') {
            const id = `o${made.length}`;
            const book = BOOKS[s.book]!;
            const slot = SLOTS[s.slot]!;
            if (orders.placeQuote(book, 'BTC-PERP', { slot, clientOrderId: id, side: 'buy', price: '1', qty: '1', postOnly: true })) {
              made.push({ id, book, slot, venue: 'absent', flight: { kind: 'place', acted: false, took: false } });
            }
            continue;
          }
          const o = made[made.length - 1 - s.back];
          if (!o) continue;
          if (s.kind === 'send') {
            // The router sends only what the table allows, one request at a time per order.
            if (o.flight || !orders.owns(o.id)) continue;
            const r = orders.apply(o.id, s.request === 'amend' ? 'amend_sent' : 'cancel_sent');
            if (r !== 'pending_amend' && r !== 'pending_cancel') continue;
            o.flight = { kind: s.request, acted: false, took: false };
          } else if (s.kind === 'venue_acts') act(o, s.takes || o.flight?.kind === 'cancel'); // a cancel that reaches the venue ends a resting order
          else if (s.kind === 'answer') {
            const f = o.flight;
            if (!f) continue;
            // The venue has decided by the time an answer comes (or is lost): no late landing here. A cancel answered
            // ended the order if it rested (cancelOrder says false only for an order not open); a lost one may never have arrived.
            act(o, s.takes || (f.kind === 'cancel' && !s.lost));
            o.flight = undefined;
            let event: OrderStateEvent;
            if (s.lost) event = 'answer_lost';
            else if (f.kind === 'cancel') event = 'gone';
            else if (!f.took) event = 'refused';
            else event = o.venue === 'rests' ? 'acked' : 'gone';
            orders.apply(o.id, event);
          } else if (s.kind === 'fill') {
            if (o.venue === 'rests') o.venue = 'done';
          } else {
            // A stream event or query: says what rests. Not found while the place is undecided would be a late landing, which the stray cancel handles, not the table.
            if (o.venue === 'absent' && o.flight?.kind === 'place' && !o.flight.acted) continue;
            orders.apply(o.id, o.venue === 'rests' ? 'rests' : 'gone');
          }
        }
        check();
      }),
      {
        numRuns: 200,
        // Always tried: a cancel whose answer is lost (it may never have reached the venue), then a place in its slot;
        // a place whose answer is lost (the venue took it), then a place in its slot.
        examples: [
          [[place00, { kind: 'answer', back: 0, lost: false, takes: true }, { kind: 'send', back: 0, request: 'cancel' }, { kind: 'answer', back: 0, lost: true, takes: false }, place00]],
          [[place00, { kind: 'answer', back: 0, lost: true, takes: true }, place00]],
        ],
      },
    );
  });

  it('quotesOf lists a book\'s live quote orders; an amend confirmed changes only an owned order', () => {
    const orders = new OwnedOrders();
    const book = BOOKS[0]!;
    orders.placeQuote(book, 'BTC-PERP', { slot: 'bid-0', clientOrderId: 'a', side: 'buy', price: '100', qty: '1', postOnly: true });
    orders.placeQuote(book, 'BTC-PERP', { slot: 'ask-0', clientOrderId: 'b', side: 'sell', price: '101', qty: '1', postOnly: true });
    orders.setQuotePrice('a', '99', '2');
    expect(orders.quotesOf(book).map((q) => [q.clientOrderId, q.price, q.qty])).toEqual([
      ['a', '99', '2'],
      ['b', '101', '1'],
    ]);
    expect(orders.apply('b', 'gone')).toBe('closed');
    orders.setQuotePrice('b', '1', '1');
    expect(orders.quotesOf(book).map((q) => q.clientOrderId)).toEqual(['a']);
    expect(orders.quoteIds('ETH-PERP')).toEqual([]);
    expect(orders.quoteIds('BTC-PERP')).toEqual(['a']);
  });
});
