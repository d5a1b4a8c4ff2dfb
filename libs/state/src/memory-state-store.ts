import type { Fill, OrderEvent } from '@perpetua/core';
import { applyFillToPosition, applyFunding } from './position-ledger.js';
import { comparePositions, emptyPosition, type Position } from './position.js';
import type { ApplyFillResult, Fence, HaltState, StateStore } from './state-store.js';
import { StateClosedError, StateFencedError } from './state-errors.js';
import { FillContentWindow } from './fill-content-window.js';
import { parseFill, parseFunding, parseHalt, parseKeyPart, parseOpenOrders, parseWatermark } from './state-input.js';

/**
 * The data behind memory stores. Several MemoryStateStore instances may share
 * one, the way several Redis connections share one server (tests use this to
 * run "many clients" against the memory implementation).
 */
export class MemoryStateBackend {
  /**
   * Fill ids remembered per venue for idempotency, and fill ids logged per position: the newest `maxFillIds`
   * (default 100,000) of each. A process on the memory store runs for weeks (`npm start`) and books a fill every
   * second or two: unbounded, these grew by every fill ever booked. A fill is only ever seen again within a
   * venue's look-back (a reconnect, a reconcile), far fewer fills back than this.
   */
  readonly maxFillIds: number;

  constructor(limits: { maxFillIds?: number } = {}) {
    this.maxFillIds = Math.max(1, limits.maxFillIds ?? DEFAULT_MAX_FILL_IDS);
  }

  readonly positions = new Map<string, Position>();
  readonly fillIds = new Map<string, Set<string>>();
  /** Fills known by content as well as by id (fill-content-dedupe.ts), bounded. */
  readonly fillContents = new FillContentWindow();
  readonly fillLogs = new Map<string, string[]>();
  readonly fundingIds = new Map<string, Set<string>>();
  readonly openOrders = new Map<string, OrderEvent[]>();
  readonly fillWatermarks = new Map<string, number>();
  readonly fundingWatermarks = new Map<string, number>();
  /** The highest fencing token written per scope. */
  readonly fences = new Map<string, number>();
  halt: HaltState = { halted: false };
}

const DEFAULT_MAX_FILL_IDS = 100_000;

/** In-process StateStore for the single-process default and tests. Nothing survives the process. */
export class MemoryStateStore implements StateStore {
  private closed = false;

  constructor(
    private readonly data: MemoryStateBackend = new MemoryStateBackend(),
    private readonly fence?: Fence,
  ) {}

  fenced(fence: Fence): StateStore {
    return new MemoryStateStore(this.data, fence);
  }

  /** Like the Redis scripts: refuse a stale or missing token, else raise the scope's highest; synchronous with the write that follows. */
  private checkFence(what: string): void {
    if (!this.fence) return;
    const token = this.fence.token();
    if (token === undefined) throw new StateFencedError(`${this.fence.scope}: not the leader, write refused`);
    const cur = this.data.fences.get(this.fence.scope) ?? 0;
    if (token < cur) throw new StateFencedError(`${this.fence.scope}: a newer leader wrote since; ${what} refused (stale token)`);
    this.data.fences.set(this.fence.scope, token);
  }

  async applyFill(input: Fill): Promise<ApplyFillResult> {
    this.open();
    const fill = parseFill(input);
    const key = positionKey(fill.venue, fill.account, fill.symbol);
    const current = this.data.positions.get(key) ?? emptyPosition(fill.venue, fill.account, fill.symbol);
    const seen = setIn(this.data.fillIds, fill.venue);
    const known = seen.has(fill.fillId);
    // Compute before recording anything, so a fill the ledger refuses leaves no trace.
    const next = known || this.data.fillContents.isDuplicate(fill) ? current : applyFillToPosition(current, fill);
    this.checkFence(fill.fillId);
    if (known) return { applied: false, position: { ...current } };
    seen.add(fill.fillId);
    const max = this.data.maxFillIds;
    if (seen.size > max + Math.floor(max / 10)) forgetOldest(seen, max);
    // The same trade booked under its other id: its id is known from now on, the position stays.
    if (!this.data.fillContents.admit(fill)) return { applied: false, position: { ...current } };
    this.data.positions.set(key, next);
    const log = this.data.fillLogs.get(key) ?? [];
    log.push(fill.fillId);
    if (log.length > max + Math.floor(max / 10)) log.splice(0, log.length - max);
    this.data.fillLogs.set(key, log);
    return { applied: true, position: { ...next } };
  }

