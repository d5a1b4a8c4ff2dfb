import { dec, type Fill, type Instrument, type OrderEvent, type OrderStatus } from '@perpetua/core';
import { TokenBucket } from '../connection/token-bucket.js';
import type {
  PlaceResult,
  TradingAdapter,
  TradingHandlers,
  VenueBalance,
  VenueOrder,
  VenueOrderRequest,
  VenuePosition,
} from '../venue-adapter.js';
import { createStandxRequestSigner } from './request-signer.js';
import { StandxFillLedger } from './standx-fill-ledger.js';
import { StandxMarketData } from './standx-market-data.js';
import { StandxOrderTracker } from './standx-order-tracker.js';
import { StandxPrivateStream, type StandxPrivateChannel } from './standx-private-stream.js';
import { StandxRestClient } from './standx-rest-client.js';
import { StandxAuthError, StandxNoAnswerError, StandxRequestError, StandxResponseError } from './standx-rest-errors.js';
import { canonicalToStandx, standxToCanonical } from './standx-symbols.js';
import {
  canonical,
  clientIdOf,
  isTerminal,
  liquidityOf,
  standxTif,
  toFill,
  toVenueOrder,
  toVenuePosition,
  type FeeRates,
} from './standx-trading-map.js';
import {
  StandxBalance,
  StandxOrder,
  StandxOrderPage,
  StandxPositionList,
  StandxTrade,
  StandxTradePage,
  type StandxOrder as StandxOrderRecord,
  type StandxTrade as StandxTradeRecord,
} from './standx-trading-wire.js';

export interface StandxTradingConfig {
  venue?: string;
  /** Our name for the account (on every order event and fill). */
  account: string;
  /** REST origin (default https://perps.standx.com); paths are /api/... */
  restBaseUrl?: string;
  /** Stream carrying the private channels (default wss://perps.standx.com/ws-stream/v1). */
  wsUrl?: string;
  /** JWT for `Authorization: Bearer` and the stream's auth. */
  token: string;
  /** ed25519 secret, base58 (as StandX issues it with an API token). */
  privateKey: string;
  /** Deadline of one REST call; a place without an answer by then is 'unknown'. Default 5000. */
  requestTimeoutMs?: number;
  /** Shared per account; default 18 requests/s, burst 18 (StandX: ~20 burst, ~22/s sustained). */
  rateLimiter?: TokenBucket;
  /**
   * The account's fee rates (fractions), used to tell maker from taker on gtc fills. When both are set they win over
   * query_symbol_info's listed rates (set them for an account on a maker tier); otherwise the listed rates, else 1 / 4 bps.
   */
  makerFee?: number;
  takerFee?: number;
  /** The server pings every ~10 s: silence this long means a dead private stream. */
  silenceTimeoutMs?: number;
  /** Called with a kind and detail for each private-stream message we could not use (for metrics/logs). */
  onInvalid?(kind: string, detail: string): void;
}

/** StandX accepts at most this many ids in one cancel_orders (the simulator allows 500). */
const CANCEL_BATCH = 100;
/** Catch-up after a reconnect reads at most this many pages of 100 trades (newest first). */
const CATCH_UP_PAGES = 50;
const PAGE = 100;

/**
 * StandX trading over its own API: signed POSTs (JWT + ed25519 body signature),
 * an acknowledgement-only new_order whose fate arrives on the private `order`
 * channel or by query_order with our cl_ord_id, fills on the `trade` channel.
 *
 * - A place with no answer is 'unknown' and stays so until a record (stream or
 *   queryOrder) says what happened; nothing is ever re-sent.
 * - Each fill goes out once: trade ids are remembered, and after a reconnect the
 *   trades above the last one seen are fetched (query_trades) and the missed ones
 *   reported, then the orders still in flight are queried.
 * - StandX has no cancel-all: it is query_open_orders + cancel_orders.
 * - Every REST call takes a token from the rate limiter first.
 */
export class StandxTrading implements TradingAdapter {
  readonly venue: string;
  readonly account: string;
  private readonly rest: StandxRestClient;
  private readonly timeoutMs: number;
  private readonly tracker: StandxOrderTracker;
  private readonly ledger = new StandxFillLedger();
  private readonly fees = new Map<string, FeeRates>();
  private handlers: TradingHandlers | undefined;
  private stream: StandxPrivateStream | undefined;
  private startedAt = 0;
  private catchUpRunning: Promise<void> | undefined;
  private catchUpAgain = false;

  constructor(private readonly config: StandxTradingConfig) {
    this.venue = config.venue ?? 'standx';
    this.account = config.account;
    this.timeoutMs = config.requestTimeoutMs ?? 5_000;
    this.tracker = new StandxOrderTracker(this.venue, this.account);
    this.rest = new StandxRestClient({
      baseUrl: this.restBase,
      token: config.token,
      // Parses the key now: a malformed key fails here, with an error that never echoes it.
      signer: createStandxRequestSigner(config.privateKey),
      timeoutMs: this.timeoutMs,
      limiter: config.rateLimiter ?? new TokenBucket({ ratePerSec: 18, burst: 18 }),
    });
  }

