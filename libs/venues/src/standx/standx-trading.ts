import { dec, type Fill, type FundingPayment, type Instrument, type OrderEvent, type OrderStatus } from '@perpetua/core';
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
import { randomUUID } from 'node:crypto';
import { createStandxRequestSigner } from './request-signer.js';
import { standxConnectionBudgetFor, type StandxConnectionBudget } from './standx-connection-budget.js';
import { StandxOrderStream } from './standx-order-stream.js';
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
  tradeKeysOf,
  tradeTimeOf,
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
  type StandxQueriedTrade,
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
  /** Called with a kind and detail for each venue record we could not use or had to repair (count it; log once per kind). */
  onInvalid?(kind: string, detail: string): void;
  /** The order-response stream (default: wsUrl with /ws-stream/v1 replaced by /ws-api/v1). */
  orderWsUrl?: string;
  /** StandX's per-IP WebSocket limits; default the process-wide budget for the stream's host. */
  connectionBudget?: StandxConnectionBudget;
  /**
   * An order the venue has told nothing about this long after it was sent is looked up (query_order); one still
   * unknown to the venue this long after its acknowledgement is reported rejected. Default 3000 / 10000 ms.
   */
  silentOrderCheckMs?: number;
  notFoundRejectMs?: number;
  now?: () => number;
  /** A dial waited for StandX's connection limits (for a metric). */
  onLimitWait?(limit: 'ws_connections'): void;
}

