import { randomInt } from 'node:crypto';
import { D, dec, type Decimal, type Fill, type FundingPayment, type Instrument, type OrderEvent, type OrderStatus } from '@perpetua/core';
import type { Hex } from 'viem';
import type { TokenBucket } from '../connection/token-bucket.js';
import type {
  PlaceResult,
  TradingAdapter,
  TradingHandlers,
  VenueBalance,
  VenueOrder,
  VenueOrderRequest,
  VenuePosition,
} from '../venue-adapter.js';
import { GrvtClientOrderIds } from './grvt-client-order-ids.js';
import { GrvtMarketData } from './grvt-market-data.js';
import { GrvtPrivateStream } from './grvt-private-stream.js';
import { GrvtRateLimitedError, GrvtRefusedError, GrvtRestClient, GrvtUncertainError } from './grvt-rest-client.js';
import { GrvtSession } from './grvt-session.js';
import { canonicalToGrvt } from './grvt-symbols.js';
import { canonicalOf, grvtFillId, grvtOrderStatus, grvtReason, toFill, toFundingPayment, toOrderEvent, toVenueOrder } from './grvt-trading-mapping.js';
import {
  GrvtAccountSummaryResult,
  GrvtAckResult,
  GrvtAllSigningInstruments,
  GrvtFillHistoryResult,
  GrvtFundingPaymentHistoryResult,
  GrvtFundingPaymentWire,
  GrvtOrderResult,
  GrvtOrdersResult,
  GrvtPositionsResult,
  type GrvtFillWire,
  type GrvtOrderWire,
} from './grvt-trading-wire.js';
import { GRVT_CHAIN_IDS, GrvtSigningError, isValidSignerKey, signOrder, type GrvtSigningInstrument, type GrvtTimeInForce } from './order-signing.js';

export interface GrvtTradingConfig {
  venue?: string;
  account: string;
  env: 'prod' | 'testnet';
  /** Host overrides (e.g. the simulator's); default GRVT's hosts of `env`. */
  edgeUrl?: string;
  tradesUrl?: string;
  tradesWsUrl?: string;
  /** Public instrument list (tick, lot, instrument hash for signing). */
  marketDataUrl?: string;
  apiKey: string;
  /** The key the API key is tagged to: every order is signed with it. */
  signerPrivateKey: Hex;
  /** uint64 as a decimal string. */
  subAccountId: string;
  /** A REST call unanswered this long counts as 'unknown'. Default 5000. */
  requestTimeoutMs?: number;
  /** Cancel-on-disconnect countdown (ms, whole seconds, 2000..300000); 0 = off. Default 5000. */
  cancelOnDisconnectMs?: number;
  /** How long an order's signature stays valid (GRVT cancels a resting order when it passes). Default 7 days. */
  orderTtlMs?: number;
  rateLimiter?: TokenBucket;
  /** Fee rates reported in instruments() (GRVT's list states none). */
  makerFee?: number;
  takerFee?: number;
  /** Problems that do not fail a call (a refused heartbeat, an unparsable stream message). Never carries secrets. */
  onWarn?: (message: string) => void;
  /** The clock (unix ms) for order expiry, fill times and resync windows; default the wall clock. */
  now?: () => number;
}

const HOSTS = {
  prod: { edge: 'https://edge.grvt.io', trades: 'https://trades.grvt.io', tradesWs: 'wss://trades.grvt.io/ws/full', md: 'https://market-data.grvt.io' },
  testnet: {
    edge: 'https://edge.testnet.grvt.io',
    trades: 'https://trades.testnet.grvt.io',
    tradesWs: 'wss://trades.testnet.grvt.io/ws/full',
    md: 'https://market-data.testnet.grvt.io',
  },
} as const;

const DEFAULT_ORDER_TTL_MS = 7 * 24 * 3600_000;
/** GRVT refuses signatures more than 30 days ahead. */
const MAX_ORDER_TTL_MS = 30 * 24 * 3600_000 - 3600_000;
/** Fill history is asked from this long before the stream may have lost messages (clock skew, in-flight fills). */
const CATCH_UP_MARGIN_MS = 5_000;
const CATCH_UP_RETRY_MS = 2_000;
const CATCH_UP_TRIES = 5;
const FILL_HISTORY_PAGES = 10;
/** Fill ids remembered for de-duplication; far more than can arrive between a drop and its catch-up. */
const SEEN_FILLS = 50_000;
const SEEN_ORDERS = 20_000;
const OPEN_STATUSES: ReadonlySet<OrderStatus> = new Set(['pending', 'new', 'partially_filled']);
/** Lifecycle rank: an order event never goes back (a late 'new' after 'filled' is dropped). */
const CLOSED = 3;
const RANK: Record<OrderStatus, number> = { unknown: -1, pending: 0, new: 1, partially_filled: 2, filled: CLOSED, canceled: CLOSED, rejected: CLOSED, expired: CLOSED };
const NOT_FOUND = 1004;