  private get restBase(): string {
    return (this.config.restBaseUrl ?? 'https://perps.standx.com').replace(/\/+$/, '');
  }

  async instruments(): Promise<Instrument[]> {
    const list = await new StandxMarketData({
      venue: this.venue,
      restBaseUrl: this.restBase,
      makerFee: this.config.makerFee,
      takerFee: this.config.takerFee,
    }).instruments();
    for (const i of list) this.fees.set(i.symbol, { maker: Number(i.makerFee), taker: Number(i.takerFee) });
    return list;
  }

  async start(handlers: TradingHandlers): Promise<void> {
    this.handlers = handlers;
    this.startedAt = Date.now();
    // Fee rates tell maker from taker on gtc fills; the defaults stand in if the venue cannot say.
    await this.instruments().catch(() => undefined);
    this.stream = new StandxPrivateStream({
      url: this.config.wsUrl ?? 'wss://perps.standx.com/ws-stream/v1',
      token: this.config.token,
      silenceTimeoutMs: this.config.silenceTimeoutMs ?? 30_000,
      authTimeoutMs: Math.max(this.timeoutMs, 5_000),
      onAuthed: (reconnect) => {
        if (reconnect) this.catchUp(this.ledger.highWater);
      },
      onRecord: (channel, data) => this.onRecord(channel, data),
      onInvalid: (kind, detail) => this.config.onInvalid?.(kind, detail),
    });
    await this.stream.start();
  }

  async placeOrder(req: VenueOrderRequest): Promise<PlaceResult> {
    const tif = req.type === 'market' ? 'ioc' : standxTif(req.tif);
    const invalid = this.checkRequest(req, tif);
    // Refused here, before the venue saw it: no order event (a duplicate id must not touch the live order's events).
    if (invalid) return { status: 'rejected', reason: invalid };
    const body: Record<string, unknown> = {
      symbol: canonicalToStandx(req.symbol),
      side: req.side,
      order_type: req.type,
      qty: canonical(req.qty),
      time_in_force: tif,
      reduce_only: req.reduceOnly,
      cl_ord_id: req.clientOrderId,
      ...(req.type === 'limit' && req.price !== undefined ? { price: canonical(req.price) } : {}),
    };
    this.tracker.sending(req.clientOrderId, req.type, tif ?? 'gtc');
    try {
      await this.rest.post('/api/new_order', body);
      // An acknowledgement only: the order's state arrives on the order channel.
      return { status: 'accepted', orderStatus: 'pending' };
    } catch (err) {
      if (err instanceof StandxNoAnswerError || err instanceof StandxResponseError || (err instanceof StandxRequestError && err.httpStatus >= 500)) {
        // The venue may have taken it: resolve by query_order / the stream, never by sending it again.
        this.tracker.noAnswer(req.clientOrderId);
        return { status: 'unknown', reason: err.message };
      }
      this.tracker.refused(req.clientOrderId);
      if (err instanceof StandxAuthError) throw err;
      if (err instanceof StandxRequestError) return this.refuse(req, err.venueMessage);
      throw err;
    }
  }

  async cancelOrder(symbol: string, clientOrderId: string): Promise<boolean> {
    const known = this.tracker.get(clientOrderId);
    if (known && isTerminal(known.status)) return false;
    try {
      await this.rest.post('/api/cancel_order', { cl_ord_id: clientOrderId });
    } catch (err) {
      if (err instanceof StandxRequestError && err.httpStatus === 404) return false;
      throw err;
    }
    // Cancels are asynchronous too: wait for the order's final state before saying it is gone.
    const final = (await this.tracker.whenFinal(clientOrderId, this.timeoutMs)) ?? (await this.queryOrder(symbol, clientOrderId))?.status;
    if (final === undefined) return false;
    if (!isTerminal(final)) {
      throw new Error(`StandX cancel_order ${clientOrderId}: acknowledged, but the order is still ${final} after ${this.timeoutMs} ms`);
    }
    return final === 'canceled' || final === 'expired';
  }

