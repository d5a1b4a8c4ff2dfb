/**
 * GRVT's public streams on market-data `/ws/full`:
 * - v1.book.s `inst@rate-depth`: the top `depth` levels every `rate` ms (only when the book changed);
 * - v1.book.d `inst@rate`: a full snapshot on subscribing (sequence 0), then every `rate` ms the levels that changed,
 *   sizes absolute, '0' = level removed. Changes are merged per level, so replaying one already contained in the
 *   snapshot is harmless;
 * - v1.trade `inst@limit`: each public trade as it happens; with the dialect's `tradeBacklog`, subscribing first sends
 *   the last `limit` trades as snapshots (sequence 0), oldest first;
 * - v1.mini.s / v1.ticker.s `inst@rate`: a full (mini) ticker every `rate` ms.
 */
import type { SimBookEvent, SimLevel, SimTradeEvent, VenueEngine } from '../../engine/types.js';
import type { FeedEntry, FeedHub, FeedLifecycle } from './feed-hub.js';
import type { GrvtDialectCell } from './grvt-dialect.js';
import type { GrvtInstrument, GrvtInstruments } from './instruments.js';
import type { GrvtMarketDataService } from './market-data-service.js';
import type { PublicSelector, PublicStream } from './selectors.js';
import { bookToWire, tradeToWire } from './wire-format.js';

interface FeedState {
  timer: NodeJS.Timeout | undefined;
  /** book.s: engine update id last published. */
  lastUpdateId: number;
  /** book.d: changes since the last delta, price -> absolute size. */
  bids: Map<string, string>;
  asks: Map<string, string>;
}

export class GrvtMarketFeeds {
  private readonly states = new Map<FeedEntry, FeedState>();
  private hub: FeedHub | undefined;

  constructor(
    private readonly engine: VenueEngine,
    private readonly instruments: GrvtInstruments,
    private readonly md: GrvtMarketDataService,
    private readonly now: () => number,
    private readonly dialect: GrvtDialectCell,
  ) {}

  attach(hub: FeedHub): void {
    this.hub = hub;
  }

  lifecycle(stream: PublicStream): FeedLifecycle {
    return {
      joined: (entry) => this.joined(stream, entry),
      released: (entry) => this.released(entry),
    };
  }

  onBook(ev: SimBookEvent): void {
    const hub = this.hub;
    if (!hub) return;
    const inst = this.instruments.byCanonical(ev.symbol);
    if (!inst) return;
    for (const entry of hub.entries('v1.book.d')) {
      if (selectorOf(entry).instrument !== inst.name) continue;
      const st = this.states.get(entry);
      if (!st) continue;
      for (const [price, size] of ev.bids) st.bids.set(price, size);
      for (const [price, size] of ev.asks) st.asks.set(price, size);
    }
  }

  onTrade(ev: SimTradeEvent): void {
    const hub = this.hub;
    if (!hub) return;
    const inst = this.instruments.byCanonical(ev.symbol);
    if (!inst) return;
    let wire: ReturnType<typeof tradeToWire> | undefined;
    for (const entry of hub.entries('v1.trade')) {
      if (selectorOf(entry).instrument !== inst.name) continue;
      wire ??= tradeToWire(ev, inst, this.engine.mark(inst.symbol));
      hub.publish(entry, wire);
    }
  }

  close(): void {
    for (const st of this.states.values()) if (st.timer) clearInterval(st.timer);
    this.states.clear();
  }

  private joined(stream: PublicStream, entry: FeedEntry): unknown[] {
    const sel = selectorOf(entry);
    const inst = this.instruments.byGrvtName(sel.instrument);
    if (!inst) return [];
    let st = this.states.get(entry);
    if (!st) {
      st = { timer: undefined, lastUpdateId: -1, bids: new Map(), asks: new Map() };
      this.states.set(entry, st);
      if (stream !== 'v1.trade') {
        const state = st;
        st.timer = setInterval(() => this.tick(stream, entry, inst, state), sel.rate);
        st.timer.unref();
      }
    }
    switch (stream) {
      case 'v1.book.s':
        return [this.md.bookSnapshot(inst, sel.depth).wire];
      case 'v1.book.d':
        return [this.md.bookSnapshot(inst, 0).wire];
      case 'v1.mini.s':
        return [this.md.miniTicker(inst, this.now())];
      case 'v1.ticker.s':
        return [this.md.ticker(inst, this.now())];
      case 'v1.trade':
        return this.dialect.value.tradeBacklog ? this.md.trades({ instrument: inst.name, limit: sel.rate }).reverse() : [];
    }
  }

  private released(entry: FeedEntry): void {
    const st = this.states.get(entry);
    if (st?.timer) clearInterval(st.timer);
    this.states.delete(entry);
  }

  private tick(stream: PublicStream, entry: FeedEntry, inst: GrvtInstrument, st: FeedState): void {
    const hub = this.hub;
    if (!hub) return;
    try {
      switch (stream) {
        case 'v1.book.s': {
          const snap = this.md.bookSnapshot(inst, selectorOf(entry).depth);
          if (snap.lastUpdateId === st.lastUpdateId) return;
          st.lastUpdateId = snap.lastUpdateId;
          hub.publish(entry, snap.wire);
          return;
        }
        case 'v1.book.d': {
          if (st.bids.size === 0 && st.asks.size === 0) return;
          const bids = sortLevels(st.bids, -1);
          const asks = sortLevels(st.asks, 1);
          st.bids.clear();
          st.asks.clear();
          hub.publish(entry, bookToWire(inst.name, bids, asks, this.engine.book(inst.symbol, 1).ts));
          return;
        }
        case 'v1.mini.s':
          hub.publish(entry, this.md.miniTicker(inst, this.now()));
          return;
        case 'v1.ticker.s':
          hub.publish(entry, this.md.ticker(inst, this.now()));
          return;
        case 'v1.trade':
          return;
      }
    } catch {
      // A timer callback has nowhere to report to; the next tick tries again.
    }
  }
}

function selectorOf(entry: FeedEntry): PublicSelector {
  if (entry.parsed.kind !== 'public') throw new Error(`grvt façade: ${entry.stream} is not a public feed`);
  return entry.parsed;
}

/** Levels best first: bids descending (dir -1), asks ascending (dir 1). */
function sortLevels(levels: Map<string, string>, dir: 1 | -1): SimLevel[] {
  return [...levels.entries()].sort((a, b) => dir * (Number(a[0]) - Number(b[0])));
}
