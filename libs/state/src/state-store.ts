import { z } from 'zod';
import type { Fill, OrderEvent } from '@perpetua/core';
import type { Position } from './position.js';

export type { Position } from './position.js';

export interface ApplyFillResult {
  /** false when this (venue, fillId) was applied before: nothing changed. */
  applied: boolean;
  /** The position after the fill (or as it stands, for a duplicate). */
  position: Position;
}

export const HaltState = z.object({
  halted: z.boolean(),
  reason: z.string().max(500).optional(),
  since: z.number().int().nonnegative().optional(),
});
export type HaltState = z.infer<typeof HaltState>;

/**
 * A leader's fencing: its scope (`risk`, `router:<venue>:<account>`) and its
 * current token (the lease revision; undefined while not leader). The store
 * keeps the highest token written per scope and refuses a write carrying an
 * older one, in the same atomic step as the write.
 */
export interface Fence {
  scope: string;
  token: () => number | undefined;
}

/**
 * Positions, PnL, the kill switch and open orders. Two implementations (memory,
 * Redis) pass one contract suite (test/state-contract.ts).
 */
export interface StateStore {
  /**
   * Books a fill atomically; idempotent by (venue, fillId), and by content for a trade told once without the venue's
   * id and once with it (fill-content-dedupe.ts): the second is not booked, its id is known from then on. Rejects a
   * fill that fails its schema.
   */
  applyFill(fill: Fill): Promise<ApplyFillResult>;
  /**
   * Books a funding payment (positive paid, negative received, like fees); idempotent by
   * paymentId within the position. Resolves false for a payment already booked. `at` (the venue's settlement
   * time, ms) moves the position's updatedAt.
   */
  applyFunding(venue: string, account: string, symbol: string, amount: string, paymentId: string, at?: number): Promise<boolean>;
  getPosition(venue: string, account: string, symbol: string): Promise<Position | undefined>;
  /** Every position, sorted by venue, account, symbol. */
  listPositions(): Promise<Position[]>;
  /** Fill ids of the position in the order they were applied. */
  fillLog(venue: string, account: string, symbol: string): Promise<string[]>;
  hasFill(venue: string, fillId: string): Promise<boolean>;
  /** Whether applyFill would find this fill booked already: by its id, or by content (fill-content-dedupe.ts). */
  isFillBooked(fill: Fill): Promise<boolean>;
  /** The kill switch; { halted: false } until set. Survives restarts (in Redis). */
  getHalt(): Promise<HaltState>;
  setHalt(state: HaltState): Promise<void>;
  /** Replaces the open orders kept for (venue, account), for a restarted router to reconcile from. */
  saveOpenOrders(venue: string, account: string, orders: OrderEvent[]): Promise<void>;
  loadOpenOrders(venue: string, account: string): Promise<OrderEvent[]>;
  /**
   * The exchange time (ms) of the newest fill a router has published for (venue, account): where a
   * restarted router starts asking the venue for fills it missed. Undefined until first advanced.
   */
  getFillWatermark(venue: string, account: string): Promise<number | undefined>;
  /** Moves the watermark forward to tsMs; an older tsMs (an adopted fill published late) leaves it unchanged. */
  advanceFillWatermark(venue: string, account: string, tsMs: number): Promise<void>;
  /**
   * The venue time (ms) of the newest funding payment booked for (venue, account): where a router asks the
   * venue for payments from (less a margin), so a restart neither loses nor re-reads a long history.
   */
  getFundingWatermark(venue: string, account: string): Promise<number | undefined>;
  /** Moves the funding watermark forward to tsMs; an older tsMs leaves it unchanged. */
  advanceFundingWatermark(venue: string, account: string, tsMs: number): Promise<void>;

  /**
   * A view whose writes (fills, funding, halt, open orders, watermark) carry the fence's token and are
   * refused with StateFencedError when it is older than one the scope has seen, or absent. Reads are as
   * the store's; closing the view leaves the store open.
   */
  fenced(fence: Fence): StateStore;
  close(): Promise<void>;
}