  async cancelAll(symbol?: string): Promise<number> {
    const open = await this.openRecords(symbol);
    if (open.length === 0) return 0;
    const now = Date.now();
    for (const o of open) this.emit(this.tracker.apply(o, now));
    for (let i = 0; i < open.length; i += CANCEL_BATCH) {
      // By StandX order id: every order has one, not every order has a cl_ord_id.
      await this.rest.post('/api/cancel_orders', { order_id_list: open.slice(i, i + CANCEL_BATCH).map((o) => Number(o.id)) });
    }
    const finals = await Promise.all(open.map((o) => this.tracker.whenFinal(clientIdOf(o), this.timeoutMs)));
    let cancelled = finals.filter((s) => s === 'canceled' || s === 'expired').length;
    if (finals.some((s) => s === undefined)) {
      // No news on the stream for some: the venue's open list decides.
      const still = new Set((await this.openRecords(symbol)).map((o) => String(o.id)));
      const unresolved = open.filter((_, i) => finals[i] === undefined);
      const stuck = unresolved.filter((o) => still.has(String(o.id)));
      if (stuck.length > 0) throw new Error(`StandX cancel-all: ${stuck.length} order(s) still open after ${this.timeoutMs} ms`);
      cancelled += unresolved.length;
    }
    return cancelled;
  }

  async openOrders(symbol?: string): Promise<VenueOrder[]> {
    return (await this.openRecords(symbol)).map(toVenueOrder);
  }

  async queryOrder(_symbol: string, clientOrderId: string): Promise<VenueOrder | undefined> {
    let record: StandxOrderRecord;
    try {
      record = await this.rest.get('/api/query_order', { cl_ord_id: clientOrderId }, StandxOrder);
    } catch (err) {
      if (err instanceof StandxRequestError && err.httpStatus === 404) {
        // Unknown to the venue: a place that got no answer never arrived.
        if (this.tracker.get(clientOrderId)?.status === 'unknown') this.tracker.refused(clientOrderId);
        return undefined;
      }
      throw err;
    }
    this.emit(this.tracker.apply(record, Date.now()));
    return toVenueOrder(record);
  }

  async positions(): Promise<VenuePosition[]> {
    const list = await this.rest.get('/api/query_positions', {}, StandxPositionList);
    return list.filter((p) => dec(p.qty) !== 0n).map(toVenuePosition);
  }

  /** StandX has one unified margin account; its asset is the quote of the listed symbols (DUSD). */
  async balance(): Promise<VenueBalance[]> {
    const b: StandxBalance = await this.rest.get('/api/query_balance', {}, StandxBalance);
    const asset = (await this.instruments().catch(() => []))[0]?.quote ?? 'DUSD';
    return [{ asset, total: canonical(b.balance), available: canonical(b.cross_available), equity: canonical(b.equity) }];
  }

  async close(): Promise<void> {
    const s = this.stream;
    this.stream = undefined;
    this.handlers = undefined;
    await s?.close();
    await this.catchUpRunning?.catch(() => undefined);
  }

  // ------------------------------------------------------------------ private stream

  private onRecord(channel: StandxPrivateChannel, data: unknown): void {
    if (channel === 'order') {
      const o = StandxOrder.safeParse(data);
      if (!o.success) return void this.config.onInvalid?.('order', o.error.issues[0]?.message ?? '');
      this.emit(this.tracker.apply(o.data, Date.now()));
      return;
    }
    if (channel === 'trade') {
      const t = StandxTrade.safeParse(data);
      if (!t.success) return void this.config.onInvalid?.('trade', t.error.issues[0]?.message ?? '');
      void this.reportTrade(t.data);
    }
    // position and balance: positions() and balance() ask the venue; nothing here depends on them.
  }

  /** Reports a trade as a fill unless it was reported already. */
  private async reportTrade(t: StandxTradeRecord): Promise<void> {
    if (!this.ledger.claim(String(t.id))) return;
    const fill = await this.toOurFill(t);
    this.handlers?.onFill(fill);
  }

  /**
   * The account's trades since sinceMs (query_trades, newest first, paged by last_id) as the stream's
   * fills, oldest first. Reports nothing itself: the caller publishes them, de-duplicated by fill id.
   */
  async fillsSince(sinceMs: number, symbols?: string[]): Promise<Fill[]> {
    const found: StandxTradeRecord[] = [];
    let lastId: string | undefined;
    pages: for (let page = 0; page < CATCH_UP_PAGES; page++) {
      const res = await this.rest.get('/api/query_trades', { limit: String(PAGE), last_id: lastId }, StandxTradePage);
      for (const t of res.result) {
        if (Date.parse(t.created_at) < sinceMs) break pages;
        if (symbols === undefined || symbols.includes(standxToCanonical(t.symbol))) found.push(t);
      }
      if (res.result.length < PAGE) break;
      lastId = String(res.result.at(-1)!.id);
    }
    found.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
    const out: Fill[] = [];
    for (const t of found) out.push(await this.toOurFill(t));
    return out;
  }