  async applyFunding(venue: string, account: string, symbol: string, amount: string, paymentId: string, at?: number): Promise<boolean> {
    this.open();
    const f = parseFunding(venue, account, symbol, amount, paymentId);
    const key = positionKey(f.venue, f.account, f.symbol);
    const seen = setIn(this.data.fundingIds, key);
    this.checkFence(f.paymentId);
    if (seen.has(f.paymentId)) return false;
    const current = this.data.positions.get(key) ?? emptyPosition(f.venue, f.account, f.symbol);
    this.data.positions.set(key, applyFunding(current, f.amount, at ?? current.updatedAt));
    seen.add(f.paymentId);
    return true;
  }

  async getPosition(venue: string, account: string, symbol: string): Promise<Position | undefined> {
    this.open();
    const p = this.data.positions.get(positionKey(venue, account, symbol));
    return p && { ...p };
  }

  async listPositions(): Promise<Position[]> {
    this.open();
    return [...this.data.positions.values()].map((p) => ({ ...p })).sort(comparePositions);
  }

  async fillLog(venue: string, account: string, symbol: string): Promise<string[]> {
    this.open();
    return [...(this.data.fillLogs.get(positionKey(venue, account, symbol)) ?? [])];
  }

  async hasFill(venue: string, fillId: string): Promise<boolean> {
    this.open();
    return this.data.fillIds.get(venue)?.has(fillId) ?? false;
  }

  async isFillBooked(fill: Fill): Promise<boolean> {
    this.open();
    return (this.data.fillIds.get(fill.venue)?.has(fill.fillId) ?? false) || this.data.fillContents.isDuplicate(fill);
  }

  async getHalt(): Promise<HaltState> {
    this.open();
    return { ...this.data.halt };
  }

  async setHalt(state: HaltState): Promise<void> {
    this.open();
    const halt = parseHalt(state);
    this.checkFence('the halt state');
    this.data.halt = { ...halt };
  }

  async saveOpenOrders(venue: string, account: string, orders: OrderEvent[]): Promise<void> {
    this.open();
    parseKeyPart('venue', venue);
    parseKeyPart('account', account);
    const list = parseOpenOrders(venue, account, orders);
    this.checkFence('open orders');
    this.data.openOrders.set(JSON.stringify([venue, account]), structuredClone(list));
  }

  async loadOpenOrders(venue: string, account: string): Promise<OrderEvent[]> {
    this.open();
    return structuredClone(this.data.openOrders.get(JSON.stringify([venue, account])) ?? []);
  }

  async getFillWatermark(venue: string, account: string): Promise<number | undefined> {
    this.open();
    return this.data.fillWatermarks.get(JSON.stringify([venue, account]));
  }

  async advanceFillWatermark(venue: string, account: string, tsMs: number): Promise<void> {
    this.open();
    parseKeyPart('venue', venue);
    parseKeyPart('account', account);
    const ts = parseWatermark(tsMs);
    const key = JSON.stringify([venue, account]);
    this.checkFence('the fill watermark');
    if (ts > (this.data.fillWatermarks.get(key) ?? -1)) this.data.fillWatermarks.set(key, ts);
  }

  async getFundingWatermark(venue: string, account: string): Promise<number | undefined> {
    this.open();
    return this.data.fundingWatermarks.get(JSON.stringify([venue, account]));
  }

  async advanceFundingWatermark(venue: string, account: string, tsMs: number): Promise<void> {
    this.open();
    parseKeyPart('venue', venue);
    parseKeyPart('account', account);
    const ts = parseWatermark(tsMs);
    const key = JSON.stringify([venue, account]);
    this.checkFence('the funding watermark');
    if (ts > (this.data.fundingWatermarks.get(key) ?? -1)) this.data.fundingWatermarks.set(key, ts);
  }

  async close(): Promise<void> {
    this.closed = true; // a view shares the backend: closing it only closes the view
  }

  private open(): void {
    if (this.closed) throw new StateClosedError('state store is closed');
  }
}

function positionKey(venue: string, account: string, symbol: string): string {
  return JSON.stringify([venue, account, symbol]);
}

/** Deletes a set's oldest members (a Set iterates in insertion order) down to `keep`; called a tenth over it, so rarely. */
function forgetOldest(set: Set<string>, keep: number): void {
  for (const id of set) {
    if (set.size <= keep) return;
    set.delete(id);
  }
}

function setIn(map: Map<string, Set<string>>, key: string): Set<string> {
  let s = map.get(key);
  if (!s) map.set(key, (s = new Set()));
  return s;
}
