import { dec, type WantedQuote } from '@perpetua/core';
import type { SimOrder } from '@perpetua/fills';

/** A resting (or travelling) order of one slot, as the router knows it from the venue's answers. */
interface SlotOrder {
  clientOrderId: string;
  quote: WantedQuote;
  state: 'placing' | 'open' | 'canceling';
}

export interface SlotRouterActions {
  place(order: SimOrder): void;
  cancel(clientOrderId: string): void;
}

/**
 * The order router's rule for a quote set, for the backtest: per slot, an
 * order that differs from the wanted quote is cancelled, and the new one is
 * placed only once the venue has confirmed the old one gone, so a slot never
 * has two live orders; an order still travelling to the venue is waited for
 * (never cancelled blind). Decisions follow what the venue confirmed, never
 * what was asked. Bounded: one order per slot, slots bounded by the set size.
 */
export class SlotRouter {
  private wanted = new Map<string, WantedQuote>();
  private readonly slots = new Map<string, SlotOrder>();
  private readonly slotByOrder = new Map<string, string>();
  private seq = 0;
  placed = 0;
  cancels = 0;

  constructor(
    private readonly prefix: string,
    private readonly actions: SlotRouterActions,
  ) {}

  /** The complete set wanted now (empty: nothing resting). */
  setWanted(quotes: readonly WantedQuote[]): void {
    const next = new Map(quotes.map((q) => [q.slot, q]));
    const touched = new Set([...this.wanted.keys(), ...next.keys(), ...this.slots.keys()]);
    this.wanted = next;
    for (const slot of [...touched].sort()) this.reconcile(slot);
  }

  /** The venue accepted the order: it rests (or is already being filled). */
  onAccepted(clientOrderId: string): void {
    const slot = this.slotByOrder.get(clientOrderId);
    const o = slot !== undefined ? this.slots.get(slot) : undefined;
    if (!o || o.clientOrderId !== clientOrderId || o.state !== 'placing') return;
    o.state = 'open';
    this.reconcile(slot!);
  }

  /** The order is gone for good (filled, cancelled, rejected, expired, or unknown to a cancel). */
  onGone(clientOrderId: string): void {
    const slot = this.slotByOrder.get(clientOrderId);
    if (slot === undefined) return;
    this.slotByOrder.delete(clientOrderId);
    const o = this.slots.get(slot);
    if (o?.clientOrderId === clientOrderId) this.slots.delete(slot);
    this.reconcile(slot);
  }

  /** The slot an order of ours holds (until it is gone). */
  slotOf(clientOrderId: string): string | undefined {
    return this.slotByOrder.get(clientOrderId);
  }

  /** Confirmed resting orders, by slot. */
  resting(): WantedQuote[] {
    const out: WantedQuote[] = [];
    for (const o of this.slots.values()) if (o.state !== 'placing') out.push(o.quote);
    return out;
  }

  private reconcile(slot: string): void {
    const want = this.wanted.get(slot);
    const have = this.slots.get(slot);
    if (have) {
      if (have.state !== 'open') return; // wait for the venue's answer
      if (want && same(want, have.quote)) return;
      have.state = 'canceling';
      this.cancels++;
      this.actions.cancel(have.clientOrderId);
      return;
    }
    if (!want) return;
    const clientOrderId = `${this.prefix}${++this.seq}`;
    this.slots.set(slot, { clientOrderId, quote: want, state: 'placing' });
    this.slotByOrder.set(clientOrderId, slot);
    this.placed++;
    this.actions.place({ clientOrderId, side: want.side, price: dec(want.price), qty: dec(want.qty), tif: want.postOnly ? 'post_only' : 'gtc' });
  }
}

function same(a: WantedQuote, b: WantedQuote): boolean {
  // Equal texts are equal values: the parse only decides between different spellings.
  return a.side === b.side && a.postOnly === b.postOnly && (a.price === b.price || dec(a.price) === dec(b.price)) && (a.qty === b.qty || dec(a.qty) === dec(b.qty));
}