const nanos = (ms: number): string => (BigInt(Math.floor(ms)) * 1_000_000n).toString();

/**
 * GRVT trading over its native API: orders signed with EIP-712 (order-signing.ts), REST on the trades host with the
 * API-key session, v1.order / v1.fill on the private socket, cancel-on-disconnect heartbeats.
 *
 * - Client order ids are ours; GRVT's numeric ones are derived from them (grvt-client-order-ids.ts).
 * - A create_order without an answer is 'unknown', resolved by `queryOrder`, never retried.
 * - Every fill reaches `onFill` exactly once: ids are remembered, and after a reconnect (or a sequence gap) the
 *   fills of the gap come from fill_history and the open orders are queried again.
 * - Order events only move forward (see RANK), whether they come from the stream, an answer or a query.
 */
export class GrvtTrading implements TradingAdapter {
  readonly venue: string;
  private readonly now: () => number;
  readonly account: string;
  private readonly chainId: number;
  private readonly session: GrvtSession;
  private readonly rest: GrvtRestClient;
  private readonly publicRest: GrvtRestClient;
  private readonly marketData: GrvtMarketData;
  private readonly ids = new GrvtClientOrderIds();
  private readonly cancelOnDisconnectMs: number;
  private readonly orderTtlMs: number;
  private signing = new Map<string, GrvtSigningInstrument>();
  private signingFetchedAt = 0;
  private signingFetch: Promise<void> | undefined;
  private handlers: TradingHandlers | undefined;
  private stream: GrvtPrivateStream | undefined;
  /** Orders we believe open, by our client id: the ones re-queried after a reconnect. */
  private readonly live = new Map<string, VenueOrder>();
  /** Last emitted (rank, filled) per client id. */
  private readonly emitted = new Map<string, { rank: number; filled: Decimal }>();
  private readonly seenFills = new Set<string>();
  private catchUp: { since: number; running: boolean; timer?: NodeJS.Timeout } = { since: Infinity, running: false };
  private closed = false;

  constructor(private readonly config: GrvtTradingConfig) {
    this.now = config.now ?? Date.now;
    this.venue = config.venue ?? 'grvt';
    this.account = config.account;
    this.chainId = GRVT_CHAIN_IDS[config.env];
    if (!/^\d{1,20}$/.test(config.subAccountId) || BigInt(config.subAccountId) >= 1n << 64n) {
      throw new Error(`${this.venue}: subAccountId must be a uint64 decimal string`);
    }
    if (!/^0x[0-9a-fA-F]{64}$/.test(config.signerPrivateKey)) throw new Error(`${this.venue}: signerPrivateKey must be 32 bytes of 0x-hex`);
    if (!isValidSignerKey(config.signerPrivateKey)) throw new Error(`${this.venue}: signerPrivateKey is not a secp256k1 private key (it must be above 0 and below the curve order)`);
    if (!config.apiKey) throw new Error(`${this.venue}: apiKey is empty`);
    const cod = config.cancelOnDisconnectMs ?? 5_000;
    // GRVT rounds the countdown down to whole seconds and takes 0..1000 as "off".
    if (cod !== 0 && !(Number.isInteger(cod) && cod >= 2_000 && cod <= 300_000)) {
      throw new Error(`${this.venue}: cancelOnDisconnectMs must be 0 (off) or 2000..300000, got ${cod}`);
    }
    this.cancelOnDisconnectMs = cod;
    this.orderTtlMs = Math.min(MAX_ORDER_TTL_MS, config.orderTtlMs ?? DEFAULT_ORDER_TTL_MS);
    const hosts = HOSTS[config.env];
    const redact = (text: string): string => this.redact(text);
    const timeoutMs = config.requestTimeoutMs ?? 5_000;
    this.session = new GrvtSession({
      venue: this.venue,
      now: this.now,
      edgeUrl: config.edgeUrl ?? hosts.edge,
      apiKey: config.apiKey,
      timeoutMs,
      redact,
      onRenewed: () => void this.stream?.sessionRenewed().catch((err: unknown) => this.warn(err)),
      onWarn: (m) => this.warn(m),
    });
    // The adapter's clock for a rate limit's pause too, as for everything else it times.
    const common = { venue: this.venue, session: this.session, timeoutMs, redact, now: this.now, ...(config.rateLimiter ? { rateLimiter: config.rateLimiter } : {}) };
    this.rest = new GrvtRestClient({ ...common, baseUrl: config.tradesUrl ?? hosts.trades });
    this.publicRest = new GrvtRestClient({ ...common, baseUrl: config.marketDataUrl ?? hosts.md });
    this.marketData = new GrvtMarketData({
      venue: this.venue,
      now: this.now,
      env: config.env,
      marketDataUrl: config.marketDataUrl ?? hosts.md,
      ...(config.makerFee !== undefined ? { makerFee: config.makerFee } : {}),
      ...(config.takerFee !== undefined ? { takerFee: config.takerFee } : {}),
    });
  }

