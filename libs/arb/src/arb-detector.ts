import type { ArbCloseReason, ArbOpportunityMessage, BookMessage } from '@perpetua/core';
import { bookProblem } from './book-check.js';
import { emptyEdgeResult, evaluateEdge, type EdgeParams, type EdgeResult, type PriceLevel } from './edge-math.js';
import { OpportunityTracker, type ArbPair, type Trigger } from './opportunity-tracker.js';

export interface ArbDetectorConfig {
  /** Minimum whole-trade net edge, as a fraction (0.001 = 0.1 %). */
  threshold: number;
  /** Taker fee per venue (the fee of the account's tier), as a fraction. */
  takerFees: Readonly<Record<string, number>>;
  /** For a venue missing from `takerFees`. */
  defaultTakerFee: number;
  /** Largest quantity per symbol, in base units. */
  maxQty: Readonly<Record<string, number>>;
  defaultMaxQty: number;
  /** Levels per side used in the edge walk. */
  depth: number;
  /** A book not updated for this long (detector clock) counts as stale; undefined: only the gateway's flag counts. */
  maxBookAgeMs?: number | undefined;
  /**
   * Baseline for benchmarks and tests: re-evaluate every pair of the symbol on each
   * update. Same events as the incremental path, except that with `maxBookAgeMs` it
   * also closes aged-out pairs of other venues at once instead of at the next sweep.
   */
  evaluateAllPairs?: boolean | undefined;
}

export interface ArbVenueSnapshot {
  symbols: number;
  unusableSymbols: number;
  updates: number;
}

export interface ArbDetectorStats {
  updates: number;
  /** Books refused because their levels were out of order. */
  invalidBooks: number;
  /** Books (venue × symbol) unusable now: stale, aged out, crossed, one-sided, invalid. */
  unusableBooks: number;
  open: number;
  venues: Record<string, ArbVenueSnapshot>;
}

interface VenueInfo {
  readonly name: string;
  readonly index: number;
  readonly fee: number;
  quoteBalance: number | undefined;
  updates: number;
}

/** The latest book of one venue for one symbol. Doubles as the trigger of the evaluations it causes. */
class BookSlot implements Trigger {
  readonly venue: string;
  seq = 0;
  tsExchange = 0;
  tsReceived = 0;
  receivedAt = 0;
  asks: readonly PriceLevel[] = [];
  bids: readonly PriceLevel[] = [];
  problem: ArbCloseReason | undefined = 'missing';

  constructor(readonly info: VenueInfo) {
    this.venue = info.name;
  }
}

interface Board {
  readonly symbol: string;
  readonly maxQty: number;
  /** By venue index (sparse). */
  readonly slots: Array<BookSlot | undefined>;
  /** The same slots, dense, for iteration. */
  readonly present: BookSlot[];
  /** pairs[buyIndex][sellIndex], created when first needed. */
  readonly pairs: Array<Array<ArbPair | undefined> | undefined>;
  /** Base that can be sold, by venue index; undefined = unknown. */
  readonly baseBalances: Array<number | undefined>;
}

/** Venue names come from data: never read an inherited property such as `constructor`. */
const ownValue = (record: Readonly<Record<string, number>>, key: string): number | undefined => (Object.hasOwn(record, key) ? record[key] : undefined);

const NO_EVENTS: readonly ArbOpportunityMessage[] = Object.freeze([]);

/**
 * The pure arbitrage detector. Holds the latest top-N book of every (venue,
 * symbol); on each update it evaluates only the pairs that involve the updated
 * venue, as buyer and as seller (the other pairs' inputs did not change, so
 * their answer cannot have). A stale, crossed, one-sided or invalid book closes
 * every opportunity that involves it and opens none.
 *
 * Books are kept by reference (a parsed message is never mutated); the edge
 * parameters and result live in scratch objects (the tracker copies what it
 * keeps), so an update allocates only the events it returns, beyond the first
 * sight of a venue, symbol or pair.
 */
export class ArbDetector {
  private readonly tracker = new OpportunityTracker();
  private readonly venues = new Map<string, VenueInfo>();
  private readonly boards = new Map<string, Board>();
  private readonly scratch: EdgeParams;
  private readonly scratchResult = emptyEdgeResult();
  private out: ArbOpportunityMessage[] | undefined;
  private updates = 0;
  private invalidBooks = 0;

  constructor(private readonly config: ArbDetectorConfig) {
    this.scratch = { buyFee: 0, sellFee: 0, threshold: config.threshold, maxQty: 0, buyQuoteBalance: undefined, sellBaseBalance: undefined, levels: config.depth };
  }

  /** Takes one book update; returns the lifecycle events it caused (a fresh array, or a shared empty one). */
  onBook(book: BookMessage, now: number): readonly ArbOpportunityMessage[] {
    const info = this.venueOf(book.venue);
    const board = this.boardOf(book.symbol);
    let slot = board.slots[info.index];
    if (slot === undefined) {
      slot = new BookSlot(info);
      board.slots[info.index] = slot;
      board.present.push(slot);
    }
    slot.seq = book.seq;
    slot.tsExchange = book.tsExchange;
    slot.tsReceived = book.tsReceived;
    slot.receivedAt = now;
    slot.asks = book.asks;
    slot.bids = book.bids;
    slot.problem = bookProblem(book, this.config.depth);
    if (slot.problem === 'invalid') this.invalidBooks++;
    info.updates++;
    this.updates++;
    if (this.config.evaluateAllPairs) this.evaluateAll(board, slot, now);
    else this.evaluateVenue(board, slot, now);
    return this.take();
  }

