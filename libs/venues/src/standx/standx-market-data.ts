import { Instrument } from '@perpetua/core';
import { ResilientSocket } from '../connection/resilient-socket.js';
import type { MarketDataAdapter, MarketDataHandlers } from '../venue-adapter.js';
import { standxConnectionBudgetFor, type StandxConnectionBudget } from './standx-connection-budget.js';
import { StandxDepthBook, StandxEnvelope, StandxPrice, StandxPublicTrade, StandxSymbolInfoList } from './standx-market-wire.js';
import { StandxNoAnswerError, StandxRequestError, StandxResponseError } from './standx-rest-errors.js';
import { StandxSequenceWatch } from './standx-sequence-watch.js';
import { canonicalToStandx, standxToCanonical } from './standx-symbols.js';

export interface StandxMarketDataConfig {
  venue?: string;
  /** REST origin (default https://perps.standx.com); paths are /api/... */
  restBaseUrl?: string;
  /** Market stream (default wss://perps.standx.com/ws-stream/v1). */
  wsUrl?: string;
  /** Fee rates (fractions) when the venue does not state them: maker 1 bp, taker 4 bps by default. */
  makerFee?: number;
  takerFee?: number;
  /** The server pings every ~10 s: silence this long means a dead connection. */
  silenceTimeoutMs?: number;
  /** StandX's per-IP WebSocket limits; default the process-wide budget for the stream's host. */
  connectionBudget?: StandxConnectionBudget;
  /** A dial waited for StandX's connection limits (for a metric). */
  onLimitWait?(limit: 'ws_connections'): void;
  /** Shortest time between two resubscriptions of one channel (evidence of trouble can repeat). Default 5000. */
  resubscribeMinIntervalMs?: number;
  now?: () => number;
}

type Level = [number, number];

/** Positive finite [price, size] pairs, best first (StandX does not sort levels within a message). */
function sortLevels(raw: ReadonlyArray<readonly [string, string]>, best: 'high' | 'low'): Level[] | undefined {
  const out: Level[] = [];
  for (const [p, q] of raw) {
    const price = Number(p);
    const size = Number(q);
    if (!Number.isFinite(price) || !Number.isFinite(size) || price <= 0 || size < 0) return undefined;
    if (size > 0) out.push([price, size]);
  }
  return out.sort(best === 'high' ? (a, b) => b[0] - a[0] : (a, b) => a[0] - b[0]);
}

const isPositive = (x: number): boolean => Number.isFinite(x) && x > 0;

/**
 * StandX market data over its own WebSocket: depth_book full snapshots (levels
 * sorted here), price (mark/index), public_trade. A gap in `seq` is not trouble
 * (StandX does not say what it counts, and a snapshot loses nothing); a channel is
 * resubscribed, on the same connection, only on evidence: its counter going
 * backwards, or a crossed book. Silence replaces the connection (ResilientSocket).
 */
export class StandxMarketData implements MarketDataAdapter {
  readonly venue: string;
  private socket: ResilientSocket | undefined;
  private readonly seqs = new StandxSequenceWatch();
  /** Last resubscription per channel key (bounded by the subscriptions). */
  private readonly resubscribedAt = new Map<string, number>();
  /** Mid of the last good book per StandX symbol: the aggressor side of a trade that does not say. */
  private readonly mids = new Map<string, number>();
  private readonly now: () => number;
  /** Channels resubscribed on evidence since start. */
  resubscribes = 0;

  constructor(private readonly config: StandxMarketDataConfig = {}) {
    this.venue = config.venue ?? 'standx';
    this.now = config.now ?? Date.now;
  }

  private get rest(): string {
    return (this.config.restBaseUrl ?? 'https://perps.standx.com').replace(/\/+$/, '');
  }