  instruments(): Promise<Instrument[]> {
    return this.marketData.instruments();
  }

  async start(handlers: TradingHandlers): Promise<void> {
    if (this.stream) throw new Error(`${this.venue}: trading already started`);
    this.handlers = handlers;
    const startedAt = this.now();
    this.stream = new GrvtPrivateStream({
      venue: this.venue,
      now: this.now,
      url: this.config.tradesWsUrl ?? HOSTS[this.config.env].tradesWs,
      subAccountId: this.config.subAccountId,
      session: this.session,
      cancelOnDisconnectMs: this.cancelOnDisconnectMs,
      onOrder: (o) => this.onOrder(o),
      onFill: (f) => this.onFill(f),
      onMaybeMissed: (since) => {
        this.scheduleCatchUp(Math.max(startedAt, since));
        // Resubscribed after a drop, or a gap in a feed: either way the router reconciles.
        this.handlers?.onStreamStatus?.('connected', 'private feeds resubscribed or a sequence gap');
      },
      onDown: (reason) => this.handlers?.onStreamStatus?.('down', reason),
      onWarn: (m) => this.warn(m),
    });
    try {
      await this.stream.start();
    } catch (err) {
      await this.stream.close();
      this.stream = undefined;
      throw err;
    }
  }

  async placeOrder(req: VenueOrderRequest): Promise<PlaceResult> {
    let body: unknown;
    try {
      body = await this.orderBody(req);
    } catch (err) {
      // Nothing was sent: a definite refusal.
      return this.rejectLocally(req, err instanceof Error ? err.message : String(err));
    }
    try {
      // While GRVT's rate limit is in force, a new order is held back here rather than spent on another refusal.
      const { result } = await this.rest.call('create_order', body, GrvtOrderResult, true, { failFastWhenLimited: true });
      this.onOrder(result);
      const status = grvtOrderStatus(result);
      if (status === 'rejected') return { status: 'rejected', reason: grvtReason(result) ?? 'REJECTED' };
      return { status: 'accepted', venueOrderId: result.order_id, orderStatus: status };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (err instanceof GrvtUncertainError) return { status: 'unknown', reason: message };
      if (err instanceof GrvtRateLimitedError) return { ...this.rejectLocally(req, message), rateLimited: { retryAfterMs: err.retryAfterMs } };
      return this.rejectLocally(req, message);
    }
  }

  async cancelOrder(_symbol: string, clientOrderId: string): Promise<boolean> {
    const last = this.emitted.get(clientOrderId);
    if (last && last.rank === CLOSED) return false; // already closed, as far as the venue told us
    const numeric = this.ids.reference(clientOrderId);
    try {
      await this.rest.call('cancel_order', { sub_account_id: this.config.subAccountId, client_order_id: numeric }, GrvtAckResult);
    } catch (err) {
      if (err instanceof GrvtRefusedError && err.code === NOT_FOUND) return false;
      throw err;
    }
    // GRVT only acknowledges the request: the order itself says whether this cancel closed it.
    const wire = await this.fetchOrder(numeric);
    if (!wire) return false;
    this.onOrder(wire);
    const status = wire.state.status;
    return status === 'OPEN' || status === 'PENDING' || (status === 'CANCELLED' && wire.state.reject_reason === 'CLIENT_CANCEL');
  }

  async cancelAll(symbol?: string): Promise<number> {
    const filter = { sub_account_id: this.config.subAccountId, ...filterOf(symbol) };
    // cancel_all_orders answers only an ack: count what was open just before.
    const { result: open } = await this.rest.call('open_orders', filter, GrvtOrdersResult);
    await this.rest.call('cancel_all_orders', filter, GrvtAckResult);
    return open.filter((o) => symbol === undefined || canonicalOf(o.legs[0]!.instrument) === symbol).length;
  }

