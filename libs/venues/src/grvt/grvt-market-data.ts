import { canonicalDecimal, Instrument } from '@perpetua/core';
import { ResilientSocket } from '../connection/resilient-socket.js';
import type { MarketDataAdapter, MarketDataHandlers } from '../venue-adapter.js';
import { GrvtBookSequences } from './grvt-book-sequence.js';
import { describeGrvtError } from './grvt-error-codes.js';
import { GrvtRefusedError, GrvtUncertainError } from './grvt-rest-client.js';
import { GrvtErrorBody } from './grvt-trading-wire.js';
import {
  GrvtAllInstruments,
  GrvtBookFeed,
  GrvtFeedEnvelope,
  GrvtRpcReply,
  GrvtSubscribeResult,
  GrvtTickerFeed,
  GrvtTradeFeed,
  nanosToMs,
} from './grvt-market-wire.js';
import { canonicalToGrvt, grvtToCanonical, isGrvtPerp } from './grvt-symbols.js';

export interface GrvtMarketDataConfig {
  venue?: string;
  /** Default prod: https://market-data.grvt.io, wss://market-data.grvt.io/ws/full. */
  env?: 'testnet' | 'prod';
  /** REST origin override (e.g. the simulator's); paths are /full/v1/... */
  marketDataUrl?: string;
  /** WebSocket override (…/ws/full). */
  marketDataWsUrl?: string;
  /** v1.book.d publishing interval: 50, 100 (default), 500 or 1000 ms. */
  bookRateMs?: number;
  /** GRVT sends no pings we can rely on, but the ticker arrives every 500 ms: silence this long means a dead link. */
  silenceTimeoutMs?: number;
  /** Fee rates (fractions) since the instrument list states none: maker 0, taker 4.5 bps (the lowest tier) by default. */
  makerFee?: number;
  takerFee?: number;
  /** The clock (unix ms) for receive times and silence; default the wall clock. */
  now?: () => number;
}

const HOSTS = {
  prod: { rest: 'https://market-data.grvt.io', ws: 'wss://market-data.grvt.io/ws/full' },
  testnet: { rest: 'https://market-data.testnet.grvt.io', ws: 'wss://market-data.testnet.grvt.io/ws/full' },
} as const;

const BOOK = 'v1.book.d';
const TRADE = 'v1.trade';
const TICKER = 'v1.ticker.s';
/** Trade selectors carry a backlog limit (50, 200, 500, 1000); the smallest is enough to bridge a reconnect. */
const TRADE_LIMIT = 50;
/** Public trade ids remembered so a backlog after a reconnect repeats none: far more than one backlog per instrument. */
const SEEN_TRADES = 20_000;
const TICKER_RATE_MS = 500;
/** How long start() waits for the subscribe answers, and a resubscribed book for its snapshot. */
const ANSWER_TIMEOUT_MS = 10_000;
const RESNAPSHOT_TIMEOUT_MS = 5_000;

type Level = [number, number];

/** Finite [price, size] pairs, best first; size 0 kept for deltas (remove) and dropped from snapshots. */
function toLevels(raw: ReadonlyArray<{ price: string; size: string }>, best: 'high' | 'low', keepZero: boolean): Level[] | undefined {
  const out: Level[] = [];
  for (const { price: p, size: q } of raw) {
    const price = Number(p);
    const size = Number(q);
    if (!Number.isFinite(price) || !Number.isFinite(size) || price <= 0 || size < 0) return undefined;
    if (size > 0 || keepZero) out.push([price, size]);
  }
  return out.sort(best === 'high' ? (a, b) => b[0] - a[0] : (a, b) => a[0] - b[0]);
}

/** Percentage-point text -> fraction, parsed once so it is the double nearest the exact value. */
const pctToFraction = (text: string): number => Number(`${text}e-2`);

interface Pending {
  ids: Set<number>;
  resolve(): void;
  reject(err: Error): void;
}