  /**
   * The listed symbols. Fails only with the REST client's typed errors (standx-rest-errors.ts): no answer, a refusal,
   * or an answer that is not a symbol list (not JSON, or a symbol no Instrument can hold).
   */
  async instruments(): Promise<Instrument[]> {
    const endpoint = 'query_symbol_info';
    let res: Response;
    let text: string;
    try {
      res = await fetch(`${this.rest}/api/${endpoint}`, { signal: AbortSignal.timeout(10_000) });
      text = await res.text();
    } catch (err) {
      const timedOut = err instanceof Error && err.name === 'TimeoutError';
      throw new StandxNoAnswerError(endpoint, timedOut ? 'timeout' : 'network', timedOut ? '10000 ms' : err instanceof Error ? err.message.slice(0, 200) : 'request failed');
    }
    if (!res.ok) throw new StandxRequestError(endpoint, res.status, text.slice(0, 200) || `HTTP ${res.status}`);
    const parsed = StandxSymbolInfoList.safeParse(jsonOrUndefined(text));
    if (!parsed.success) throw new StandxResponseError(endpoint, parsed.error.issues[0]?.message ?? 'not a symbol list');
    return parsed.data.map((s) => {
      const inst = Instrument.safeParse({
        venue: this.venue,
        symbol: standxToCanonical(s.symbol),
        venueSymbol: s.symbol,
        base: s.base_asset,
        quote: s.quote_asset,
        tickSize: (10 ** -s.price_tick_decimals).toFixed(s.price_tick_decimals),
        lotSize: (10 ** -s.qty_tick_decimals).toFixed(s.qty_tick_decimals),
        minQty: s.min_order_qty,
        makerFee: s.maker_fee !== undefined ? Number(s.maker_fee) : (this.config.makerFee ?? 0.0001),
        takerFee: s.taker_fee !== undefined ? Number(s.taker_fee) : (this.config.takerFee ?? 0.0004),
      });
      if (!inst.success) throw new StandxResponseError(endpoint, `symbol ${s.symbol}: ${inst.error.issues[0]?.path.join('.') ?? ''} ${inst.error.issues[0]?.message ?? ''}`.trim());
      return inst.data;
    });
  }

  async start(symbols: string[], handlers: MarketDataHandlers): Promise<void> {
    const wanted = new Set(symbols.map(canonicalToStandx));
    const url = this.config.wsUrl ?? 'wss://perps.standx.com/ws-stream/v1';
    const budget = this.config.connectionBudget ?? standxConnectionBudgetFor(url);
    this.socket = new ResilientSocket({
      url,
      silenceTimeoutMs: this.config.silenceTimeoutMs ?? 30_000,
      admit: () => budget.acquire(() => this.config.onLimitWait?.('ws_connections')),
      onOpen: (s) => {
        this.seqs.reset();
        for (const symbol of wanted)
          for (const channel of ['depth_book', 'price', 'public_trade']) s.send(JSON.stringify({ subscribe: { channel, symbol } }));
      },
      onState: (state, reason) => handlers.onStatus?.(state, reason),
      onMessage: (text) => this.onMessage(text, wanted, handlers),
    });
    await this.socket.whenOpen();
  }

  /** Subscribes a channel again on the same connection (a fresh snapshot), at most once per interval per channel. */
  private resubscribe(channel: string, symbol: string, h: MarketDataHandlers, why: string): void {
    const key = `${channel}|${symbol}`;
    const t = this.now();
    const last = this.resubscribedAt.get(key);
    h.onInvalid?.(why, `${key}`);
    if (last !== undefined && t - last < (this.config.resubscribeMinIntervalMs ?? 5_000)) return;
    this.resubscribedAt.set(key, t);
    this.seqs.reset(key);
    this.resubscribes++;
    this.socket?.send(JSON.stringify({ subscribe: { channel, symbol } }));
  }