  async openOrders(symbol?: string): Promise<VenueOrder[]> {
    const { result } = await this.rest.call('open_orders', { sub_account_id: this.config.subAccountId, ...filterOf(symbol) }, GrvtOrdersResult);
    const out: VenueOrder[] = [];
    for (const o of result) {
      const v = toVenueOrder(o, this.ids.ours(o.metadata.client_order_id));
      if (v && (symbol === undefined || v.symbol === symbol)) out.push(v);
    }
    return out;
  }

  async queryOrder(symbol: string, clientOrderId: string): Promise<VenueOrder | undefined> {
    const wire = await this.fetchOrder(this.ids.reference(clientOrderId));
    if (!wire) return undefined;
    // What a query learns also reaches the event stream (an 'unknown' place resolved, a missed close).
    this.onOrder(wire);
    const v = toVenueOrder(wire, clientOrderId);
    return v && v.symbol === symbol ? v : undefined;
  }

  async positions(): Promise<VenuePosition[]> {
    const { result } = await this.rest.call('positions', { sub_account_id: this.config.subAccountId }, GrvtPositionsResult);
    const out: VenuePosition[] = [];
    for (const p of result) {
      const symbol = canonicalOf(p.instrument);
      const qty = dec(p.size);
      if (symbol && qty !== D.ZERO) out.push({ symbol, qty: D.toText(qty), avgEntry: D.toText(dec(p.entry_price)) });
    }
    return out;
  }

  async balance(): Promise<VenueBalance[]> {
    const { result: s } = await this.rest.call('account_summary', { sub_account_id: this.config.subAccountId }, GrvtAccountSummaryResult);
    const spot = s.spot_balances?.find((b) => b.currency === s.settle_currency);
    const equity = dec(s.total_equity);
    const total = spot ? dec(spot.balance) : D.sub(equity, dec(s.unrealized_pnl ?? '0'));
    return [{ asset: s.settle_currency, total: D.toText(total), available: D.toText(dec(s.available_balance)), equity: D.toText(equity) }];
  }