/** StandX accepts at most this many ids in one cancel_orders (the simulator allows 500). */
const CANCEL_BATCH = 100;
/** Catch-up after a reconnect reads at most this many pages of 100 trades (newest first). */
const CATCH_UP_PAGES = 50;
const PAGE = 100;
/** Request ids of our orders awaiting their outcome on the order-response stream, at most. */
const MAX_AWAITED_REQUESTS = 10_000;
/** A trade message may trail its order's update by this much before it counts as lost. */
const FILL_GRACE_MS = 750;
/** Silent orders looked up per sweep, at most (each is a REST call). */
const SWEEP_QUERIES = 5;

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
  private streamDown = false;
  private startedAt = 0;
  private catchUpRunning: Promise<void> | undefined;
  private catchUpAgain = false;
  /** Our session on the order-response stream, sent as x-session-id with every new_order and cancel_order. */
  readonly sessionId = randomUUID();
  private orderStream: StandxOrderStream | undefined;
  /** x-request-id → client order id of the new_order calls whose outcome may still come on the order-response stream. */
  private readonly awaited = new Map<string, string>();
  /** Client order id → when query_order first said it does not know the order (after its acknowledgement). */
  private readonly notFoundSince = new Map<string, number>();
  private sweepTimer: NodeJS.Timeout | undefined;
  private sweeping = false;
  private readonly now: () => number;
  /** Records we could not read or had to repair, by kind (kinds are a fixed handful; bounded all the same). */
  readonly invalidCounts = new Map<string, number>();
  /** Orders reported rejected from the order-response stream, and from silence after their acknowledgement. */
  rejectedByOrderStream = 0;
  rejectedUnseen = 0;

  constructor(private readonly config: StandxTradingConfig) {
    this.venue = config.venue ?? 'standx';
    this.account = config.account;
    this.timeoutMs = config.requestTimeoutMs ?? 5_000;
    this.now = config.now ?? Date.now;
    this.tracker = new StandxOrderTracker(this.venue, this.account);
    this.rest = new StandxRestClient({
      baseUrl: this.restBase,
      token: config.token,
      // Parses the key now: a malformed key fails here, with an error that never echoes it.
      signer: createStandxRequestSigner(config.privateKey, { now: this.now }),
      timeoutMs: this.timeoutMs,
      // StandX: 45 credits a request, 1,000 credits/s refill, 900 burst = 20 requests at once, ~22/s (rate-limits page).
      limiter: config.rateLimiter ?? new TokenBucket({ ratePerSec: 18, burst: 18 }),
      now: this.now,
    });
  }

  /** A record we could not read or had to repair: counted by kind and told to onInvalid (the host counts, logs once per kind). */
  private invalid(kind: string, detail: string): void {
    if (this.invalidCounts.has(kind) || this.invalidCounts.size < 100) this.invalidCounts.set(kind, (this.invalidCounts.get(kind) ?? 0) + 1);
    this.config.onInvalid?.(kind, detail);
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
    this.startedAt = this.now();
    // Fee rates tell maker from taker on gtc fills; the defaults stand in if the venue cannot say.
    await this.instruments().catch(() => undefined);
    const wsUrl = this.config.wsUrl ?? 'wss://perps.standx.com/ws-stream/v1';
    const budget = this.config.connectionBudget ?? standxConnectionBudgetFor(wsUrl);
    this.stream = new StandxPrivateStream({
      url: wsUrl,
      token: this.config.token,
      silenceTimeoutMs: this.config.silenceTimeoutMs ?? 30_000,
      authTimeoutMs: Math.max(this.timeoutMs, 5_000),
      admit: () => budget.acquire(() => this.config.onLimitWait?.('ws_connections')),
      onAuthed: (reconnect) => {
        if (!reconnect) return;
        this.catchUp(this.ledger.highWater);
        this.streamDown = false;
        this.handlers?.onStreamStatus?.('connected', 'private stream authenticated again');
      },
      onState: (state, reason) => {
        // Back only once authenticated (onAuthed); a drop is told once.
        if (state === 'connected' || this.streamDown) return;
        this.streamDown = true;
        this.handlers?.onStreamStatus?.('down', reason ?? state);
      },
      // A counter going backwards is the only sequence evidence: look at the venue's own record, never reconnect.
      onSequenceBackwards: (detail) => {
        this.invalid('seq_backwards', detail);
        this.catchUp(this.ledger.highWater);
      },
      onRecord: (channel, data) => this.onRecord(channel, data),
      onInvalid: (kind, detail) => this.invalid(kind, detail),
    });
    await this.stream.start();
    this.orderStream = new StandxOrderStream({
      url: this.config.orderWsUrl ?? wsUrl.replace(/\/ws-stream\/v1\/?$/, '/ws-api/v1'),
      token: this.config.token,
      sessionId: this.sessionId,
      silenceTimeoutMs: this.config.silenceTimeoutMs ?? 30_000,
      admit: () => budget.acquire(() => this.config.onLimitWait?.('ws_connections')),
      onResponse: (requestId, code, message) => this.onOrderResponse(requestId, code, message),
      onInvalid: (kind, detail) => this.invalid(kind, detail),
    });
    // Without it orders are still resolved (the sweep below), only later: a failed login is told, not fatal.
    await this.orderStream.start(Math.max(this.timeoutMs, 5_000)).catch((err: unknown) => this.invalid('order_response_auth', err instanceof Error ? err.message : String(err)));
    this.sweepTimer = setInterval(() => void this.sweepSilent(), 1_000);
    this.sweepTimer.unref();
  }

  /** An outcome on the order-response stream: a refusal of one of our new orders makes it rejected at once. */
  private onOrderResponse(requestId: string, code: number, message: string): void {
    const clientOrderId = this.awaited.get(requestId);
    if (clientOrderId === undefined) return; // a cancel's outcome, or not ours: the order channel tells the rest
    this.awaited.delete(requestId);
    if (code === 0) return;
    const event = this.tracker.rejectedByVenue(clientOrderId, message || `code ${code}`, this.now());
    if (event) {
      this.rejectedByOrderStream++;
      this.emit(event);
    }
  }

  /**
   * Orders the venue has told nothing about for a while are looked up; one the venue still does not know long after
   * acknowledging it was rejected in matching with the news lost (the order-response stream down): it is reported
   * rejected, and a cancel by client id is sent in case it lives after all.
   */
  private async sweepSilent(): Promise<void> {
    if (this.sweeping || !this.stream) return;
    this.sweeping = true;
    try {
      const t = this.now();
      const silent = this.tracker.silentSince(t - (this.config.silentOrderCheckMs ?? 3_000)).slice(0, SWEEP_QUERIES);
      for (const o of silent) {
        if (!this.stream) return;
        const found = await this.queryOrder('', o.clientOrderId).catch(() => null);
        if (found !== undefined) {
          this.notFoundSince.delete(o.clientOrderId);
          continue;
        }
        if (this.tracker.get(o.clientOrderId)?.status !== 'pending') continue;
        const since = this.notFoundSince.get(o.clientOrderId) ?? this.now();
        this.notFoundSince.set(o.clientOrderId, since);
        if (this.now() - since < (this.config.notFoundRejectMs ?? 10_000)) continue;
        this.notFoundSince.delete(o.clientOrderId);
        const event = this.tracker.rejectedByVenue(o.clientOrderId, 'acknowledged but unknown to the venue since (rejected in matching; the order-response stream did not say)', this.now());
        if (!event) continue;
        this.rejectedUnseen++;
        this.emit(event);
        await this.rest.post('/api/cancel_order', { cl_ord_id: o.clientOrderId }, { sessionId: this.sessionId }).catch(() => undefined);
      }
      if (this.notFoundSince.size > MAX_AWAITED_REQUESTS) this.notFoundSince.clear();
    } finally {
      this.sweeping = false;
    }
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
    this.tracker.sending(req.clientOrderId, req.type, tif ?? 'gtc', { symbol: req.symbol, side: req.side, ...(req.type === 'limit' && req.price !== undefined ? { price: canonical(req.price) } : {}), qty: canonical(req.qty) }, this.now());
    try {
      await this.rest.post('/api/new_order', body, {
        sessionId: this.sessionId,
        onRequestId: (requestId) => {
          // Known before the request leaves: the outcome can beat the HTTP reply.
          this.awaited.set(requestId, req.clientOrderId);
          if (this.awaited.size > MAX_AWAITED_REQUESTS) this.awaited.delete(this.awaited.keys().next().value!);
        },
      });
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
      await this.rest.post('/api/cancel_order', { cl_ord_id: clientOrderId }, { sessionId: this.sessionId });
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
    // Orders sent but not yet matched may be missing from query_open_orders (StandX acks before matching): each
    // gets a cancel by client id as well, so none of them rests after a cancel-all that said it was done.
    const inFlight = this.tracker
      .silentSince(Number.POSITIVE_INFINITY)
      .filter((o) => o.request !== undefined && (symbol === undefined || o.request.symbol === symbol))
      .map((o) => o.clientOrderId);
    const open = await this.openRecords(symbol);
    const listed = new Set(open.map(clientIdOf));
    const extra = inFlight.filter((id) => !listed.has(id));
    const extraCancelled = await this.cancelInFlight(extra);
    if (open.length === 0) return extraCancelled;
    const now = this.now();
    for (const o of open) this.emit(this.tracker.apply(o, now));
    for (let i = 0; i < open.length; i += CANCEL_BATCH) {
      // By StandX order id: every order has one, not every order has a cl_ord_id. The reply is `[]` or `{code:0}`.
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
    return cancelled + extraCancelled;
  }

  /** Cancels orders still in flight by client id; a 404 means it never rested. Counts the ones that ended cancelled. */
  private async cancelInFlight(clientOrderIds: string[]): Promise<number> {
    const results = await Promise.all(
      clientOrderIds.map(async (id) => {
        try {
          await this.rest.post('/api/cancel_order', { cl_ord_id: id }, { sessionId: this.sessionId });
        } catch (err) {
          if (err instanceof StandxRequestError && err.httpStatus === 404) return false;
          throw err;
        }
        const final = await this.tracker.whenFinal(id, this.timeoutMs);
        return final === 'canceled' || final === 'expired';
      }),
    );
    return results.filter(Boolean).length;
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
    this.emit(this.tracker.apply(record, this.now()));
    return toVenueOrder(record);
  }

  /**
   * The StandX perps API as recorded here (docs/venues/standx.md, the simulator's PROTOCOL.md) has no funding payment history, and its private
   * stream carries no funding event: nothing to book from the venue, so none is reported (never estimated).
   */
  async fundingPayments(_sinceMs: number, _symbols?: string[]): Promise<FundingPayment[]> {
    return [];
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
    const o = this.orderStream;
    this.stream = undefined;
    this.orderStream = undefined;
    this.handlers = undefined;
    clearInterval(this.sweepTimer);
    await Promise.all([s?.close(), o?.close()]);
    await this.catchUpRunning?.catch(() => undefined);
  }

  // ------------------------------------------------------------------ private stream

  private onRecord(channel: StandxPrivateChannel, data: unknown): void {
    if (channel === 'order') {
      const o = StandxOrder.safeParse(data);
      if (!o.success) return this.invalid('order', o.error.issues[0]?.message ?? '');
      this.emit(this.tracker.apply(o.data, this.now()));
      this.checkFillsOf(clientIdOf(o.data));
      return;
    }
    if (channel === 'trade') {
      const t = StandxTrade.safeParse(data);
      if (!t.success) {
        // Never dropped unseen: counted, told once, and the catch-up reads the trade from query_trades.
        this.invalid('trade', t.error.issues[0]?.message ?? '');
        this.catchUp(this.ledger.highWater);
        return;
      }
      void this.reportTrade(t.data);
    }
    // position and balance: positions() and balance() ask the venue; nothing here depends on them.
  }

  /**
   * The order record says more was filled than the fills we reported: a trade message may follow, or may be lost (a
   * gap in `seq` cannot tell, StandX does not say what it counts). After a grace, the catch-up reads query_trades.
   */
  private checkFillsOf(clientOrderId: string): void {
    if (!this.tracker.missingFills(clientOrderId)) return;
    const t = setTimeout(() => {
      if (this.stream && this.tracker.missingFills(clientOrderId)) {
        this.invalid('fill_missing', `order ${clientOrderId}: filled more than the fills reported`);
        this.catchUp(this.ledger.highWater);
      }
    }, FILL_GRACE_MS);
    t.unref();
  }

  /** Reports a trade as a fill unless it was reported already. */
  private async reportTrade(t: StandxTradeRecord): Promise<void> {
    const keys = tradeKeysOf(t);
    if (keys.length === 0) {
      // Neither id nor time: nothing to tell it from a repeat by; query_trades (which has both) reports it.
      this.invalid('trade_unkeyed', `trade of order ${String(t.order_id)} without id or created_at`);
      this.catchUp(this.ledger.highWater);
      return;
    }
    if (!this.ledger.claim(keys, t.id)) return;
    const fill = await this.toOurFill(t);
    if (!fill) return;
    const o = this.tracker.get(fill.clientOrderId);
    if (o) this.tracker.addReported(o, dec(fill.qty));
    this.handlers?.onFill(fill);
  }

  /**
   * The account's trades since sinceMs (query_trades, newest first, paged by last_id) as the stream's
   * fills, oldest first. Reports nothing itself: the caller publishes them, de-duplicated by fill id.
   */
  async fillsSince(sinceMs: number, symbols?: string[]): Promise<Fill[]> {
    const found: StandxQueriedTrade[] = [];
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
    for (const t of found) {
      const f = await this.toOurFill(t);
      if (f) out.push(f);
    }
    return out;
  }

  /** One StandX trade as our Fill (the only mapping: the stream, the catch-up and fillsSince share it). */
  private async toOurFill(t: StandxTradeRecord): Promise<Fill | undefined> {
    const venueOrderId = String(t.order_id);
    let order = this.tracker.byVenueOrderId(venueOrderId) ?? (t.cl_ord_id ? this.tracker.get(t.cl_ord_id) : undefined);
    let clientOrderId = order?.clientOrderId ?? (t.cl_ord_id || undefined);
    if (clientOrderId === undefined) {
      // StandX's trade record names the order by its id only: ask for the order once.
      const record = await this.rest.get('/api/query_order', { order_id: venueOrderId }, StandxOrder).catch(() => undefined);
      if (record) {
        this.emit(this.tracker.apply(record, this.now()));
        order = this.tracker.byVenueOrderId(venueOrderId);
        clientOrderId = clientIdOf(record);
      }
    }
    const { makerFee, takerFee } = this.config;
    const fees =
      makerFee !== undefined && takerFee !== undefined
        ? { maker: makerFee, taker: takerFee }
        : (this.fees.get(standxToCanonical(t.symbol)) ?? { maker: makerFee ?? 0.0001, taker: takerFee ?? 0.0004 });
    const side = t.side ?? order?.request?.side;
    if (side == null) {
      // Nothing says which way it traded: the catch-up's query_trades record (documented with side) will.
      this.invalid('trade_side', `trade of order ${venueOrderId} without side, order unknown`);
      this.catchUp(this.ledger.highWater);
      return undefined;
    }
    const liquidity = liquidityOf(t, order, fees);
    return toFill(t, {
      venue: this.venue,
      account: this.account,
      clientOrderId: clientOrderId ?? `standx-${venueOrderId}`,
      liquidity,
      now: this.now(),
      side,
      feeRate: liquidity === 'maker' ? fees.maker : fees.taker,
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
    const missed: StandxQueriedTrade[] = [];
    let lastId: string | undefined;
    pages: for (let page = 0; page < CATCH_UP_PAGES; page++) {
      const res = await this.rest.get('/api/query_trades', { limit: String(PAGE), last_id: lastId }, StandxTradePage);
      for (const t of res.result) {
        // Newest first: stop at what the stream had reached (or, before any fill, at our start).
        const older = highWater !== undefined ? BigInt(t.id) <= highWater : Date.parse(t.created_at) < this.startedAt;
        if (older) break pages;
        if (!this.ledger.has(tradeKeysOf(t))) missed.push(t);
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
      ts: this.now(),
    });
    return { status: 'rejected', reason };
  }

  private emit(event: OrderEvent | undefined): void {
    if (event) this.handlers?.onOrderEvent(event);
  }
}

