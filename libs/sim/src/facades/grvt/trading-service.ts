/**
 * GRVT trading semantics on top of the engine: order creation (validation, signature check, speed bump,
 * engine call), cancels, queries, and the façade-driven closes (signature expiry, cancel-on-disconnect).
 * Handlers receive parsed requests and the caller's session, and answer GRVT `full` result objects or throw
 * GrvtApiError.
 */
import type { z } from 'zod';
import { D, dec, toText } from '@perpetua/core';
import type { Address } from 'viem';
import { isAddressEqual } from 'viem';
import type { SimOrder, SimRejection, VenueEngine } from '../../engine/types.js';
import { GrvtApiError } from './errors.js';
import type { GrvtDialectCell } from './grvt-dialect.js';
import type { GrvtInstrument, GrvtInstruments } from './instruments.js';
import type { OrderMetaStore } from './order-meta-store.js';
import { recoverOrderSigner } from './order-signature.js';
import type { GrvtAccount, GrvtSession } from './sessions.js';
import {
  fillToWire,
  fromGrvtOrderId,
  nanos,
  orderToWire,
  positionToWire,
  accountSummaryToWire,
  type GrvtOrderMeta,
  type GrvtOrderWire,
  type GrvtRejectReason,
} from './wire-format.js';
import type {
  CancelOnDisconnectRequest,
  CreateOrderRequest,
  FillHistoryRequest,
  FilteredSubAccountRequest,
  FundingPaymentHistoryRequest,
  OrderRefRequest,
  SubAccountRequest,
} from './wire-schemas.js';

const MAX_SIGNATURE_NS = 30n * 24n * 3600n * 1_000_000_000n;
const ORDERBOOK_TIFS = new Set(['GOOD_TILL_TIME', 'IMMEDIATE_OR_CANCEL', 'FILL_OR_KILL']);
const ENGINE_TIF = { GOOD_TILL_TIME: 'gtc', IMMEDIATE_OR_CANCEL: 'ioc', FILL_OR_KILL: 'fok' } as const;
/** Engine refusals GRVT reports as an order that ended REJECTED (with a reason) rather than as an API error. */
const ORDER_LEVEL_REJECTS: Partial<Record<SimRejection['reason'], GrvtRejectReason>> = {
  post_only_would_cross: 'FAIL_POST_ONLY',
  fok_not_fillable: 'FOK_CANCEL',
  no_liquidity: 'MARKET_CANCEL',
};
/** The first client order id of the API clients' range (GRVT's OrderMetadata docs). */
const API_CLIENT_ORDER_ID_MIN = 1n << 63n;
/** Ids of orders the façade rejects itself, far above the engine's (which stay below 2^53). */
const SYNTHETIC_ID_BASE = 1n << 62n;

export interface TradingServiceOptions {
  engine: VenueEngine;
  instruments: GrvtInstruments;
  metas: OrderMetaStore;
  chainId: number;
  /** Delay before a non-post-only order reaches the engine (GRVT: 25 ms). */
  speedBumpMs: number;
  /** Wall clock for signatures and sessions (unix ms). */
  now: () => number;
  accountOfEngineId: (engineAccountId: string) => GrvtAccount | undefined;
  dialect: GrvtDialectCell;
  /** Publishes an order the façade closed without the engine (rejected before matching) on the private streams. */
  publishSyntheticOrder: (account: GrvtAccount, order: GrvtOrderWire, inst: GrvtInstrument) => void;
}

type Req<T extends z.ZodType> = z.infer<T>;

const isZeroText = (text: string): boolean => /^0*(\.0*)?$/.test(text);