/**
 * GRVT market data over the `full` JSON-RPC WebSocket: v1.book.d (a full snapshot, then changed levels with
 * absolute sizes), v1.trade and v1.ticker.s (mark, index, funding). Each book feed is sequenced on its own: a lost
 * or unusable delta resubscribes that feed for a fresh snapshot, leaving the other feeds running; if the snapshot
 * does not come, the whole connection is replaced.
 */
export class GrvtMarketData implements MarketDataAdapter {
  readonly venue: string;
  private readonly now: () => number;
  private socket: ResilientSocket | undefined;
  private handlers: MarketDataHandlers | undefined;
  private wanted = new Set<string>();
  private books = new GrvtBookSequences([]);
  /** Public trade ids already reported (bounded, oldest forgotten first). */
  private readonly seenTrades = new Set<string>();
  /** When start() was called (unix ms): backlog trades before it are history, not news. */
  private startedAt = Infinity;
  private readonly resnapshotTimers = new Map<string, NodeJS.Timeout>();
  private nextId = 1;
  private pending: Pending | undefined;
  private closed = false;

  constructor(private readonly config: GrvtMarketDataConfig = {}) {
    this.venue = config.venue ?? 'grvt';
    this.now = config.now ?? Date.now;
  }

  private get restUrl(): string {
    return (this.config.marketDataUrl ?? HOSTS[this.config.env ?? 'prod'].rest).replace(/\/+$/, '');
  }

  private get bookSelectorSuffix(): string {
    return `@${this.config.bookRateMs ?? 100}`;
  }

