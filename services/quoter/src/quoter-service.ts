import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import { BookMessage, subjects, trySnapQty, snapPrice, type Instrument, type QuoteIntent, type WantedQuote } from '@perpetua/core';
import type { Bus, Subscription } from '@perpetua/bus';
import { fixedSpreadQuotes, type FixedSpreadParams, type MarketView } from '@perpetua/strategies';

export interface QuoterConfig {
  /** Strategy instance id: names the intent subject and the client order ids' owner. */
  id: string;
  venue: string;
  account: string;
  symbol: string;
  params: FixedSpreadParams;
}

export interface QuoterDeps {
  bus: Bus;
  instrument: Instrument;
  logger: Logger;
  registry: Registry;
  now?: () => number;
}

/**
 * Quoter: turns each fresh book into the full set of quotes the strategy wants
 * resting, snapped to the instrument at this edge, and publishes it only when
 * it changed. It never talks to a venue.
 */
export class QuoterService {
  private sub: Subscription | undefined;
  private lastKey = '';
  private intentSeq = 0;
  private readonly intents: Counter;
  private readonly skipped: Counter;

  constructor(
    private readonly config: QuoterConfig,
    private readonly deps: QuoterDeps,
  ) {
    this.intents = new Counter({ name: 'perpetua_quoter_intents_total', help: 'Quote sets published', labelNames: ['strategy'], registers: [deps.registry] });
    this.skipped = new Counter({ name: 'perpetua_quoter_books_skipped_total', help: 'Books not quoted from, by reason', labelNames: ['strategy', 'reason'], registers: [deps.registry] });
  }

  start(): void {
    const { venue, symbol } = this.config;
    this.sub = this.deps.bus.subscribe(subjects.book(venue, symbol), BookMessage, (book) => this.onBook(book));
  }

  stop(): void {
    this.sub?.unsubscribe();
  }

  private onBook(book: BookMessage): void {
    const now = this.deps.now ?? Date.now;
    const received = now();
    const bid = book.bids[0];
    const ask = book.asks[0];
    let quotes: WantedQuote[] = [];
    if (book.stale || !bid || !ask || bid[0] >= ask[0]) {
      // A stale, one-sided or crossed book is no basis for a price: pull the quotes.
      this.skipped.inc({ strategy: this.config.id, reason: book.stale ? 'stale' : !bid || !ask ? 'one_sided' : 'crossed' });
    } else {
      const view: MarketView = { symbol: book.symbol, bestBid: bid[0], bestAsk: ask[0], mid: (bid[0] + ask[0]) / 2, position: 0, ts: book.tsPublished };
      quotes = this.snap(fixedSpreadQuotes(view, this.config.params));
    }
    const key = quotes.map((q) => `${q.slot}:${q.side}:${q.price}:${q.qty}`).join('|');
    if (key === this.lastKey) return;
    this.lastKey = key;
    const intent: QuoteIntent = {
      intentId: `${this.config.id}-${++this.intentSeq}`,
      strategy: this.config.id,
      venue: this.config.venue,
      account: this.config.account,
      symbol: this.config.symbol,
      quotes,
      bookSeq: book.seq,
      mid: bid && ask ? (bid[0] + ask[0]) / 2 : 1,
      ts: now(),
      trace: { ...book.trace, 'gw.pub': book.tsPublished, 'quoter.recv': received, 'quoter.pub': now() },
    };
    this.deps.bus.publish(subjects.quoteIntent(this.config.id), intent);
    this.intents.inc({ strategy: this.config.id });
  }

  private snap(raw: ReturnType<typeof fixedSpreadQuotes>): WantedQuote[] {
    const out: WantedQuote[] = [];
    for (const r of raw) {
      const qty = trySnapQty(this.deps.instrument, r.qty);
      if (qty === null || !(r.price > 0)) continue;
      out.push({ slot: r.slot, side: r.side, price: snapPrice(this.deps.instrument, r.side, r.price, 'passive'), qty, postOnly: true });
    }
    return out;
  }
}