  /** One StandX trade as our Fill (the only mapping: the stream, the catch-up and fillsSince share it). */
  private async toOurFill(t: StandxTradeRecord): Promise<Fill> {
    const venueOrderId = String(t.order_id);
    let order = this.tracker.byVenueOrderId(venueOrderId) ?? (t.cl_ord_id ? this.tracker.get(t.cl_ord_id) : undefined);
    let clientOrderId = order?.clientOrderId ?? (t.cl_ord_id || undefined);
    if (clientOrderId === undefined) {
      // StandX's trade record names the order by its id only: ask for the order once.
      const record = await this.rest.get('/api/query_order', { order_id: venueOrderId }, StandxOrder).catch(() => undefined);
      if (record) {
        this.emit(this.tracker.apply(record, Date.now()));
        order = this.tracker.byVenueOrderId(venueOrderId);
        clientOrderId = clientIdOf(record);
      }
    }
    const { makerFee, takerFee } = this.config;
    const fees =
      makerFee !== undefined && takerFee !== undefined
        ? { maker: makerFee, taker: takerFee }
        : (this.fees.get(standxToCanonical(t.symbol)) ?? { maker: makerFee ?? 0.0001, taker: takerFee ?? 0.0004 });
    return toFill(t, {
      venue: this.venue,
      account: this.account,
      clientOrderId: clientOrderId ?? `standx-${venueOrderId}`,
      liquidity: liquidityOf(t, order, fees),
      now: Date.now(),
    });
  }

  /** After a reconnect: report the trades the stream missed, then refresh the orders still in flight. */
  private catchUp(highWater: bigint | undefined): void {
    if (this.catchUpRunning) {
      this.catchUpAgain = true;
      return;
    }
    this.catchUpRunning = (async () => {
      do {
        this.catchUpAgain = false;
        try {
          await this.catchUpTrades(highWater);
          await this.refreshUnsettled();
        } catch (err) {
          this.config.onInvalid?.('catch_up', err instanceof Error ? err.message : 'failed');
        }
      } while (this.catchUpAgain && this.stream);
    })().finally(() => {
      this.catchUpRunning = undefined;
    });
  }

  private async catchUpTrades(highWater: bigint | undefined): Promise<void> {
    const missed: StandxTradeRecord[] = [];
    let lastId: string | undefined;
    pages: for (let page = 0; page < CATCH_UP_PAGES; page++) {
      const res = await this.rest.get('/api/query_trades', { limit: String(PAGE), last_id: lastId }, StandxTradePage);
      for (const t of res.result) {
        // Newest first: stop at what the stream had reached (or, before any fill, at our start).
        const older = highWater !== undefined ? BigInt(t.id) <= highWater : Date.parse(t.created_at) < this.startedAt;
        if (older) break pages;
        if (!this.ledger.has(String(t.id))) missed.push(t);
      }
      if (res.result.length < PAGE) break;
      lastId = String(res.result.at(-1)!.id);
    }
    missed.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
    for (const t of missed) await this.reportTrade(t);
  }

  private async refreshUnsettled(): Promise<void> {
    for (const o of this.tracker.unsettled()) {
      if (!this.stream) return;
      await this.queryOrder('', o.clientOrderId).catch(() => undefined);
    }
  }

  // ------------------------------------------------------------------ helpers

  private async openRecords(symbol?: string): Promise<StandxOrderRecord[]> {
    const page = await this.rest.get('/api/query_open_orders', { symbol: symbol ? canonicalToStandx(symbol) : undefined }, StandxOrderPage);
    return page.result;
  }

  private checkRequest(req: VenueOrderRequest, tif: string | undefined): string | undefined {
    if (!tif) return `StandX has no ${req.tif} time in force (gtc, ioc, post_only only)`;
    if (!/^[\x21-\x7e]{1,64}$/.test(req.clientOrderId)) return 'client order id must be 1-64 printable ASCII characters';
    if (this.tracker.get(req.clientOrderId)) return 'duplicate client order id';
    if (req.type === 'limit' && req.price === undefined) return 'limit order without a price';
    for (const [name, text] of [['qty', req.qty], ['price', req.price]] as const) {
      if (text === undefined) continue;
      let ok = false;
      try {
        ok = dec(text) > 0n;
      } catch {
        ok = false;
      }
      if (!ok) return `${name} must be a positive decimal`;
    }
    return undefined;
  }

  /** The venue refused the place call: the result says so, and so does an order event (as the paper venue does). */
  private refuse(req: VenueOrderRequest, reason: string): PlaceResult {
    this.emit({
      venue: this.venue,
      account: this.account,
      symbol: req.symbol,
      clientOrderId: req.clientOrderId,
      side: req.side,
      price: req.price,
      qty: req.qty,
      filledQty: '0',
      status: 'rejected' satisfies OrderStatus,
      reason: reason.slice(0, 500),
      ts: Date.now(),
    });
    return { status: 'rejected', reason };
  }

  private emit(event: OrderEvent | undefined): void {
    if (event) this.handlers?.onOrderEvent(event);
  }
}

