import type { ArbCloseReason, ArbEventKind, ArbOpportunityMessage } from '@perpetua/core';
import type { EdgeResult } from './edge-math.js';

/** The book update an evaluation answers to; copied into each event so latency can be measured from it. */
export interface Trigger {
  readonly venue: string;
  readonly seq: number;
  readonly tsExchange: number;
  readonly tsReceived: number;
}

export interface OpenOpportunity {
  readonly openedAt: number;
  peakEdge: number;
  /** The tracker's own copy, updated in place. */
  readonly last: EdgeResult;
}

/**
 * One (symbol, buy venue, sell venue). Interned by the tracker, so the hot path
 * holds the object instead of building a string key per evaluation. `open` is
 * written by OpportunityTracker only.
 */
export class ArbPair {
  open: OpenOpportunity | undefined = undefined;

  constructor(
    readonly symbol: string,
    readonly buyVenue: string,
    readonly sellVenue: string,
  ) {}
}

/**
 * Lifecycle per pair: `opened` when an edge appears, `updated` when its net edge
 * or quantity changes, `closed` when it is gone or a book can no longer be
 * trusted, with the duration and the peak edge seen while open.
 */
export class OpportunityTracker {
  private readonly interned = new Map<string, ArbPair>();
  private readonly openPairs = new Set<ArbPair>();

  pair(symbol: string, buyVenue: string, sellVenue: string): ArbPair {
    const key = JSON.stringify([symbol, buyVenue, sellVenue]);
    let p = this.interned.get(key);
    if (!p) {
      p = new ArbPair(symbol, buyVenue, sellVenue);
      this.interned.set(key, p);
    }
    return p;
  }

  /**
   * Feeds the latest evaluation of a pair: `undefined` means no edge (`reason`
   * says why: the edge is gone, or a book is unusable). Returns the event, if any.
   * `result` is copied, so the caller may reuse the object.
   */
  observe(pair: ArbPair, result: EdgeResult | undefined, now: number, trigger: Trigger, reason: ArbCloseReason = 'edge_gone'): ArbOpportunityMessage | undefined {
    const open = pair.open;
    if (result === undefined) {
      if (!open) return undefined;
      pair.open = undefined;
      this.openPairs.delete(pair);
      return toEvent('closed', pair, open, now, trigger, reason);
    }
    if (!open) {
      const opened: OpenOpportunity = { openedAt: now, peakEdge: result.netEdge, last: { ...result } };
      pair.open = opened;
      this.openPairs.add(pair);
      return toEvent('opened', pair, opened, now, trigger);
    }
    if (result.qty === open.last.qty && result.netEdge === open.last.netEdge) return undefined;
    Object.assign(open.last, result);
    if (result.netEdge > open.peakEdge) open.peakEdge = result.netEdge;
    return toEvent('updated', pair, open, now, trigger);
  }

  get openCount(): number {
    return this.openPairs.size;
  }

  /** The pairs open now (live view; do not close while iterating it). */
  open(): ReadonlySet<ArbPair> {
    return this.openPairs;
  }
}

function toEvent(event: ArbEventKind, pair: ArbPair, o: OpenOpportunity, now: number, trigger: Trigger, reason?: ArbCloseReason): ArbOpportunityMessage {
  const r = o.last;
  const msg: ArbOpportunityMessage = {
    event,
    symbol: pair.symbol,
    buyVenue: pair.buyVenue,
    sellVenue: pair.sellVenue,
    buyPrice: r.bestBuy,
    sellPrice: r.bestSell,
    buyVwap: r.buyVwap,
    sellVwap: r.sellVwap,
    qty: r.qty,
    grossEdge: r.grossEdge,
    netEdge: r.netEdge,
    netProfit: r.netProfit,
    peakEdge: o.peakEdge,
    openedAt: o.openedAt,
    durationMs: Math.max(0, now - o.openedAt),
    ts: now,
    triggerVenue: trigger.venue,
    triggerSeq: trigger.seq,
    tsExchange: trigger.tsExchange,
    tsReceived: trigger.tsReceived,
    // Always present (undefined unless closed) so every event has one shape; JSON drops it.
    reason,
  };
  return msg;
}
