import type { Instrument, SymbolMap } from '@perpetua/core';
import type { Exchange, OrderBook, Trade } from 'ccxt';
import { ReconnectBackoff } from '../connection/reconnect-backoff.js';
import type { MarketDataAdapter, MarketDataHandlers } from '../venue-adapter.js';
import { createCcxtExchange, type CcxtConnection } from './ccxt-exchange.js';
import { ccxtInstruments, type ContractSpec } from './ccxt-instruments.js';
import { bookEventOf, markEventOf, tradeEventsOf } from './ccxt-market-events.js';
import { ContractSize } from './contract-size.js';
import { guardOkxBookChecksum, type OkxBookGuard } from './okx-book-checksum.js';

export interface CcxtMarketDataConfig {
  venue: string;
  connection: CcxtConnection;
  settle?: string;
  /** Levels per side taken from ccxt's book on each update. */
  depth?: number;
  /** How often mark price and funding are polled. */
  markIntervalMs?: number;
  /** Poll interval when the exchange has no order-book stream. */
  pollIntervalMs?: number;
  /** The clock (unix ms) of receive times, and of exchange times a venue leaves out; default the wall clock. */
  now?: () => number;
}

/**
 * Market data of any ccxt exchange: watchOrderBook / watchTrades loops (or
 * fetchOrderBook polling where there is no stream) and mark/funding polling.
 * ccxt maintains the venue book itself (snapshot + diffs with its own sequence
 * checks), so each update reaches the gateway as a snapshot of the top levels,
 * with ccxt's nonce as the venue sequence. A failed watch reports 'resyncing',
 * backs off with jitter and resubscribes; ccxt then fetches a fresh snapshot.
 */
export class CcxtMarketData implements MarketDataAdapter {
  readonly venue: string;
  private ex: Exchange | undefined;
  private symbols: SymbolMap | undefined;
  private instrumentList: Instrument[] | undefined;
  /** Per venue symbol: ccxt's sizes there are contracts, ours base units. */
  private contracts: Map<string, ContractSpec> | undefined;
  private running = false;
  /** OKX: books whose checksum failed, not to be published (ccxt does not verify OKX's checksum itself). */
  private okxBooks: OkxBookGuard | undefined;
  private readonly loops: Promise<void>[] = [];
  private readonly wakeups = new Set<() => void>();

  private readonly now: () => number;

  constructor(private readonly config: CcxtMarketDataConfig) {
    this.venue = config.venue;
    this.now = config.now ?? Date.now;
  }

  private async exchange(): Promise<Exchange> {
    if (!this.ex) {
      const ex = await createCcxtExchange(this.config.connection);
      if (this.config.connection.exchangeId === 'bybit') guardBybitBookSequence(ex);
      if (this.config.connection.exchangeId === 'okx') this.okxBooks = guardOkxBookChecksum(ex);
      try {
        await ex.loadMarkets();
      } catch (err) {
        // Kept, this exchange would answer every later call with the same rejected load (and no markets):
        // the next attempt (the gateway retries with backoff) starts from a fresh one.
        await ex.close().catch(() => undefined);
        throw err;
      }
      let set: ReturnType<typeof ccxtInstruments>;
      try {
        set = ccxtInstruments(ex, { venue: this.venue, settle: this.config.settle ?? 'USDT' });
      } catch (err) {
        await ex.close().catch(() => undefined);
        throw err;
      }
      const { instruments, symbols, contracts } = set;
      this.contracts = contracts;
      this.instrumentList = instruments;
      this.symbols = symbols;
      this.ex = ex;
    }
    return this.ex;
  }

  async instruments(): Promise<Instrument[]> {
    await this.exchange();
    return this.instrumentList!;
  }

  async start(symbols: string[], handlers: MarketDataHandlers): Promise<void> {
    const ex = await this.exchange();
    const map = this.symbols!;
    for (const s of symbols) map.toVenue(s); // unknown symbols fail here, before anything runs
    this.running = true;
    const streaming = ex.has['watchOrderBook'] === true;
    for (const s of symbols) {
      this.loops.push(this.loop(`book ${s}`, handlers, true, () => (streaming ? this.watchBook(ex, s, handlers) : this.pollBook(ex, s, handlers))));
      if (ex.has['watchTrades'] === true) this.loops.push(this.loop(`trades ${s}`, handlers, false, () => this.watchTrades(ex, s, handlers)));
      if (ex.has['fetchFundingRate'] === true) this.loops.push(this.loop(`mark ${s}`, handlers, false, () => this.pollMark(ex, s, handlers)));
    }
    handlers.onStatus?.('connected');
  }

  /**
   * Runs `body` until close(); a failure backs off (jittered) and retries. A book
   * loop's failure means the book must be rebuilt, so it reports 'resyncing'; a
   * trade or mark loop's failure leaves the books alone and is only counted.
   */
  private async loop(what: string, handlers: MarketDataHandlers, isBook: boolean, body: () => Promise<void>): Promise<void> {
    // The first retry comes quickly (a dropped stream is usually back at once); repeated failures back off to 10 s.
    const backoff = new ReconnectBackoff(50, 10_000);
    while (this.running) {
      try {
        await body();
        backoff.reset();
      } catch (err) {
        if (!this.running) return;
        const reason = `${what}: ${err instanceof Error ? err.message : String(err)}`.slice(0, 300);
        if (isBook) handlers.onStatus?.('resyncing', reason);
        else handlers.onInvalid?.(`${what.split(' ')[0]}_failed`, reason);
        await this.sleep(backoff.nextDelayMs());
        if (this.running && isBook) handlers.onStatus?.('connected');
      }
    }
  }