  private onMessage(text: string, wanted: ReadonlySet<string>, h: MarketDataHandlers): void {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      h.onInvalid?.('not_json', text.slice(0, 120));
      return;
    }
    const env = StandxEnvelope.safeParse(json);
    if (!env.success) {
      h.onInvalid?.('envelope', env.error.issues[0]?.message ?? 'bad envelope');
      return;
    }
    const { seq, channel, data } = env.data;
    const symbolOf = (d: unknown): string | undefined =>
      env.data.symbol ?? (d instanceof Object && 'symbol' in d && typeof d.symbol === 'string' ? d.symbol : undefined);
    const sym = symbolOf(data);
    if (sym !== undefined && (channel === 'depth_book' || channel === 'price' || channel === 'public_trade') && !this.seqs.observe(`${channel}|${sym}`, seq)) {
      // Older than what this channel already told: stale or replayed, never applied.
      if (wanted.has(sym)) this.resubscribe(channel, sym, h, 'seq_backwards');
      return;
    }
    const now = this.now();
    switch (channel) {
      case 'depth_book': {
        const d = StandxDepthBook.safeParse(data);
        if (!d.success || !wanted.has(d.data.symbol)) return void h.onInvalid?.('depth_book', d.success ? `unrequested ${d.data.symbol}` : (d.error.issues[0]?.message ?? ''));
        const bids = sortLevels(d.data.bids, 'high');
        const asks = sortLevels(d.data.asks, 'low');
        if (!bids || !asks) return void h.onInvalid?.('depth_book', 'non-numeric or negative level');
        if (bids.length > 0 && asks.length > 0 && bids[0]![0] >= asks[0]![0]) {
          // A venue's own book does not cross: this snapshot is wrong, ask for a fresh one.
          return this.resubscribe('depth_book', d.data.symbol, h, 'crossed_book');
        }
        if (bids.length > 0 && asks.length > 0) this.mids.set(d.data.symbol, (bids[0]![0] + asks[0]![0]) / 2);
        // StandX's depth_book carries no exchange time: the receive time stands in.
        h.onBook({ kind: 'snapshot', symbol: standxToCanonical(d.data.symbol), bids, asks, venueSeq: seq, tsExchange: now, tsReceived: now });
        return;
      }
      case 'price': {
        const p = StandxPrice.safeParse(data);
        if (!p.success) return void h.onInvalid?.('price', p.error.issues[0]?.message ?? '');
        const t = p.data.time ? Date.parse(p.data.time) : NaN;
        // The decimal pattern lets "-5", "0" and 400 digits (Infinity) through: a mark must be a positive number.
        const markPrice = Number(p.data.mark_price);
        if (!isPositive(markPrice)) return void h.onInvalid?.('price', `mark price ${p.data.mark_price.slice(0, 40)}`);
        const index = p.data.index_price ? Number(p.data.index_price) : undefined;
        h.onMark?.({
          symbol: standxToCanonical(p.data.symbol),
          markPrice,
          indexPrice: index !== undefined && isPositive(index) ? index : undefined,
          tsExchange: Number.isFinite(t) ? t : now,
          tsReceived: now,
        });
        return;
      }
      case 'public_trade': {
        const t = StandxPublicTrade.safeParse(data);
        if (!t.success) return void h.onInvalid?.('public_trade', t.error.issues[0]?.message ?? '');
        const parsedTime = t.data.time ? Date.parse(t.data.time) : NaN;
        const ts = Number.isFinite(parsedTime) ? parsedTime : now;
        const price = Number(t.data.price);
        const size = Number(t.data.qty);
        if (!isPositive(price) || !isPositive(size)) return void h.onInvalid?.('public_trade', `non-positive price or size ${t.data.price.slice(0, 40)} x ${t.data.qty.slice(0, 40)}`);
        const side = t.data.is_buyer_taker != null ? (t.data.is_buyer_taker ? 'buy' : 'sell') : (t.data.side ?? this.aggressorByMid(t.data.symbol, price));
        h.onTrade?.({
          symbol: standxToCanonical(t.data.symbol),
          // Without an id (or an empty one), time + price + size name the trade: the same trade told twice gets the same id.
          tradeId: t.data.id != null && t.data.id !== '' ? String(t.data.id) : `t-${ts}-${t.data.price}-${t.data.qty}`,
          price,
          size,
          side,
          tsExchange: ts,
          tsReceived: now,
        });
        return;
      }
      default:
        return; // auth replies, errors and channels we did not ask for
    }
  }

  /** A trade at or above the last mid was bought by the taker; below it, sold (no book yet: buy). */
  private aggressorByMid(symbol: string, price: number): 'buy' | 'sell' {
    const mid = this.mids.get(symbol);
    return mid === undefined || price >= mid ? 'buy' : 'sell';
  }

  async close(): Promise<void> {
    await this.socket?.close();
  }
}

function jsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
