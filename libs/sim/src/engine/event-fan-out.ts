import { type Decimal, toText } from '@perpetua/core';
import type { SimBalance, SimBalanceReason, SimEvent, SimFill, SimListener, Unsubscribe } from './types.js';
import type { EngineAccount } from './engine-account.js';
import type { EngineOrder } from './engine-order.js';
import type { EnginePosition } from './engine-position.js';
import type { SymbolState } from './symbol-state.js';
import type { VenueState } from './venue-state.js';
import { diffLevels } from './level-texts.js';
import { computeBalance } from './margin.js';
import { snapshotOrder } from './order-snapshot.js';
import { snapshotPosition } from './positions.js';

/**
 * The venue's one synchronous event stream: its listeners, the events built for them, and the book diffs, which are
 * held back inside a batch and sent as one diff per changed symbol when it ends. Events are only built when someone
 * listens (a balance is computed anyway: its caller wants it).
 */
export class EventFanOut {
  private readonly listeners: SimListener[] = [];
  private batchDepth = 0;

  constructor(private readonly state: VenueState) {}

  /** Whether anyone listens (callers skip building an event nobody would get). */
  get listening(): boolean {
    return this.listeners.length > 0;
  }

  subscribe(listener: SimListener): Unsubscribe {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  emit(e: SimEvent): void {
    const ls = this.listeners;
    if (ls.length === 1) ls[0]!(e);
    else for (const l of [...ls]) l(e);
  }

  emitOrder(order: EngineOrder, execType: 'new' | 'trade' | 'canceled' | 'expired' | 'amended', fill?: SimFill): void {
    if (this.listeners.length === 0) return;
    this.emit({
      type: 'order',
      venue: this.state.name,
      accountId: order.account.id,
      execType,
      order: snapshotOrder(this.state, order),
      ...(fill ? { fill } : {}),
      ts: this.state.clock(),
    });
  }

  emitPosition(account: EngineAccount<EngineOrder>, pos: EnginePosition, reason: 'fill' | 'leverage' | 'funding'): void {
    if (this.listeners.length === 0) return;
    this.emit({
      type: 'position',
      venue: this.state.name,
      accountId: account.id,
      position: snapshotPosition(this.state, account, pos),
      reason,
      ts: this.state.clock(),
    });
  }

  emitBalance(account: EngineAccount<EngineOrder>, reason: SimBalanceReason, delta: Decimal): SimBalance {
    const balance = computeBalance(this.state, account);
    if (this.listeners.length > 0)
      this.emit({ type: 'balance', venue: this.state.name, accountId: account.id, balance, reason, walletDelta: toText(delta), ts: balance.ts });
    return balance;
  }

  /** Runs fn with book diffs held back, then sends one diff per changed symbol. */
  batch<T>(fn: () => T): T {
    this.batchDepth++;
    try {
      return fn();
    } finally {
      this.batchDepth--;
      this.flushIfIdle();
    }
  }

  flushIfIdle(): void {
    if (this.batchDepth === 0) this.flush();
  }

  /** Sends pending book diffs now (no-op when nothing changed). */
  flush(): void {
    for (const s of this.state.symbols.values()) this.flushBook(s);
  }

  /** Sends the symbol's pending book diff, numbering it on from the book's last update id. */
  flushBook(s: SymbolState): void {
    const { book, rt } = s;
    if (!book.dirty) return;
    const bidTicks = book.bids.takeChanged();
    const askTicks = book.asks.takeChanged();
    const n = bidTicks.length + askTicks.length;
    const prev = book.updateId;
    book.updateId = prev + n;
    if (this.listeners.length === 0) return;
    const bids = diffLevels(rt, book.bids, bidTicks);
    const asks = diffLevels(rt, book.asks, askTicks);
    this.emit({
      type: 'book',
      venue: this.state.name,
      symbol: book.symbol,
      firstUpdateId: prev + 1,
      lastUpdateId: prev + n,
      prevUpdateId: prev,
      bids,
      asks,
      ts: this.state.clock(),
    });
  }
}