  private async watchBook(ex: Exchange, symbol: string, h: MarketDataHandlers): Promise<void> {
    // The depth we use, not ccxt's default: a deep REST snapshot costs more rate-limit weight (Binance: 20 for 1000
    // levels, 2 for 50), and every resync waits that long under ccxt's limiter before the book is back.
    const venueSymbol = this.symbols!.toVenue(symbol);
    // OKX: a depth picks the channel (50 = books50-l2-tbt, VIP-only with a login); none is `books`, 400 checksummed levels.
    // Never shallower than 50 (a limit every ccxt perp venue accepts): a local book built from a snapshot only as deep as
    // what we publish loses its last level for good each time an inner level is deleted.
    const ob = await ex.watchOrderBook(venueSymbol, ex.id === 'okx' ? undefined : Math.max(this.config.depth ?? 50, 50));
    this.okxBooks?.throwIfBad(venueSymbol);
    if (this.running) this.emitBook(symbol, ob, h);
  }

  private async pollBook(ex: Exchange, symbol: string, h: MarketDataHandlers): Promise<void> {
    const ob = await ex.fetchOrderBook(this.symbols!.toVenue(symbol), this.config.depth ?? 50);
    if (this.running) this.emitBook(symbol, ob, h);
    await this.sleep(this.config.pollIntervalMs ?? 1_000);
  }

  /** The contract conversion of one of our symbols (the identity where ccxt's sizes are base units). */
  private sizeOf(symbol: string): ContractSize {
    return this.contracts?.get(this.symbols!.toVenue(symbol))?.size ?? ContractSize.UNIT;
  }

  private emitBook(symbol: string, ob: OrderBook, h: MarketDataHandlers): void {
    const book = bookEventOf(symbol, ob, this.config.depth ?? 50, this.sizeOf(symbol), this.now());
    if ('event' in book) h.onBook(book.event);
    else h.onInvalid?.('book', book.invalid);
  }

  private async watchTrades(ex: Exchange, symbol: string, h: MarketDataHandlers): Promise<void> {
    const answer: Trade[] = await ex.watchTrades(this.symbols!.toVenue(symbol));
    const { trades, refused } = tradeEventsOf(symbol, answer, this.sizeOf(symbol), this.now());
    if (!this.running) return;
    for (const why of refused) h.onInvalid?.('trade', why);
    for (const t of trades) h.onTrade?.(t);
  }

  private async pollMark(ex: Exchange, symbol: string, h: MarketDataHandlers): Promise<void> {
    const venueSymbol = this.symbols!.toVenue(symbol);
    const f = await ex.fetchFundingRate(venueSymbol);
    // OKX's funding-rate answer has no mark price: it comes from the mark-price endpoint.
    const m = typeof f.markPrice !== 'number' && ex.has['fetchMarkPrice'] === true ? await ex.fetchMarkPrice(venueSymbol) : undefined;
    const { mark, invalid } = markEventOf(symbol, { funding: f, mark: m }, this.now());
    if (this.running && mark) h.onMark?.(mark);
    if (this.running && invalid) h.onInvalid?.('mark', invalid);
    await this.sleep(this.config.markIntervalMs ?? 1_000);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeups.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeups.add(done);
    });
  }

  async close(): Promise<void> {
    this.running = false;
    for (const wake of [...this.wakeups]) wake();
    // Closing the exchange rejects pending watches, which ends the loops.
    await this.ex?.close().catch(() => undefined);
    await Promise.allSettled(this.loops);
  }
}

/** What the guard needs of a ccxt WebSocket client. */
interface CcxtWsClient {
  close(): unknown;
}
type BookHandler = (client: CcxtWsClient, message: unknown) => void;

/**
 * ccxt's bybit applies orderbook deltas without looking at `u`, the topic's
 * update id (+1 per message), so a lost delta leaves a wrong book that looks
 * fine. This checks `u` before ccxt sees a message; on a gap it drops the
 * topic's deltas until a snapshot and closes the connection: ccxt rejects the
 * watch (the book loop reports 'resyncing') and the next watch reconnects and
 * resubscribes, which brings a fresh snapshot.
 */
function guardBybitBookSequence(ex: Exchange): void {
  const target = ex as unknown as { handleOrderBook: BookHandler };
  const original: BookHandler = target.handleOrderBook.bind(ex);
  /** Topic -> last `u` applied, or 'gap' while waiting for a snapshot. */
  const last = new Map<string, number | 'gap'>();
  target.handleOrderBook = (client, message) => {
    const m = message as { topic?: unknown; type?: unknown; data?: { u?: unknown } } | undefined;
    const topic = typeof m?.topic === 'string' ? m.topic : undefined;
    const u = typeof m?.data?.u === 'number' ? m.data.u : undefined;
    if (topic !== undefined && u !== undefined) {
      const prev = last.get(topic);
      if (m?.type === 'snapshot') last.set(topic, u);
      else if (prev === 'gap') return; // deltas still in flight on the connection being closed
      else if (prev !== undefined && u !== prev + 1) {
        last.set(topic, 'gap');
        Promise.resolve(client.close()).catch(() => undefined);
        return;
      } else last.set(topic, u);
    }
    original(client, message);
  };
}