  /**
   * Stops the stream and its heartbeats. Cancel-on-disconnect is deliberately left armed: orders still resting are
   * pulled by GRVT when the countdown lapses, as for a crash.
   */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.catchUp.timer);
    const s = this.stream;
    this.stream = undefined;
    await s?.close();
    this.session.close();
  }

  // --- orders -----------------------------------------------------------------------------------------------

  private async orderBody(req: VenueOrderRequest): Promise<unknown> {
    const name = canonicalToGrvt(req.symbol);
    const inst = await this.signingInstrument(name);
    const isMarket = req.type === 'market';
    if (isMarket && req.tif === 'post_only') throw new Error('a market order cannot be post-only');
    if (!isMarket && (req.price === undefined || req.price === '')) throw new Error('a limit order needs a price');
    const timeInForce: GrvtTimeInForce =
      req.tif === 'fok' ? 'FILL_OR_KILL' : req.tif === 'ioc' || isMarket ? 'IMMEDIATE_OR_CANCEL' : 'GOOD_TILL_TIME';
    const postOnly = req.tif === 'post_only';
    const clientOrderId = this.ids.numeric(req.clientOrderId);
    const limitPrice = isMarket ? null : (req.price ?? null);
    const nonce = randomInt(0, 2 ** 32);
    const now = this.now();
    const expiration = nanos(now + this.orderTtlMs);
    const signature = await signOrder(
      {
        subAccountId: this.config.subAccountId,
        isMarket,
        timeInForce,
        postOnly,
        reduceOnly: req.reduceOnly,
        legs: [{ instrument: name, size: req.qty, limitPrice, isBuyingAsset: req.side === 'buy' }],
        nonce,
        expiration,
      },
      this.config.signerPrivateKey,
      new Map([[name, inst]]),
      this.chainId,
    );
    return {
      order: {
        sub_account_id: this.config.subAccountId,
        is_market: isMarket,
        time_in_force: timeInForce,
        post_only: postOnly,
        reduce_only: req.reduceOnly,
        legs: [{ instrument: name, size: req.qty, ...(limitPrice !== null ? { limit_price: limitPrice } : {}), is_buying_asset: req.side === 'buy' }],
        signature,
        metadata: { client_order_id: clientOrderId, create_time: nanos(now) },
      },
    };
  }

  /** A refusal before any order existed at GRVT: reported like the paper venue does, as a 'rejected' event. */
  private rejectLocally(req: VenueOrderRequest, reason: string): { status: 'rejected'; reason: string } {
    const event: OrderEvent = {
      venue: this.venue,
      account: this.account,
      symbol: req.symbol,
      clientOrderId: req.clientOrderId,
      side: req.side,
      ...(req.price !== undefined && req.type === 'limit' ? { price: req.price } : {}),
      qty: req.qty,
      filledQty: '0',
      status: 'rejected',
      reason: reason.slice(0, 500),
      ts: this.now(),
    };
    this.emit(event);
    return { status: 'rejected', reason };
  }

  private async signingInstrument(name: string): Promise<GrvtSigningInstrument> {
    let inst = this.signing.get(name);
    // A miss refreshes the list, at most every 10 s (a newly listed instrument); concurrent misses share one fetch.
    if (!inst && this.signingFetch) await this.signingFetch;
    inst = this.signing.get(name);
    if (!inst && this.now() - this.signingFetchedAt > 10_000) {
      this.signingFetchedAt = this.now();
      this.signingFetch = this.publicRest
        .call('all_instruments', { is_active: true }, GrvtAllSigningInstruments, false)
        .then(({ result }) => {
          this.signing = new Map(result.map((i) => [i.instrument, { instrument: i.instrument, instrumentHash: i.instrument_hash, baseDecimals: i.base_decimals }]));
        })
        .finally(() => (this.signingFetch = undefined));
      await this.signingFetch;
      inst = this.signing.get(name);
    }
    if (!inst) throw new GrvtSigningError(`unknown instrument ${name}`);
    return inst;
  }

  private async fetchOrder(numericClientId: string): Promise<GrvtOrderWire | undefined> {
    try {
      const { result } = await this.rest.call('order', { sub_account_id: this.config.subAccountId, client_order_id: numericClientId }, GrvtOrderResult);
      return result;
    } catch (err) {
      if (err instanceof GrvtRefusedError && (err.code === NOT_FOUND || err.httpStatus === 404)) return undefined;
      throw err;
    }
  }

  // --- stream -----------------------------------------------------------------------------------------------

  private onOrder(o: GrvtOrderWire): void {
    const ours = this.ids.ours(o.metadata.client_order_id);
    const event = toOrderEvent(o, ours, this.venue, this.account);
    if (!event) return;
    const view = toVenueOrder(o, ours);
    if (!this.emit(event) || !view) return;
    if (OPEN_STATUSES.has(event.status)) this.live.set(ours, view);
    else this.live.delete(ours);
  }

  /** Emits an order event unless it repeats or goes back on what was already said; true when emitted. */
  private emit(event: OrderEvent): boolean {
    const rank = RANK[event.status];
    const filled = dec(event.filledQty);
    const last = this.emitted.get(event.clientOrderId);
    if (last && (last.rank === CLOSED || filled < last.filled || (filled === last.filled && rank <= last.rank))) return false;
    this.emitted.delete(event.clientOrderId);
    this.emitted.set(event.clientOrderId, { rank, filled });
    if (this.emitted.size > SEEN_ORDERS) this.emitted.delete(this.emitted.keys().next().value!);
    this.handlers?.onOrderEvent(event);
    return true;
  }

  private onFill(f: GrvtFillWire): void {
    const id = grvtFillId(f);
    if (this.seenFills.has(id)) return;
    const fill = toFill(f, this.ids.ours(f.client_order_id), this.venue, this.account, this.now());
    if (!fill) return;
    this.seenFills.add(id);
    if (this.seenFills.size > SEEN_FILLS) this.seenFills.delete(this.seenFills.values().next().value!);
    this.handlers?.onFill(fill);
  }

  /** Stream messages since `since` may be lost: fetch the fills of the gap and re-query the orders we think open. */
  private scheduleCatchUp(since: number, tries = 0): void {
    this.catchUp.since = Math.min(this.catchUp.since, since);
    if (this.catchUp.running || this.closed) return;
    this.catchUp.running = true;
    const from = this.catchUp.since;
    this.catchUp.since = Infinity;
    this.runCatchUp(from)
      .then(() => {
        this.catchUp.running = false;
        if (this.catchUp.since !== Infinity) this.scheduleCatchUp(this.catchUp.since);
      })
      .catch((err: unknown) => {
        this.catchUp.running = false;
        this.warn(`${this.venue}: catch-up after a stream gap failed (try ${tries + 1}): ${err instanceof Error ? err.message : String(err)}`);
        if (tries + 1 >= CATCH_UP_TRIES || this.closed) return;
        this.catchUp.timer = setTimeout(() => this.scheduleCatchUp(from, tries + 1), CATCH_UP_RETRY_MS);
        this.catchUp.timer.unref();
      });
  }

  private async runCatchUp(since: number): Promise<void> {
    for (const f of await this.fillHistory(since - CATCH_UP_MARGIN_MS)) this.onFill(f);
    for (const clientOrderId of [...this.live.keys()]) {
      const wire = await this.fetchOrder(this.ids.reference(clientOrderId));
      if (wire) this.onOrder(wire);
    }
  }

  /** This sub-account's fills from fill_history since sinceMs, oldest first. */
  private async fillHistory(sinceMs: number): Promise<GrvtFillWire[]> {
    const fills: GrvtFillWire[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < FILL_HISTORY_PAGES; page++) {
      const { result, next } = await this.rest.call(
        'fill_history',
        { sub_account_id: this.config.subAccountId, start_time: nanos(Math.max(0, sinceMs)), limit: 1000, ...(cursor ? { cursor } : {}) },
        GrvtFillHistoryResult,
      );
      fills.push(...result);
      if (!next || result.length === 0) break;
      cursor = next;
    }
    // GRVT answers newest first; report in the order they happened.
    fills.sort((a, b) => (BigInt(a.event_time) < BigInt(b.event_time) ? -1 : BigInt(a.event_time) > BigInt(b.event_time) ? 1 : 0));
    return fills.filter((f) => f.sub_account_id === this.config.subAccountId);
  }

  /** fill_history since sinceMs as the stream's fills (same ids), oldest first; reports nothing itself. */
  async fillsSince(sinceMs: number, symbols?: string[]): Promise<Fill[]> {
    const now = this.now();
    const out: Fill[] = [];
    for (const f of await this.fillHistory(sinceMs)) {
      const fill = toFill(f, this.ids.ours(f.client_order_id), this.venue, this.account, now);
      if (fill && (symbols === undefined || symbols.includes(fill.symbol))) out.push(fill);
    }
    return out;
  }

  /**
   * funding_payment_history since sinceMs, oldest first. GRVT pages newest first by cursor; an entry that fails
   * its schema is reported and skipped, so one odd record never hides the rest.
   */
  async fundingPayments(sinceMs: number, symbols?: string[]): Promise<FundingPayment[]> {
    const out = new Map<string, FundingPayment>();
    let cursor: string | undefined;
    for (let page = 0; page < FILL_HISTORY_PAGES; page++) {
      const { result, next } = await this.rest.call(
        'funding_payment_history',
        { sub_account_id: this.config.subAccountId, start_time: nanos(Math.max(0, sinceMs)), limit: 1000, ...(cursor ? { cursor } : {}) },
        GrvtFundingPaymentHistoryResult,
      );
      for (const raw of result) {
        const w = GrvtFundingPaymentWire.safeParse(raw);
        if (!w.success) {
          this.warn(`funding payment refused: ${w.error.message}`);
          continue;
        }
        if (w.data.sub_account_id !== this.config.subAccountId) continue;
        const p = toFundingPayment(w.data, this.venue, this.account);
        if (p && p.tsExchange >= sinceMs && (symbols === undefined || symbols.includes(p.symbol))) out.set(p.paymentId, p);
      }
      if (!next || result.length === 0) break;
      cursor = next;
    }
    return [...out.values()].sort((a, b) => a.tsExchange - b.tsExchange);
  }

  private warn(message: unknown): void {
    this.config.onWarn?.(this.redact(message instanceof Error ? message.message : String(message)));
  }

  /** Secrets never leave in an error or a warning. */
  private redact(text: string): string {
    let out = text.replace(/gravity=[^;\s"]+/g, 'gravity=<redacted>');
    for (const secret of [this.config.apiKey, this.config.signerPrivateKey, this.config.signerPrivateKey.slice(2)]) {
      if (secret.length >= 8) out = out.split(secret).join('<redacted>');
    }
    return out;
  }
}

/** GRVT filters orders by kind/base/quote, not by instrument name. */
function filterOf(symbol: string | undefined): Record<string, string[]> {
  if (symbol === undefined) return {};
  const [base, quote] = canonicalToGrvt(symbol).split('_');
  return { kind: ['PERPETUAL'], base: [base!], quote: [quote!] };
}