  /**
   * The listed perpetuals. Fails only with the REST client's typed errors (grvt-rest-client.ts): GrvtRefusedError for
   * a refusal, GrvtUncertainError for no answer, a 5xx, or an answer that is not an instrument list.
   */
  async instruments(): Promise<Instrument[]> {
    let res: Response;
    let json: unknown;
    try {
      res = await fetch(`${this.restUrl}/full/v1/all_instruments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ is_active: true }),
        signal: AbortSignal.timeout(10_000),
      });
      json = await res.json().catch(() => undefined);
    } catch (err) {
      throw new GrvtUncertainError(`${this.venue}: all_instruments: ${err instanceof Error && err.name === 'TimeoutError' ? 'no answer within 10000 ms' : err instanceof Error ? err.message : String(err)}`);
    }
    if (!res.ok) {
      const e = GrvtErrorBody.safeParse(json);
      const detail = e.success ? describeGrvtError(e.data.code, e.data.message) : `HTTP ${res.status}`;
      if (res.status >= 500) throw new GrvtUncertainError(`${this.venue}: all_instruments: HTTP ${res.status} ${detail}`);
      throw new GrvtRefusedError(`${this.venue}: all_instruments: ${detail}`, res.status, e.success ? e.data.code : undefined);
    }
    const parsed = GrvtAllInstruments.safeParse(json);
    if (!parsed.success) throw new GrvtUncertainError(`${this.venue}: all_instruments has an unexpected shape: ${parsed.error.issues[0]?.message ?? ''}`);
    return parsed.data.result
      .filter((i) => i.kind === 'PERPETUAL' && isGrvtPerp(i.instrument))
      .map((i) => {
        const inst = Instrument.safeParse({
          venue: this.venue,
          symbol: grvtToCanonical(i.instrument),
          venueSymbol: i.instrument,
          base: i.base,
          quote: i.quote,
          tickSize: canonicalDecimal(i.tick_size),
          // GRVT sizes step in min_size (ccxt takes it as the amount precision); base_decimals only scales signed sizes.
          lotSize: canonicalDecimal(i.min_size),
          minQty: canonicalDecimal(i.min_size),
          minNotional: i.min_notional !== undefined ? canonicalDecimal(i.min_notional) : undefined,
          makerFee: this.config.makerFee ?? 0,
          takerFee: this.config.takerFee ?? 0.00045,
        });
        if (!inst.success) throw new GrvtUncertainError(`${this.venue}: all_instruments: ${i.instrument}: ${inst.error.issues[0]?.path.join('.') ?? ''} ${inst.error.issues[0]?.message ?? ''}`.trim());
        return inst.data;
      });
  }

  async start(symbols: string[], handlers: MarketDataHandlers): Promise<void> {
    if (this.socket) throw new Error(`${this.venue}: market data already started`);
    this.handlers = handlers;
    this.startedAt = this.now();
    this.wanted = new Set(symbols.map((s) => canonicalToGrvt(s)));
    this.books = new GrvtBookSequences(this.wanted);
    const answered = new Promise<void>((resolve, reject) => (this.pending = { ids: new Set(), resolve, reject }));
    answered.catch(() => undefined); // observed below; a rejection before then must not go unhandled
    this.socket = new ResilientSocket({
      url: this.config.marketDataWsUrl ?? HOSTS[this.config.env ?? 'prod'].ws,
      silenceTimeoutMs: this.config.silenceTimeoutMs ?? 15_000,
      onOpen: () => this.subscribeAll(),
      onState: (state, reason) => handlers.onStatus?.(state, reason),
      onMessage: (text) => this.onMessage(text),
    });
    const timer = setTimeout(() => this.pending?.reject(new Error(`${this.venue}: no subscribe answer within ${ANSWER_TIMEOUT_MS} ms`)), ANSWER_TIMEOUT_MS);
    try {
      // Together, so a timeout or close() also ends a wait for a connection that never opens.
      await Promise.all([this.socket.whenOpen(), answered]);
    } catch (err) {
      await this.close();
      throw err;
    } finally {
      clearTimeout(timer);
      this.pending = undefined;
    }
  }

  /** On every (re)connect: every feed from scratch. */
  private subscribeAll(): void {
    for (const t of this.resnapshotTimers.values()) clearTimeout(t);
    this.resnapshotTimers.clear();
    const names = [...this.wanted];
    this.books.restartAll();
    this.send('subscribe', BOOK, names.map((n) => n + this.bookSelectorSuffix), true);
    this.send('subscribe', TRADE, names.map((n) => `${n}@${TRADE_LIMIT}`), true);
    this.send('subscribe', TICKER, names.map((n) => `${n}@${TICKER_RATE_MS}`), true);
  }

  private send(method: 'subscribe' | 'unsubscribe', stream: string, selectors: string[], awaited = false): void {
    const id = this.nextId++;
    if (awaited) this.pending?.ids.add(id);
    this.socket?.send(JSON.stringify({ jsonrpc: '2.0', method, params: { stream, selectors }, id }));
  }

  /** One book feed lost a message: report it, and subscribe that feed again for a fresh snapshot. */
  private resnapshot(name: string, reason: string): void {
    if (!this.wanted.has(name) || this.closed) return;
    const seq = this.books;
    const symbol = grvtToCanonical(name);
    this.handlers?.onStatus?.('resyncing', `${symbol}: ${reason}`);
    seq.restart(name);
    const selector = name + this.bookSelectorSuffix;
    // Unsubscribe first: a plain re-subscribe to the same selector is not documented to send a new snapshot.
    this.send('unsubscribe', BOOK, [selector]);
    this.send('subscribe', BOOK, [selector]);
    clearTimeout(this.resnapshotTimers.get(name));
    const timer = setTimeout(() => {
      this.resnapshotTimers.delete(name);
      if (seq.waiting(name)) this.socket?.resync(`${symbol}: no snapshot ${RESNAPSHOT_TIMEOUT_MS} ms after resubscribing`);
    }, RESNAPSHOT_TIMEOUT_MS);
    timer.unref();
    this.resnapshotTimers.set(name, timer);
  }

  private onMessage(text: string): void {
    const h = this.handlers;
    if (!h) return;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      h.onInvalid?.('not_json', text.slice(0, 120));
      return;
    }
    if (typeof json === 'object' && json !== null && 'feed' in json) {
      const env = GrvtFeedEnvelope.safeParse(json);
      if (!env.success) return void h.onInvalid?.('envelope', env.error.issues[0]?.message ?? 'bad envelope');
      this.onFeed(env.data, h);
      return;
    }
    const reply = GrvtRpcReply.safeParse(json);
    if (!reply.success) return void h.onInvalid?.('envelope', reply.error.issues[0]?.message ?? 'neither a feed nor a JSON-RPC answer');
    this.onReply(reply.data, h);
  }

  private onReply(reply: GrvtRpcReply, h: MarketDataHandlers): void {
    const awaited = reply.id !== undefined && this.pending?.ids.delete(reply.id) === true;
    if (reply.error) {
      const msg = `${reply.method ?? 'request'} refused: ${reply.error.code} ${reply.error.message}`;
      if (awaited) this.pending?.reject(new Error(`${this.venue}: ${msg}`));
      // A refusal after start (e.g. on a reconnect) has nowhere better to go than the invalid-message counter.
      else h.onInvalid?.('rpc_error', msg);
      return;
    }
    if (reply.method === 'subscribe') {
      const result = GrvtSubscribeResult.safeParse(reply.result);
      if (!result.success) return void h.onInvalid?.('subscribe_result', result.error.issues[0]?.message ?? '');
      if (result.data.stream === BOOK) {
        result.data.subs.forEach((selector, i) => {
          const first = result.data.first_sequence_number?.[i];
          const latest = result.data.latest_sequence_number?.[i];
          this.books.subscribed(instrumentOf(selector), { first, latest });
        });
      }
    }
    if (awaited && this.pending?.ids.size === 0) this.pending.resolve();
  }

  private onFeed(env: GrvtFeedEnvelope, h: MarketDataHandlers): void {
    const now = this.now();
    const name = instrumentOf(env.selector);
    if (!this.wanted.has(name)) return void h.onInvalid?.('unrequested', `${env.stream} ${env.selector}`);
    switch (env.stream) {
      case BOOK:
        return this.onBook(env, name, h, now);
      case TRADE: {
        const t = GrvtTradeFeed.safeParse(env.feed);
        if (!t.success || t.data.instrument !== name) return void h.onInvalid?.('trade', t.success ? `instrument ${t.data.instrument} on ${env.selector}` : (t.error.issues[0]?.message ?? ''));
        // Sequence 0 is the snapshot GRVT sends on subscribing: the last `limit` trades. What happened before start()
        // is history; after a reconnect the rest bridges the gap, minus the trades already reported (by id).
        if (env.sequence_number === 0 && nanosToMs(t.data.event_time) < this.startedAt) return;
        const price = Number(t.data.price);
        const size = Number(t.data.size);
        if (!(price > 0 && size > 0 && Number.isFinite(price) && Number.isFinite(size))) return void h.onInvalid?.('trade', 'non-positive price or size');
        // Remembered only once taken: a refused message must not hide the good one with its id.
        if (!this.rememberTrade(t.data.trade_id)) return;
        h.onTrade?.({
          symbol: grvtToCanonical(name),
          tradeId: t.data.trade_id,
          price,
          size,
          side: t.data.is_taker_buyer ? 'buy' : 'sell',
          tsExchange: nanosToMs(t.data.event_time),
          tsReceived: now,
        });
        return;
      }
      case TICKER: {
        const m = GrvtTickerFeed.safeParse(env.feed);
        if (!m.success || m.data.instrument !== name) return void h.onInvalid?.('ticker', m.success ? `instrument ${m.data.instrument} on ${env.selector}` : (m.error.issues[0]?.message ?? ''));
        const markPrice = Number(m.data.mark_price);
        if (!(markPrice > 0 && Number.isFinite(markPrice))) return void h.onInvalid?.('ticker', 'non-positive mark price');
        const funding = m.data.funding_rate ?? m.data.funding_rate_8h_curr;
        const index = m.data.index_price !== undefined ? Number(m.data.index_price) : undefined;
        h.onMark?.({
          symbol: grvtToCanonical(name),
          markPrice,
          indexPrice: index !== undefined && index > 0 && Number.isFinite(index) ? index : undefined,
          fundingRate: funding !== undefined ? pctToFraction(funding) : undefined,
          nextFundingTime: m.data.next_funding_time !== undefined ? nanosToMs(m.data.next_funding_time) : undefined,
          tsExchange: nanosToMs(m.data.event_time),
          tsReceived: now,
        });
        return;
      }
      default:
        return; // streams we did not ask for
    }
  }

  /** False when the trade was already reported. */
  private rememberTrade(id: string): boolean {
    if (this.seenTrades.has(id)) return false;
    this.seenTrades.add(id);
    if (this.seenTrades.size > SEEN_TRADES) this.seenTrades.delete(this.seenTrades.values().next().value!);
    return true;
  }

  private onBook(env: GrvtFeedEnvelope, name: string, h: MarketDataHandlers, now: number): void {
    const seq = this.books;
    const isSnapshot = env.sequence_number === 0;
    let prevVenueSeq: number | undefined;
    if (!isSnapshot) {
      // Sequence first: a delta that is stale or out of turn is never worth parsing.
      const verdict = seq.delta(name, env.sequence_number, env.prev_sequence_number);
      if (verdict.kind === 'waiting' || verdict.kind === 'skip') return;
      if (verdict.kind === 'gap') {
        // Counted per stream, a gap may be any instrument's lost message: every book of the stream starts again.
        if (verdict.scope === 'instrument') return this.resnapshot(name, verdict.reason);
        for (const other of this.wanted) this.resnapshot(other, verdict.reason);
        return;
      }
      prevVenueSeq = verdict.prev;
    }
    const b = GrvtBookFeed.safeParse(env.feed);
    const bids = b.success ? toLevels(b.data.bids, 'high', !isSnapshot) : undefined;
    const asks = b.success ? toLevels(b.data.asks, 'low', !isSnapshot) : undefined;
    if (!b.success || !bids || !asks || b.data.instrument !== name) {
      h.onInvalid?.('book', !b.success ? (b.error.issues[0]?.message ?? '') : b.data.instrument !== name ? `instrument ${b.data.instrument} on ${env.selector}` : 'non-numeric or out-of-range level');
      // The message is lost to us: the book can only be trusted again from a new snapshot.
      return this.resnapshot(name, `unusable ${isSnapshot ? 'snapshot' : 'delta'} ${env.sequence_number}`);
    }
    const symbol = grvtToCanonical(name);
    const tsExchange = nanosToMs(b.data.event_time);
    if (!isSnapshot) {
      h.onBook({ kind: 'delta', symbol, bids, asks, venueSeq: env.sequence_number, prevVenueSeq, tsExchange, tsReceived: now });
      return;
    }
    const venueSeq = seq.snapshot(name);
    const pendingTimer = this.resnapshotTimers.get(name);
    clearTimeout(pendingTimer);
    const wasResyncing = this.resnapshotTimers.delete(name);
    h.onBook({ kind: 'snapshot', symbol, bids, asks, venueSeq, tsExchange, tsReceived: now });
    if (wasResyncing && this.resnapshotTimers.size === 0) h.onStatus?.('connected', `${symbol}: fresh snapshot`);
  }

  /** Asks for a fresh snapshot of `symbol` (the gateway found its book untrustworthy). */
  resync(symbol: string, reason: string): void {
    this.resnapshot(canonicalToGrvt(symbol), reason);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.resnapshotTimers.values()) clearTimeout(t);
    this.resnapshotTimers.clear();
    this.pending?.reject(new Error(`${this.venue}: closed`));
    const socket = this.socket;
    this.socket = undefined;
    await socket?.close();
  }
}

/** `BTC_USDT_Perp@100` -> `BTC_USDT_Perp`. */
const instrumentOf = (selector: string): string => selector.split('@')[0] ?? '';