  /**
   * Closes the opportunities of books that aged past `maxBookAgeMs` without an
   * update (a silent gateway flags nothing). Call it periodically.
   */
  sweep(now: number): readonly ArbOpportunityMessage[] {
    const maxAge = this.config.maxBookAgeMs;
    if (maxAge === undefined) return NO_EVENTS;
    for (const board of this.boards.values()) {
      for (const slot of board.present) {
        if (slot.problem !== undefined || now - slot.receivedAt <= maxAge) continue;
        slot.problem = 'stale';
        this.evaluateVenue(board, slot, now);
      }
    }
    return this.take();
  }

  /** Quote available on a venue (caps what can be bought there); undefined = unknown. Re-evaluates its pairs. */
  setQuoteBalance(venue: string, amount: number | undefined, now: number): readonly ArbOpportunityMessage[] {
    const info = this.venueOf(venue);
    info.quoteBalance = amount;
    for (const board of this.boards.values()) {
      const slot = board.slots[info.index];
      if (slot === undefined) continue;
      for (const other of board.present) if (other !== slot) this.evaluatePair(board, slot, other, now, slot);
    }
    return this.take();
  }

  /** Base (or position) that can be sold on a venue for a symbol; undefined = unknown. Re-evaluates its pairs. */
  setBaseBalance(venue: string, symbol: string, amount: number | undefined, now: number): readonly ArbOpportunityMessage[] {
    const info = this.venueOf(venue);
    const board = this.boardOf(symbol);
    board.baseBalances[info.index] = amount;
    const slot = board.slots[info.index];
    if (slot !== undefined) for (const other of board.present) if (other !== slot) this.evaluatePair(board, other, slot, now, slot);
    return this.take();
  }

  /** Open opportunities by pair (live view). */
  openPairs(): ReadonlySet<ArbPair> {
    return this.tracker.open();
  }

  get openCount(): number {
    return this.tracker.openCount;
  }

  /** Books refused so far because their levels were out of order (a cheap counter for the hot path). */
  get invalidBookCount(): number {
    return this.invalidBooks;
  }

  stats(now: number): ArbDetectorStats {
    const venues: Record<string, ArbVenueSnapshot> = {};
    for (const v of this.venues.values()) venues[v.name] = { symbols: 0, unusableSymbols: 0, updates: v.updates };
    let unusableBooks = 0;
    for (const board of this.boards.values()) {
      for (const slot of board.present) {
        const v = venues[slot.venue]!;
        v.symbols++;
        if (this.problemOf(slot, now) !== undefined) {
          v.unusableSymbols++;
          unusableBooks++;
        }
      }
    }
    return { updates: this.updates, invalidBooks: this.invalidBooks, unusableBooks, open: this.tracker.openCount, venues };
  }

  private evaluateVenue(board: Board, slot: BookSlot, now: number): void {
    const present = board.present;
    for (let k = 0; k < present.length; k++) {
      const other = present[k]!;
      if (other === slot) continue;
      this.evaluatePair(board, slot, other, now, slot);
      this.evaluatePair(board, other, slot, now, slot);
    }
  }

  private evaluateAll(board: Board, trigger: BookSlot, now: number): void {
    for (const buy of board.present) for (const sell of board.present) if (buy !== sell) this.evaluatePair(board, buy, sell, now, trigger);
  }

  private evaluatePair(board: Board, buy: BookSlot, sell: BookSlot, now: number, trigger: Trigger): void {
    const pair = board.pairs[buy.info.index]?.[sell.info.index];
    const problem = this.problemOf(buy, now) ?? this.problemOf(sell, now);
    let result: EdgeResult | undefined;
    if (problem === undefined) {
      const p = this.scratch;
      p.buyFee = buy.info.fee;
      p.sellFee = sell.info.fee;
      p.maxQty = board.maxQty;
      p.buyQuoteBalance = buy.info.quoteBalance;
      p.sellBaseBalance = board.baseBalances[sell.info.index];
      result = evaluateEdge(buy.asks, sell.bids, p, this.scratchResult);
    }
    if (result === undefined && pair?.open === undefined) return;
    const e = this.tracker.observe(pair ?? this.pairOf(board, buy, sell), result, now, trigger, problem ?? 'edge_gone');
    if (e !== undefined) (this.out ??= []).push(e);
  }

  private problemOf(slot: BookSlot, now: number): ArbCloseReason | undefined {
    if (slot.problem !== undefined) return slot.problem;
    const maxAge = this.config.maxBookAgeMs;
    return maxAge !== undefined && now - slot.receivedAt > maxAge ? 'stale' : undefined;
  }

  private pairOf(board: Board, buy: BookSlot, sell: BookSlot): ArbPair {
    const row = (board.pairs[buy.info.index] ??= []);
    return (row[sell.info.index] ??= this.tracker.pair(board.symbol, buy.venue, sell.venue));
  }

  private venueOf(name: string): VenueInfo {
    let v = this.venues.get(name);
    if (v === undefined) {
      v = { name, index: this.venues.size, fee: ownValue(this.config.takerFees, name) ?? this.config.defaultTakerFee, quoteBalance: undefined, updates: 0 };
      this.venues.set(name, v);
    }
    return v;
  }

  private boardOf(symbol: string): Board {
    let b = this.boards.get(symbol);
    if (b === undefined) {
      b = { symbol, maxQty: ownValue(this.config.maxQty, symbol) ?? this.config.defaultMaxQty, slots: [], present: [], pairs: [], baseBalances: [] };
      this.boards.set(symbol, b);
    }
    return b;
  }

  private take(): readonly ArbOpportunityMessage[] {
    const out = this.out;
    this.out = undefined;
    return out ?? NO_EVENTS;
  }
}