export class GrvtTradingService {
  private readonly seenSignatures = new Map<string, bigint>();
  /** Cancels by client order id that arrived before their order (time_to_live_ms), per account. */
  private readonly earlyCancels = new Map<string, number>();
  private syntheticSeq = 0n;
  /** Recent orders the façade rejected itself, for `order` lookups (bounded). */
  private readonly syntheticOrders = new Map<string, GrvtOrderWire>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly o: TradingServiceOptions) {}

  close(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private ownSubAccount(session: GrvtSession, subAccountId: string): GrvtAccount {
    if (subAccountId !== session.account.subAccountId) throw new GrvtApiError('UNAUTHORIZED', 'sub account not owned by session');
    return session.account;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, ms);
      this.timers.add(t);
    });
  }

  async createOrder(session: GrvtSession, req: Req<typeof CreateOrderRequest>): Promise<GrvtOrderWire> {
    const order = req.order;
    const { engine, instruments, now } = this.o;
    if (order.order_id && !/^(0x)?0*$/.test(order.order_id)) throw new GrvtApiError('ORDER_ID_SET');
    if (order.state !== undefined && order.state !== null) throw new GrvtApiError('STATE_SET');
    if (order.sub_account_id !== session.account.subAccountId) throw new GrvtApiError('SUB_ACCOUNT_MISMATCH');
    const account = session.account;
    if (order.legs.length === 0) throw new GrvtApiError('NO_LEGS');
    if (order.legs.length > 1) throw new GrvtApiError('MULTI_LEG');
    const leg = order.legs[0]!;
    const inst = instruments.byGrvtName(leg.instrument);
    if (!inst) throw new GrvtApiError('UNSUPPORTED_INSTRUMENT', leg.instrument);
    if (!ORDERBOOK_TIFS.has(order.time_in_force)) throw new GrvtApiError('TIME_IN_FORCE', order.time_in_force);
    const isMarket = order.is_market ?? false;
    const postOnly = order.post_only ?? false;
    const reduceOnly = order.reduce_only ?? false;
    if (postOnly && order.time_in_force !== 'GOOD_TILL_TIME') throw new GrvtApiError('POST_ONLY_TIF');
    if (leg.size.startsWith('-') || isZeroText(leg.size)) throw new GrvtApiError('MALFORMED', 'legs.size must be positive');
    const price = leg.limit_price ?? '';
    const hasPrice = price !== '' && !isZeroText(price.replace(/^-/, ''));
    if (isMarket && hasPrice) throw new GrvtApiError('MARKET_WITH_PRICE');
    if (!isMarket && !hasPrice) throw new GrvtApiError('LIMIT_WITHOUT_PRICE');
    if (price.startsWith('-')) throw new GrvtApiError('MALFORMED', 'legs.limit_price must be positive');
    const clientOrderId = order.metadata?.client_order_id;
    if (clientOrderId === undefined) throw new GrvtApiError('CLIENT_ORDER_ID_MISSING');
    if (BigInt(clientOrderId) < API_CLIENT_ORDER_ID_MIN && this.o.dialect.value.uiRangeClientOrderIds === 'refuse') {
      // GRVT: "Gravity UI will generate a random clientOrderID ... in the range [0, 2^63 - 1]; to prevent any
      // conflicts, client machines should generate ... [2^63, 2^64 - 1]" (OrderMetadata). An API id in the UI's
      // range risks exactly the overlap GRVT refuses with 2012.
      throw new GrvtApiError('CLIENT_ORDER_ID_OVERLAP', 'client order ids below 2^63 are reserved for the GRVT UI; API clients use [2^63, 2^64)');
    }

    const sig = order.signature;
    if (sig.chain_id !== undefined && Number(sig.chain_id) !== 0 && Number(sig.chain_id) !== this.o.chainId) {
      throw new GrvtApiError('INVALID_CHAIN_ID', `expected ${this.o.chainId}`);
    }
    const nowNs = BigInt(now()) * 1_000_000n;
    const expiration = BigInt(sig.expiration);
    if (expiration <= nowNs) throw new GrvtApiError('SIGNATURE_EXPIRED');
    if (expiration > nowNs + MAX_SIGNATURE_NS) throw new GrvtApiError('SIGNATURE_DURATION');
    const recovered = await recoverOrderSigner(
      order,
      (name) => {
        const i = instruments.byGrvtName(name);
        return i && { hash: i.hash, baseDecimals: i.baseDecimals };
      },
      this.o.chainId,
    );
    if (!isAddressEqual(recovered, account.signer as Address)) throw new GrvtApiError('UNAUTHORIZED_SIGNER');
    this.rememberSignature(`${sig.r}:${sig.s}`.toLowerCase(), expiration, nowNs);

    const meta: GrvtOrderMeta = {
      subAccountId: account.subAccountId,
      isMarket,
      timeInForce: order.time_in_force,
      postOnly,
      reduceOnly,
      size: leg.size,
      limitPrice: hasPrice ? price : '0',
      signature: sig,
      createTime: nanos(now()),
      expiration,
    };

    // GRVT delays orders that may take liquidity so they match against fresh quotes.
    if (!postOnly && this.o.speedBumpMs > 0) await this.sleep(this.o.speedBumpMs);

    if (this.consumeEarlyCancel(account, clientOrderId)) {
      return this.synthetic(account, inst, meta, clientOrderId, 'CLIENT_CANCEL', leg.is_buying_asset);
    }
    const tif = postOnly ? 'post_only' : ENGINE_TIF[order.time_in_force as keyof typeof ENGINE_TIF];
    const result = this.o.metas.placing(account.engineAccountId, clientOrderId, meta, () =>
      engine.placeOrder({
        accountId: account.engineAccountId,
        symbol: inst.symbol,
        side: leg.is_buying_asset ? 'buy' : 'sell',
        type: isMarket ? 'market' : 'limit',
        ...(isMarket ? {} : { price }),
        qty: leg.size,
        tif,
        reduceOnly,
        clientOrderId,
      }),
    );
    if (result.ok) return orderToWire(result.order, this.o.metas.get(result.order) ?? meta, inst, account.subAccountId);
    const orderLevel = ORDER_LEVEL_REJECTS[result.reason];
    if (orderLevel) return this.synthetic(account, inst, meta, clientOrderId, orderLevel, leg.is_buying_asset);
    throw this.engineError(result, account, inst);
  }

  private rememberSignature(key: string, expiration: bigint, nowNs: bigint): void {
    if (this.seenSignatures.has(key)) {
      // GRVT treats an identical signed payload as a duplicate (same nonce, same signature).
      throw new GrvtApiError('MALFORMED', 'duplicate order payload: nonce and signature already used');
    }
    if (this.seenSignatures.size > 50_000) {
      for (const [k, exp] of this.seenSignatures) if (exp <= nowNs) this.seenSignatures.delete(k);
    }
    this.seenSignatures.set(key, expiration);
  }

  /** An order closed by the façade before reaching the book: answered and published like an engine order. */
  private synthetic(
    account: GrvtAccount,
    inst: GrvtInstrument,
    meta: GrvtOrderMeta,
    clientOrderId: string,
    reason: GrvtRejectReason,
    isBuy: boolean,
  ): GrvtOrderWire {
    const orderId = (SYNTHETIC_ID_BASE + ++this.syntheticSeq).toString();
    const t = this.o.now();
    const sim: SimOrder = {
      orderId,
      clientOrderId,
      accountId: account.engineAccountId,
      symbol: inst.symbol,
      side: isBuy ? 'buy' : 'sell',
      type: meta.isMarket ? 'market' : 'limit',
      tif: meta.postOnly ? 'post_only' : 'gtc',
      price: meta.limitPrice,
      origPrice: meta.limitPrice,
      qty: meta.size,
      filledQty: '0',
      avgFillPrice: '0',
      filledNotional: '0',
      status: reason === 'CLIENT_CANCEL' ? 'canceled' : 'rejected',
      reduceOnly: meta.reduceOnly,
      createdAt: t,
      updatedAt: t,
    };
    meta.closeOverride = reason;
    const wire = orderToWire(sim, meta, inst, account.subAccountId);
    this.syntheticOrders.set(orderId, wire);
    if (this.syntheticOrders.size > 1000) this.syntheticOrders.delete(this.syntheticOrders.keys().next().value!);
    this.o.publishSyntheticOrder(account, wire, inst);
    return wire;
  }

  private engineError(rej: SimRejection, account: GrvtAccount, inst: GrvtInstrument): GrvtApiError {
    switch (rej.reason) {
      case 'unknown_symbol':
        return new GrvtApiError('UNSUPPORTED_INSTRUMENT', inst.name);
      case 'unknown_account':
        return new GrvtApiError('UNAUTHORIZED', 'unknown sub account');
      case 'symbol_halted':
        return new GrvtApiError('INACTIVE_INSTRUMENT', inst.name);
      case 'invalid_price':
        return new GrvtApiError('LIMIT_WITHOUT_PRICE', rej.message);
      case 'invalid_price_tick':
        return new GrvtApiError('PRICE_TICK', `tick size ${inst.sim.tickSize}`);
      case 'invalid_qty_lot':
        return new GrvtApiError('SIZE_GRANULAR', `size step ${inst.sim.lotSize}`);
      case 'below_min_qty':
        return new GrvtApiError('BELOW_MIN_SIZE', `min size ${inst.sim.minQty}`);
      case 'below_min_notional':
        return new GrvtApiError('BELOW_MIN_NOTIONAL');
      case 'insufficient_margin':
        return new GrvtApiError('INSUFFICIENT_MARGIN');
      case 'reduce_only_violation': {
        const flat = this.o.engine.position(account.engineAccountId, inst.symbol).qty === '0';
        return new GrvtApiError(flat ? 'REDUCE_ONLY_NO_POSITION' : 'REDUCE_ONLY_INCREASE');
      }
      case 'duplicate_client_order_id':
        return new GrvtApiError('CLIENT_ORDER_ID_OVERLAP');
      case 'order_not_found':
        return new GrvtApiError('NOT_FOUND');
      default:
        return new GrvtApiError('MALFORMED', rej.message);
    }
  }

  /** The open order an id or client id designates, if any (GRVT cancels carry no instrument). */
  private findOpen(account: GrvtAccount, ref: { orderId?: string; clientOrderId?: string }): SimOrder | undefined {
    return this.o.engine
      .openOrders(account.engineAccountId)
      .find((o) => (ref.orderId !== undefined ? o.orderId === ref.orderId : o.clientOrderId === ref.clientOrderId));
  }

  private orderRef(req: { order_id?: string | null; client_order_id?: string | null }): { orderId?: string; clientOrderId?: string } {
    if (req.order_id) {
      // An id that is not one of ours designates no order (a cancel is then acknowledged and does nothing).
      return { orderId: fromGrvtOrderId(req.order_id) ?? 'unknown' };
    }
    if (req.client_order_id) return { clientOrderId: req.client_order_id };
    throw new GrvtApiError('ORDER_REF_MISSING');
  }

  cancelOrder(session: GrvtSession, req: Req<typeof OrderRefRequest>): { ack: boolean } {
    const account = this.ownSubAccount(session, req.sub_account_id);
    const ref = this.orderRef(req);
    const open = this.findOpen(account, ref);
    if (open) {
      this.o.engine.cancelOrder(account.engineAccountId, open.symbol, { orderId: open.orderId });
    } else if (ref.clientOrderId !== undefined && req.time_to_live_ms !== undefined) {
      // GRVT: a cancel by client id may precede its order; it then cancels that order on arrival within the TTL
      // (rounded down to 100 ms, at most 5 s).
      const ttl = Math.min(5000, Math.floor(Number(req.time_to_live_ms) / 100) * 100);
      if (ttl > 0) this.earlyCancels.set(`${account.subAccountId}|${ref.clientOrderId}`, this.o.now() + ttl);
    }
    // GRVT acknowledges receipt; the outcome shows on the order streams.
    return { ack: true };
  }

  private consumeEarlyCancel(account: GrvtAccount, clientOrderId: string): boolean {
    const key = `${account.subAccountId}|${clientOrderId}`;
    const until = this.earlyCancels.get(key);
    if (until === undefined) return false;
    this.earlyCancels.delete(key);
    return until >= this.o.now();
  }

  private filteredSymbols(req: { kind?: string[]; base?: string[]; quote?: string[] }): string[] {
    return this.o.instruments
      .all()
      .filter(
        (i) =>
          (!req.kind || req.kind.length === 0 || req.kind.includes('PERPETUAL')) &&
          (!req.base || req.base.length === 0 || req.base.includes(i.sim.asset)) &&
          (!req.quote || req.quote.length === 0 || req.quote.includes(i.sim.quote)),
      )
      .map((i) => i.symbol);
  }

  cancelAllOrders(session: GrvtSession, req: Req<typeof FilteredSubAccountRequest>): { ack: boolean } {
    const account = this.ownSubAccount(session, req.sub_account_id);
    for (const symbol of this.filteredSymbols(req)) this.o.engine.cancelAll(account.engineAccountId, symbol);
    return { ack: true };
  }

  /** Cancels every open order of `account`, reporting `reason` as GRVT's reject reason. */
  cancelAllWithReason(account: GrvtAccount, reason: GrvtRejectReason, only?: (o: SimOrder) => boolean): number {
    const { engine, metas } = this.o;
    const targets = engine.openOrders(account.engineAccountId).filter((o) => !only || only(o));
    for (const o of targets) {
      const meta = metas.get(o);
      if (meta) meta.closeOverride = reason;
      else metas.set(o.orderId, this.defaultMeta(o, account, reason));
      engine.cancelOrder(account.engineAccountId, o.symbol, { orderId: o.orderId });
    }
    return targets.length;
  }

  private defaultMeta(o: SimOrder, account: GrvtAccount, reason: GrvtRejectReason): GrvtOrderMeta {
    return {
      subAccountId: account.subAccountId,
      isMarket: o.type === 'market',
      timeInForce: o.tif === 'ioc' ? 'IMMEDIATE_OR_CANCEL' : o.tif === 'fok' ? 'FILL_OR_KILL' : 'GOOD_TILL_TIME',
      postOnly: o.tif === 'post_only',
      reduceOnly: o.reduceOnly,
      size: o.qty,
      limitPrice: o.origPrice,
      signature: { signer: `0x${'0'.repeat(40)}`, r: '0x', s: '0x', v: 0, expiration: '0', nonce: 0 },
      createTime: nanos(o.createdAt),
      expiration: 0n,
      closeOverride: reason,
    };
  }

  /** Cancels resting orders whose signature expired (GRVT: a GTT order lives until cancelled or expired). */
  expireOrders(accounts: GrvtAccount[]): void {
    const nowNs = BigInt(this.o.now()) * 1_000_000n;
    for (const account of accounts) {
      this.cancelAllWithReason(account, 'EXPIRED', (o) => {
        const meta = this.o.metas.get(o);
        return meta !== undefined && meta.expiration > 0n && meta.expiration <= nowNs;
      });
    }
  }

  openOrders(session: GrvtSession, req: Req<typeof FilteredSubAccountRequest>): GrvtOrderWire[] {
    const account = this.ownSubAccount(session, req.sub_account_id);
    const symbols = new Set(this.filteredSymbols(req));
    return this.o.engine
      .openOrders(account.engineAccountId)
      .filter((o) => symbols.has(o.symbol))
      .map((o) => this.wireOrder(o, account));
  }

  getOrder(session: GrvtSession, req: Req<typeof OrderRefRequest>): GrvtOrderWire {
    const account = this.ownSubAccount(session, req.sub_account_id);
    const ref = this.orderRef(req);
    for (const inst of this.o.instruments.all()) {
      const o = this.o.engine.getOrder(account.engineAccountId, inst.symbol, ref);
      if (o) return this.wireOrder(o, account);
    }
    // Orders the façade closed itself never reached the engine.
    const synthetic = [...this.syntheticOrders.values()].find(
      (w) =>
        w.sub_account_id === account.subAccountId &&
        (ref.orderId !== undefined ? fromGrvtOrderId(w.order_id) === ref.orderId : w.metadata.client_order_id === ref.clientOrderId),
    );
    if (synthetic) return synthetic;
    throw new GrvtApiError('NOT_FOUND', 'order');
  }

  wireOrder(o: SimOrder, account: GrvtAccount): GrvtOrderWire {
    const inst = this.o.instruments.byCanonical(o.symbol);
    if (!inst) throw new GrvtApiError('INTERNAL', `no instrument for ${o.symbol}`);
    return orderToWire(o, this.o.metas.get(o), inst, account.subAccountId);
  }

  positions(session: GrvtSession, req: Req<typeof FilteredSubAccountRequest>) {
    const account = this.ownSubAccount(session, req.sub_account_id);
    const symbols = new Set(this.filteredSymbols(req));
    return this.positionsOf(account).filter((p) => symbols.has(this.o.instruments.byGrvtName(p.instrument)?.symbol ?? ''));
  }

  private positionsOf(account: GrvtAccount) {
    const out: ReturnType<typeof positionToWire>[] = [];
    for (const p of this.o.engine.positions(account.engineAccountId)) {
      const inst = this.o.instruments.byCanonical(p.symbol);
      if (inst && p.qty !== '0') out.push(positionToWire(p, inst, account.subAccountId));
    }
    return out;
  }

  accountSummary(session: GrvtSession, req: Req<typeof SubAccountRequest>) {
    const account = this.ownSubAccount(session, req.sub_account_id);
    const balance = this.o.engine.balance(account.engineAccountId);
    return accountSummaryToWire(balance, this.positionsOf(account), account.subAccountId);
  }

  /**
   * The sub-account's fills in [start_time, end_time], newest first, `limit` a page (default 500). `next` is a
   * cursor for the page of older fills ('' on the last page), as GRVT pages its history.
   */
  fillHistory(session: GrvtSession, req: Req<typeof FillHistoryRequest>) {
    const account = this.ownSubAccount(session, req.sub_account_id);
    const symbols = new Set(this.filteredSymbols(req));
    const nsToMs = (ns: string | undefined): number | undefined => (ns === undefined ? undefined : Number(BigInt(ns) / 1_000_000n));
    const since = nsToMs(req.start_time);
    const until = nsToMs(req.end_time);
    const before = req.cursor ? fillCursorId(req.cursor) : undefined;
    const limit = req.limit ?? 500;
    const matching = this.o.engine
      .fills(account.engineAccountId, {
        ...(since !== undefined ? { since } : {}),
        ...(until !== undefined ? { until } : {}),
        limit: Number.MAX_SAFE_INTEGER,
      })
      // GRVT answers newest first; engine fill ids grow with time.
      .filter((f) => symbols.has(f.symbol) && this.o.instruments.byCanonical(f.symbol) !== undefined && (before === undefined || BigInt(f.fillId) < before))
      .sort((a, b) => (BigInt(b.fillId) > BigInt(a.fillId) ? 1 : -1));
    const page = matching.slice(0, limit);
    const result = page.map((f) => {
      const meta = this.o.metas.byId(f.orderId);
      return fillToWire(f, this.o.instruments.byCanonical(f.symbol)!, account.subAccountId, meta?.signature.signer ?? account.signer, undefined);
    });
    const next = matching.length > page.length ? fillCursor(page.at(-1)!.fillId) : '';
    return { result, next };
  }

  /**
   * The account's funding settlements, newest first, paged by cursor like fill_history. GRVT's FundingPayment:
   * amount positive paid, negative received (the engine's is the wallet change, so the sign turns here);
   * tx_id the engine's payment id.
   */
  fundingPaymentHistory(session: GrvtSession, req: Req<typeof FundingPaymentHistoryRequest>) {
    const account = this.ownSubAccount(session, req.sub_account_id);
    const only = req.instrument === undefined ? undefined : this.o.instruments.byGrvtName(req.instrument)?.symbol;
    if (req.instrument !== undefined && only === undefined) throw new GrvtApiError('MALFORMED', `unknown instrument ${req.instrument}`);
    const symbols = new Set(only === undefined ? this.filteredSymbols(req) : [only]);
    const nsToMs = (ns: string | undefined): number | undefined => (ns === undefined ? undefined : Number(BigInt(ns) / 1_000_000n));
    const since = nsToMs(req.start_time);
    const until = nsToMs(req.end_time);
    const before = req.cursor ? fundingCursorId(req.cursor) : undefined;
    const limit = req.limit ?? 500;
    const matching = this.o.engine
      .fundingPayments(account.engineAccountId, {
        ...(since !== undefined ? { since } : {}),
        ...(until !== undefined ? { until } : {}),
        limit: Number.MAX_SAFE_INTEGER,
      })
      .filter((f) => symbols.has(f.symbol) && this.o.instruments.byCanonical(f.symbol) !== undefined && (before === undefined || BigInt(f.paymentId) < before))
      .sort((a, b) => (BigInt(b.paymentId) > BigInt(a.paymentId) ? 1 : -1));
    const page = matching.slice(0, limit);
    const result = page.map((f) => {
      const inst = this.o.instruments.byCanonical(f.symbol)!;
      return { event_time: nanos(f.ts), sub_account_id: account.subAccountId, instrument: inst.name, currency: inst.sim.quote, amount: toText(D.neg(dec(f.amount))), tx_id: f.paymentId };
    });
    const next = matching.length > page.length ? fundingCursor(page.at(-1)!.paymentId) : '';
    return { result, next };
  }

  cancelOnDisconnectCountdown(session: GrvtSession, req: Req<typeof CancelOnDisconnectRequest>): { account: GrvtAccount; ms: number } {
    const account = this.ownSubAccount(session, req.sub_account_id);
    const raw = req.countdown_time === undefined ? 1000 : Number(req.countdown_time);
    if (raw < 0) throw new GrvtApiError('MALFORMED', 'countdown_time must not be negative');
    if (raw > 300_000) throw new GrvtApiError('COUNTDOWN_TOO_LONG');
    // GRVT rounds down to whole seconds; 0..1000 ms switches the countdown off.
    const ms = raw <= 1000 ? 0 : Math.floor(raw / 1000) * 1000;
    return { account, ms };
  }
}

/** fill_history's cursor: opaque to clients, it names the last fill of the page before. */
const fillCursor = (fillId: string): string => Buffer.from(`fill:${fillId}`, 'utf8').toString('base64url');

function fillCursorId(cursor: string): bigint {
  const m = /^fill:(\d{1,20})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) throw new GrvtApiError('MALFORMED', 'cursor is not one this endpoint returned');
  return BigInt(m[1]!);
}

/** funding_payment_history's cursor: names the last payment of the page before. */
const fundingCursor = (paymentId: string): string => Buffer.from(`funding:${paymentId}`, 'utf8').toString('base64url');

function fundingCursorId(cursor: string): bigint {
  const m = /^funding:(\d{1,20})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) throw new GrvtApiError('MALFORMED', 'cursor is not one this endpoint returned');
  return BigInt(m[1]!);
}
