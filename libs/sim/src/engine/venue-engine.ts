import { type Decimal, dec, divInt, mul, toText, ZERO } from '@perpetua/core';
import type {
  SimAmendRequest,
  SimAmendResult,
  SimBalance,
  SimBalanceReason,
  SimBookSnapshot,
  SimCancelResult,
  SimCloseReason,
  SimEvent,
  SimFill,
  SimFillsQuery,
  SimFundingEvent,
  SimInstrument,
  SimLeverageResult,
  SimLevel,
  SimListener,
  SimMark,
  SimOrder,
  SimOrderRef,
  SimOrderRequest,
  SimOrderType,
  SimPlaceResult,
  SimPosition,
  SimRejection,
  SimRejectReason,
  SimTimeInForce,
  SimTrade,
  SimVenueConfig,
  Unsubscribe,
  VenueEngine,
} from './types.js';
import { EngineAccount, EnginePosition } from './engine-account.js';
import { EngineOrder, type SideCode } from './engine-order.js';
import { type BookSide, OrderBook, type PriceLevel } from './order-book.js';
import { InstrumentRuntime } from './instrument-runtime.js';
import { MarkState } from './mark-state.js';
import { GENERIC_SPEC } from './venue-defaults.js';
import { SimError } from './sim-error.js';

const SCALE = 10n ** 18n;
const RECENT_TRADES = 1_000;
/** Maintenance margin rate used only for the informational liquidation price. */
const MAINT_RATE = 0.005;

interface SymbolState {
  rt: InstrumentRuntime;
  book: OrderBook;
  trades: SimTrade[];
  halted: boolean;
  mark: MarkState;
}

/** What `submit` returns: the engine's own order object, for callers inside the simulator. */
export type SubmitResult = { ok: true; order: EngineOrder; fills: SimFill[] } | SimRejection;

const reject = (reason: SimRejectReason, message: string): SimRejection => ({ ok: false, reason, message });

/** The fills of every house order (house accounts book no fills, so nothing is ever pushed here): one array for all. */
const NO_FILLS: SimFill[] = [];

/**
 * One simulated venue: a price-time-priority matching engine per symbol, accounts with exact balances, positions
 * and fees, and one synchronous event stream. Implements the public `VenueEngine` contract; the extra public
 * methods below it (submit, batch, setMarket, ...) are for the world and the background actors.
 */
export class SimVenueEngine implements VenueEngine {
  readonly name: string;
  private readonly symbols = new Map<string, SymbolState>();
  private readonly accounts = new Map<string, EngineAccount>();
  private readonly listeners: SimListener[] = [];
  private orderSeq = 0;
  private fillSeq = 0;
  private fundingSeq = 0;
  private batchDepth = 0;

  constructor(
    readonly config: Readonly<SimVenueConfig>,
    assets: readonly string[],
    private readonly clock: () => number,
  ) {
    this.name = config.name;
    const now = clock();
    for (const asset of assets) {
      const rt = new InstrumentRuntime(config, asset, config.instruments[asset] ?? GENERIC_SPEC);
      this.symbols.set(rt.info.symbol, {
        rt,
        book: new OrderBook(rt.info.symbol),
        trades: [],
        halted: false,
        mark: new MarkState(nextBoundary(now, config.fundingIntervalMs), now),
      });
    }
  }

  // ------------------------------------------------------------------------------------------------ reference data

  instruments(): SimInstrument[] {
    return [...this.symbols.values()].map((s) => ({ ...s.rt.info }));
  }

  instrument(symbol: string): SimInstrument | undefined {
    const s = this.symbols.get(symbol);
    return s ? { ...s.rt.info } : undefined;
  }

  isHalted(symbol: string): boolean {
    return this.symbols.get(symbol)?.halted ?? false;
  }

  // ------------------------------------------------------------------------------------------------ market data

  book(symbol: string, depth = 1000): SimBookSnapshot {
    const s = this.sym(symbol);
    // Pending diffs (inside a batch) go out first, so the snapshot's lastUpdateId covers everything it shows.
    this.flushBook(s);
    const rt = s.rt;
    const levels = (side: BookSide): SimLevel[] => {
      const n = Math.min(depth, side.ticks.length);
      const out: SimLevel[] = new Array(n);
      for (let i = 0; i < n; i++) out[i] = levelTexts(rt, side.levels.get(side.ticks[i]!)!);
      return out;
    };
    return { symbol, lastUpdateId: s.book.updateId, bids: levels(s.book.bids), asks: levels(s.book.asks), ts: this.clock() };
  }

  recentTrades(symbol: string, n = 100): SimTrade[] {
    const s = this.symbols.get(symbol);
    if (!s) return [];
    return s.trades.slice(-Math.max(0, n)).map((t) => ({ ...t }));
  }

  mark(symbol: string): SimMark {
    const s = this.sym(symbol);
    const m = s.mark;
    return {
      symbol,
      markPrice: m.markText,
      indexPrice: m.indexText,
      fundingRate: m.fundingRateText,
      nextFundingTime: m.nextFundingTime,
      fundingIntervalMs: this.config.fundingIntervalMs,
      ts: m.ts,
    };
  }

  // ------------------------------------------------------------------------------------------------ orders

  placeOrder(req: SimOrderRequest): SimPlaceResult {
    const s = this.symbols.get(req.symbol);
    if (!s) return reject('unknown_symbol', `unknown symbol ${String(req.symbol)}`);
    const account = this.accounts.get(req.accountId);
    if (!account) return reject('unknown_account', `unknown account ${String(req.accountId)}`);
    if (req.side !== 'buy' && req.side !== 'sell') return reject('invalid_order', `invalid side ${String(req.side)}`);
    if (req.type !== 'limit' && req.type !== 'market') return reject('invalid_order', `invalid order type ${String(req.type)}`);
    if (req.tif !== 'gtc' && req.tif !== 'ioc' && req.tif !== 'fok' && req.tif !== 'post_only')
      return reject('invalid_order', `invalid time in force ${String(req.tif)}`);
    if (req.type === 'market' && req.tif === 'post_only') return reject('invalid_order', 'a market order cannot be post-only');
    if (s.halted) return reject('symbol_halted', `${req.symbol} is halted`);
    const { rt } = s;

    const lots = rt.qty.parse(String(req.qty));
    if (lots === 'invalid') return reject('invalid_qty', `invalid quantity ${JSON.stringify(req.qty)}`);
    if (lots === 'not_multiple') return reject('invalid_qty_lot', `quantity ${req.qty} is not a multiple of the lot size ${rt.info.lotSize}`);
    if (lots < rt.minLots) return reject('below_min_qty', `quantity ${req.qty} is below the minimum ${rt.info.minQty}`);

    let tick: number | null = null;
    if (req.type === 'limit') {
      if (req.price === undefined) return reject('invalid_price', 'a limit order needs a price');
      const t = rt.price.parse(String(req.price));
      if (t === 'invalid') return reject('invalid_price', `invalid price ${JSON.stringify(req.price)}`);
      if (t === 'not_multiple') return reject('invalid_price_tick', `price ${req.price} is not a multiple of the tick size ${rt.info.tickSize}`);
      tick = t;
    }
    if (req.clientOrderId !== undefined) {
      if (typeof req.clientOrderId !== 'string' || req.clientOrderId.length === 0 || req.clientOrderId.length > 64)
        return reject('invalid_order', 'clientOrderId must be 1..64 characters');
      if (account.openByClientId.has(req.clientOrderId))
        return reject('duplicate_client_order_id', `an open order already uses clientOrderId ${req.clientOrderId}`);
    }
    if (!req.reduceOnly && rt.minNotional > 0n) {
      const refTick = tick ?? rt.price.fromNumber(s.mark.markNumber);
      if (rt.notional(refTick, lots) < rt.minNotional)
        return reject('below_min_notional', `order notional is below the minimum ${rt.info.minNotional}`);
    }

    const res = this.submit(account, req.symbol, req.side === 'buy' ? 0 : 1, req.type, req.tif, tick, lots, req.reduceOnly === true, req.clientOrderId);
    if (!res.ok) return res;
    return { ok: true, order: this.snapshotOrder(res.order), fills: res.fills };
  }

  cancelOrder(accountId: string, symbol: string, ref: SimOrderRef): SimCancelResult {
    const account = this.accounts.get(accountId);
    if (!account) return reject('unknown_account', `unknown account ${String(accountId)}`);
    if (!this.symbols.has(symbol)) return reject('unknown_symbol', `unknown symbol ${String(symbol)}`);
    const order = this.findOpen(account, symbol, ref);
    if (!order) return reject('order_not_found', 'no such open order');
    this.cancelEngineOrder(order, 'canceled', 'user');
    this.flushIfIdle();
    return { ok: true, order: this.snapshotOrder(order) };
  }

  amendOrder(accountId: string, symbol: string, ref: SimOrderRef, change: SimAmendRequest): SimAmendResult {
    const account = this.accounts.get(accountId);
    if (!account) return reject('unknown_account', `unknown account ${String(accountId)}`);
    const s = this.symbols.get(symbol);
    if (!s) return reject('unknown_symbol', `unknown symbol ${String(symbol)}`);
    const order = this.findOpen(account, symbol, ref);
    if (!order) return reject('order_not_found', 'no such open order');
    if (order.type !== 'limit') return reject('invalid_order', 'only limit orders can be amended');
    if (s.halted) return reject('symbol_halted', `${symbol} is halted`);
    const { rt } = s;

    let lots = order.lots;
    if (change.qty !== undefined) {
      const l = rt.qty.parse(String(change.qty));
      if (l === 'invalid') return reject('invalid_qty', `invalid quantity ${JSON.stringify(change.qty)}`);
      if (l === 'not_multiple') return reject('invalid_qty_lot', `quantity ${change.qty} is not a multiple of the lot size ${rt.info.lotSize}`);
      if (l < rt.minLots) return reject('below_min_qty', `quantity ${change.qty} is below the minimum ${rt.info.minQty}`);
      lots = l;
    }
    let tick = order.tick;
    if (change.price !== undefined) {
      const t = rt.price.parse(String(change.price));
      if (t === 'invalid') return reject('invalid_price', `invalid price ${JSON.stringify(change.price)}`);
      if (t === 'not_multiple') return reject('invalid_price_tick', `price ${change.price} is not a multiple of the tick size ${rt.info.tickSize}`);
      tick = t;
    }
    if (tick === order.tick && lots === order.lots) return reject('amend_no_change', 'the amend changes neither price nor quantity');
    if (!order.reduceOnly && rt.minNotional > 0n && rt.notional(tick, lots) < rt.minNotional)
      return reject('below_min_notional', `order notional is below the minimum ${rt.info.minNotional}`);

    // Failures on the order's own state: on some venues (Binance) they also cancel the order.
    const fail = (reason: SimRejectReason, message: string): SimRejection => {
      if (this.config.amendFailureCancels === true) {
        this.cancelEngineOrder(order, 'canceled', 'amend_failed');
        this.flushIfIdle();
      }
      return reject(reason, message);
    };
    if (lots <= order.filledLots) return fail('amend_qty_below_filled', 'the new quantity is not above the filled quantity');
    const opp = s.book.side(order.side === 0 ? 1 : 0);
    const oppBest = opp.bestTick;
    const crosses = oppBest !== undefined && (order.side === 0 ? tick >= oppBest : tick <= oppBest);
    // A post-only order that would cross is refused, whatever the venue's postOnlyMode (no venue documents a
    // reprice on amend).
    if (crosses && order.tif === 'post_only') return fail('post_only_would_cross', 'post-only order would cross the book if amended');

    const side = s.book.side(order.side);
    const oldRemaining = order.remainingLots;
    const newRemaining = lots - order.filledLots;
    const keepsPriority = this.config.amendKeepsPriorityOnQtyDecrease === true && tick === order.tick && lots < order.lots;

    // Margin: release the order's own reservation, check what the amended order needs, restore on refusal.
    this.reserve(order, -oldRemaining);
    if (!account.house && !order.reduceOnly) {
      const extra = this.extraOrderMargin(this.positionOf(account, symbol), rt, order.side, tick, newRemaining);
      if (extra > 0n && extra > this.freeMargin(account)) {
        this.reserve(order, oldRemaining);
        return reject('insufficient_margin', 'insufficient margin for the amended order');
      }
    }

    const fills: SimFill[] = [];
    order.updatedAt = this.clock();
    if (keepsPriority) {
      side.reduce(order, oldRemaining - newRemaining);
      order.lots = lots;
      this.reserve(order, newRemaining);
      if (!account.house) this.emitOrder(order, 'amended');
    } else {
      // Out of its queue and back in at the tail of the (new) price: it loses time priority.
      side.remove(order);
      order.tick = tick;
      order.origTick = tick;
      order.lots = lots;
      if (!account.house) this.emitOrder(order, 'amended');
      // A non-post-only order amended through the book trades at once, as a taker, like a new order would.
      const closeReason = crosses ? this.match(s, order, opp, fills) : undefined;
      if (order.remainingLots === 0) {
        this.close(order, 'filled', undefined);
      } else if (closeReason !== undefined) {
        this.close(order, 'expired', closeReason);
        if (!account.house) this.emitOrder(order, 'expired');
      } else {
        side.add(order);
        this.reserve(order, order.remainingLots);
      }
    }
    this.flushIfIdle();
    return { ok: true, order: this.snapshotOrder(order), fills };
  }

  cancelAll(accountId: string, symbol?: string): SimOrder[] {
    const account = this.accounts.get(accountId);
    if (!account) return [];
    const victims = [...account.open.values()].filter((o) => symbol === undefined || o.symbol === symbol);
    for (const o of victims) this.cancelEngineOrder(o, 'canceled', 'cancel_all');
    this.flushIfIdle();
    return victims.map((o) => this.snapshotOrder(o));
  }

  openOrders(accountId: string, symbol?: string): SimOrder[] {
    const account = this.accounts.get(accountId);
    if (!account) return [];
    const out: SimOrder[] = [];
    for (const o of account.open.values()) if (symbol === undefined || o.symbol === symbol) out.push(this.snapshotOrder(o));
    return out.sort((a, b) => Number(a.orderId) - Number(b.orderId));
  }

  getOrder(accountId: string, symbol: string, ref: SimOrderRef): SimOrder | undefined {
    const account = this.accounts.get(accountId);
    if (!account) return undefined;
    let o = this.findOpen(account, symbol, ref);
    if (!o) {
      if (ref.orderId !== undefined) o = account.closed.get(Number(ref.orderId));
      else if (ref.clientOrderId !== undefined) o = account.closedByClientId.get(ref.clientOrderId);
      if (o && o.symbol !== symbol) o = undefined;
    }
    return o ? this.snapshotOrder(o) : undefined;
  }

  fills(accountId: string, query: SimFillsQuery = {}): SimFill[] {
    const account = this.accounts.get(accountId);
    if (!account) return [];
    const limit = query.limit ?? 500;
    const out: SimFill[] = [];
    for (let i = account.fills.length - 1; i >= 0 && out.length < limit; i--) {
      const f = account.fills[i]!;
      if (query.symbol !== undefined && f.symbol !== query.symbol) continue;
      if (query.since !== undefined && f.ts < query.since) continue;
      if (query.until !== undefined && f.ts > query.until) continue;
      out.push({ ...f });
    }
    return out.reverse();
  }

  fundingPayments(accountId: string, query: SimFillsQuery = {}): SimFundingEvent[] {
    const account = this.accounts.get(accountId);
    if (!account) return [];
    const limit = query.limit ?? 500;
    const out: SimFundingEvent[] = [];
    for (let i = account.funding.length - 1; i >= 0 && out.length < limit; i--) {
      const f = account.funding[i]!;
      if (query.symbol !== undefined && f.symbol !== query.symbol) continue;
      if (query.since !== undefined && f.ts < query.since) continue;
      if (query.until !== undefined && f.ts > query.until) continue;
      out.push({ ...f });
    }
    return out.reverse();
  }

  positions(accountId: string): SimPosition[] {
    const account = this.accounts.get(accountId);
    if (!account) return [];
    return [...account.positions.values()].map((p) => this.snapshotPosition(account, p));
  }

  position(accountId: string, symbol: string): SimPosition {
    const s = this.sym(symbol);
    const account = this.accounts.get(accountId);
    const p = account?.positions.get(symbol) ?? new EnginePosition(symbol, s.rt.info.defaultLeverage);
    return this.snapshotPosition(account ?? new EngineAccount(accountId, ZERO, false), p);
  }

  balance(accountId: string): SimBalance {
    const account = this.accounts.get(accountId) ?? new EngineAccount(accountId, ZERO, false);
    return this.computeBalance(account);
  }

  setLeverage(accountId: string, symbol: string, leverage: number): SimLeverageResult {
    const account = this.accounts.get(accountId);
    if (!account) return reject('unknown_account', `unknown account ${String(accountId)}`);
    const s = this.symbols.get(symbol);
    if (!s) return reject('unknown_symbol', `unknown symbol ${String(symbol)}`);
    if (!Number.isInteger(leverage) || leverage < 1 || leverage > s.rt.info.maxLeverage)
      return reject('invalid_leverage', `leverage must be an integer in 1..${s.rt.info.maxLeverage}`);
    const pos = this.positionOf(account, symbol);
    const before = pos.leverage;
    pos.leverage = leverage;
    if (!account.house && leverage < before && this.freeMargin(account) < 0n) {
      pos.leverage = before;
      return reject('insufficient_margin', `not enough margin for leverage ${leverage}`);
    }
    if (!account.house && leverage !== before) this.emitPosition(account, pos, 'leverage');
    // Informational notional cap, shrinking with leverage like the venues' brackets.
    const maxNotional = String(Math.floor((s.rt.info.maxLeverage * 4_000_000) / leverage));
    return { ok: true, symbol, leverage, maxNotional };
  }

  // ------------------------------------------------------------------------------------------------ accounts

  createAccount(accountId: string, initialBalance: string): { ok: true; balance: SimBalance } | SimRejection {
    if (typeof accountId !== 'string' || accountId.length === 0) return reject('invalid_order', 'account id must be a non-empty string');
    if (this.accounts.has(accountId)) return reject('account_exists', `account ${accountId} already exists`);
    let amount: Decimal;
    try {
      amount = dec(initialBalance);
    } catch {
      return reject('invalid_order', `invalid initial balance ${JSON.stringify(initialBalance)}`);
    }
    const account = new EngineAccount(accountId, amount, false);
    this.accounts.set(accountId, account);
    return { ok: true, balance: this.computeBalance(account) };
  }

  hasAccount(accountId: string): boolean {
    return this.accounts.has(accountId);
  }

  deposit(accountId: string, amount: string): SimBalance {
    const account = this.accounts.get(accountId);
    if (!account) throw new SimError(`unknown account ${accountId}`);
    const delta = dec(amount);
    account.wallet = (account.wallet + delta) as Decimal;
    return this.emitBalance(account, 'deposit', delta);
  }

  subscribe(listener: SimListener): Unsubscribe {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  // ------------------------------------------------------------------------------------------------ simulator-side API

  /** An account that skips margin, bookkeeping and private events (background liquidity and flow). */
  createHouseAccount(accountId: string): EngineAccount {
    const existing = this.accounts.get(accountId);
    if (existing) return existing;
    const account = new EngineAccount(accountId, ZERO, true);
    this.accounts.set(accountId, account);
    return account;
  }

  /** The internal state of a symbol, for background actors (read-only use). */
  runtime(symbol: string): { rt: InstrumentRuntime; book: OrderBook; halted: boolean; markNumber: number } {
    const s = this.sym(symbol);
    return { rt: s.rt, book: s.book, halted: s.halted, markNumber: s.mark.markNumber };
  }

  symbolNames(): string[] {
    return [...this.symbols.keys()];
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

  /**
   * Validated order entry in engine units: the one matching path every order takes (façade orders come through
   * placeOrder, background orders straight here). `tick` is null for market orders.
   */
  submit(
    account: EngineAccount,
    symbol: string,
    side: SideCode,
    type: SimOrderType,
    tif: SimTimeInForce,
    tick: number | null,
    lots: number,
    reduceOnly: boolean,
    clientOrderId?: string,
  ): SubmitResult {
    const s = this.sym(symbol);
    if (s.halted) return reject('symbol_halted', `${symbol} is halted`);
    const book = s.book;
    const opp = book.side(side === 0 ? 1 : 0);
    const oppBest = opp.bestTick;
    const effectiveTif: SimTimeInForce = type === 'market' && tif !== 'fok' ? 'ioc' : tif;

    let price = tick;
    if (tif === 'post_only' && price !== null && oppBest !== undefined && (side === 0 ? price >= oppBest : price <= oppBest)) {
      if (this.config.postOnlyMode === 'reject')
        return reject('post_only_would_cross', 'post-only order would cross the book and was rejected');
      price = side === 0 ? oppBest - 1 : oppBest + 1;
      if (price <= 0) return reject('post_only_would_cross', 'post-only order cannot be repriced to a positive price');
    }
    if (type === 'market' && oppBest === undefined) return reject('no_liquidity', 'no liquidity on the other side of the book');

    const pos = account.house ? undefined : this.positionOf(account, symbol);
    if (reduceOnly) {
      const posLots = account.house ? 0 : pos!.lots;
      if (side === 0 ? posLots >= 0 : posLots <= 0)
        return reject('reduce_only_violation', 'reduce-only order would not reduce the position');
    }
    if (effectiveTif === 'fok') {
      let need = lots;
      if (reduceOnly) need = Math.min(need, Math.abs(pos!.lots));
      if (need < lots || this.fillableLots(opp, account, side, price, lots) < lots)
        return reject('fok_not_fillable', 'fill-or-kill order cannot be filled in full');
    }
    if (!account.house && !reduceOnly) {
      const refTick = price ?? oppBest ?? s.rt.price.fromNumber(s.mark.markNumber);
      const extra = this.extraOrderMargin(pos!, s.rt, side, refTick, lots);
      if (extra > 0n && extra > this.freeMargin(account))
        return reject('insufficient_margin', 'insufficient margin for this order');
    }

    const now = this.clock();
    const id = ++this.orderSeq;
    const coid = clientOrderId ?? `sim-${id}`;
    const order = new EngineOrder(id, coid, account, symbol, side, type, effectiveTif, price ?? 0, tick ?? 0, lots, reduceOnly, now);
    account.open.set(id, order);
    // House orders are never looked up by client id (nothing outside the simulator trades on a house account).
    if (!account.house) {
      account.openByClientId.set(coid, order);
      this.emitOrder(order, 'new');
    }

    const fills: SimFill[] = account.house ? NO_FILLS : [];
    const closeReason = this.match(s, order, opp, fills);

    if (order.remainingLots === 0) {
      this.close(order, 'filled', undefined);
    } else if (closeReason !== undefined) {
      this.close(order, 'expired', closeReason);
      if (!account.house) this.emitOrder(order, 'expired');
    } else if (effectiveTif === 'ioc' || effectiveTif === 'fok') {
      const reason: SimCloseReason = type === 'market' ? 'market_remainder' : 'ioc_remainder';
      this.close(order, 'expired', reason);
      if (!account.house) this.emitOrder(order, 'expired');
    } else {
      book.side(side).add(order);
      this.reserve(order, order.remainingLots);
    }
    this.flushIfIdle();
    return { ok: true, order, fills };
  }

  /** Cancels (or expires) an open order of any account. */
  cancelEngineOrder(order: EngineOrder, status: 'canceled' | 'expired', reason: SimCloseReason): void {
    if (!order.isOpen) return;
    const s = this.sym(order.symbol);
    if (order.level) s.book.side(order.side).remove(order);
    this.reserve(order, -order.remainingLots);
    this.close(order, status, reason);
    if (!order.account.house) this.emitOrder(order, status);
  }

  /** Sets a symbol's mark, index and funding rate (floats from the price process) and emits a 'mark' event. */
  setMarket(symbol: string, markPrice: number, indexPrice: number, fundingRate: number): void {
    const s = this.sym(symbol);
    const m = s.mark;
    m.set(markPrice, indexPrice, fundingRate, s.rt.price.decimals + 2, this.clock());
    if (this.listeners.length > 0) this.emit({ type: 'mark', venue: this.name, ...this.mark(symbol) });
  }

  /** Settles funding on every open position of the symbol if its funding time has come. */
  settleFundingIfDue(symbol: string): void {
    const s = this.sym(symbol);
    const now = this.clock();
    if (now < s.mark.nextFundingTime) return;
    const { mark, fundingRate } = s.mark;
    s.mark.nextFundingTime = nextBoundary(now, this.config.fundingIntervalMs);
    for (const account of this.accounts.values()) {
      if (account.house) continue;
      const pos = account.positions.get(symbol);
      if (!pos || pos.lots === 0) continue;
      const qty = s.rt.qty.toDecimal(pos.lots);
      // Longs pay shorts when the rate is positive.
      const amount = -mul(mul(qty, mark), fundingRate) as Decimal;
      account.wallet = (account.wallet + amount) as Decimal;
      const payment: SimFundingEvent = {
        type: 'funding',
        paymentId: String(++this.fundingSeq),
        venue: this.name,
        accountId: account.id,
        symbol,
        rate: s.mark.fundingRateText,
        markPrice: s.mark.markText,
        positionQty: toText(qty),
        amount: toText(amount),
        ts: now,
      };
      account.rememberFunding(payment);
      this.emit({ ...payment });
      this.emitBalance(account, 'funding', amount);
    }
  }

  /** Halts or resumes a symbol; a halt cancels every open order on it. */
  setHalted(symbol: string, halted: boolean): void {
    const s = this.sym(symbol);
    if (s.halted === halted) return;
    if (halted) {
      this.batch(() => {
        for (const account of this.accounts.values())
          for (const o of [...account.open.values()]) if (o.symbol === symbol) this.cancelEngineOrder(o, 'canceled', 'halt');
      });
    }
    s.halted = halted;
    this.emit({ type: 'status', venue: this.name, symbol, halted, ts: this.clock() });
  }

  /** Sends pending book diffs now (no-op when nothing changed). */
  flush(): void {
    for (const s of this.symbols.values()) this.flushBook(s);
  }

  // ------------------------------------------------------------------------------------------------ matching

  /** Matches `order` against the opposite side; returns a close reason when matching must stop early. */
  private match(s: SymbolState, order: EngineOrder, opp: BookSide, fills: SimFill[]): SimCloseReason | undefined {
    const stp = this.config.stpMode;
    const limit = order.type === 'market' ? null : order.tick;
    const taker = order.account;
    while (order.remainingLots > 0) {
      const level = opp.best;
      if (!level) return undefined;
      if (limit !== null && (order.side === 0 ? level.tick > limit : level.tick < limit)) return undefined;
      let maker = level.head;
      while (maker && order.remainingLots > 0) {
        const nextMaker = maker.next;
        if (maker.account === taker && stp !== 'none') {
          if (stp === 'expire_taker') return 'stp';
          this.cancelEngineOrder(maker, 'expired', 'stp');
          if (stp === 'expire_both') return 'stp';
          maker = nextMaker;
          continue;
        }
        let q = Math.min(order.remainingLots, maker.remainingLots);
        if (order.reduceOnly) {
          const red = this.reducibleLots(taker, order.symbol, order.side);
          if (red <= 0) return 'reduce_only';
          q = Math.min(q, red);
        }
        if (maker.reduceOnly) {
          const red = this.reducibleLots(maker.account, maker.symbol, maker.side);
          if (red <= 0) {
            this.cancelEngineOrder(maker, 'expired', 'reduce_only');
            maker = nextMaker;
            continue;
          }
          q = Math.min(q, red);
        }
        this.execute(s, opp, maker, order, q, fills);
        if (maker.remainingLots === 0) {
          opp.remove(maker);
          this.close(maker, 'filled', undefined);
        } else if (maker.reduceOnly && this.reducibleLots(maker.account, maker.symbol, maker.side) <= 0) {
          this.cancelEngineOrder(maker, 'expired', 'reduce_only');
        }
        maker = nextMaker;
      }
      if (order.reduceOnly && order.remainingLots > 0 && this.reducibleLots(taker, order.symbol, order.side) <= 0)
        return 'reduce_only';
    }
    return undefined;
  }

  /**
   * Lots a taker could fill now at `limit` (null = market), honouring self-trade
   * prevention and what reduce-only makers can still reduce (as match() does), so
   * a fill-or-kill order accepted here never ends partly filled.
   */
  private fillableLots(opp: BookSide, account: EngineAccount, side: SideCode, limit: number | null, want: number): number {
    const stp = this.config.stpMode;
    const makerSide: SideCode = side === 0 ? 1 : 0;
    const reducible = new Map<EngineAccount, number>(); // per reduce-only maker account: lots it may still trade
    let total = 0;
    for (const t of opp.ticks) {
      if (limit !== null && (side === 0 ? t > limit : t < limit)) break;
      for (let o = opp.levels.get(t)!.head; o; o = o.next) {
        if (o.account === account && stp !== 'none') {
          if (stp === 'expire_maker') continue;
          return total;
        }
        let q = o.remainingLots;
        if (o.reduceOnly) {
          const left = reducible.get(o.account) ?? this.reducibleLots(o.account, o.symbol, makerSide);
          q = Math.min(q, left);
          reducible.set(o.account, left - q);
        }
        total += q;
        if (total >= want) return total;
      }
    }
    return total;
  }

  /** One trade between a resting maker and the incoming taker at the maker's price. */
  private execute(s: SymbolState, opp: BookSide, maker: EngineOrder, taker: EngineOrder, lots: number, fills: SimFill[]): void {
    const { rt, book } = s;
    const tick = maker.tick;
    const now = this.clock();
    const notional = rt.notional(tick, lots);
    const tradeId = ++book.tradeSeq;

    opp.reduce(maker, lots);
    this.reserve(maker, -lots);
    maker.filledLots += lots;
    maker.filledNotional = (maker.filledNotional + notional) as Decimal;
    maker.status = maker.remainingLots === 0 ? 'filled' : 'partially_filled';
    maker.updatedAt = now;
    taker.filledLots += lots;
    taker.filledNotional = (taker.filledNotional + notional) as Decimal;
    taker.status = taker.remainingLots === 0 ? 'filled' : 'partially_filled';
    taker.updatedAt = now;

    const priceText = rt.priceTexts.text(tick);
    const qtyText = rt.qty.format(lots);
    const trade: SimTrade = {
      tradeId: String(tradeId),
      symbol: book.symbol,
      price: priceText,
      qty: qtyText,
      side: taker.side === 0 ? 'buy' : 'sell',
      ts: now,
    };
    s.trades.push(trade);
    if (s.trades.length > RECENT_TRADES * 1.5) s.trades.splice(0, s.trades.length - RECENT_TRADES);
    if (this.listeners.length > 0)
      this.emit({ type: 'trade', venue: this.name, tradeId: trade.tradeId, symbol: trade.symbol, price: priceText, qty: qtyText, side: trade.side, ts: now });

    this.bookFill(maker, s, tick, lots, notional, tradeId, 'maker', priceText, qtyText, now);
    const takerFill = this.bookFill(taker, s, tick, lots, notional, tradeId, 'taker', priceText, qtyText, now);
    if (takerFill) fills.push(takerFill);
  }

  /** Books one side of a trade on its account: position, realized PnL, fee, wallet, records and events. */
  private bookFill(
    order: EngineOrder,
    s: SymbolState,
    tick: number,
    lots: number,
    notional: Decimal,
    tradeId: number,
    liquidity: 'maker' | 'taker',
    priceText: string,
    qtyText: string,
    now: number,
  ): SimFill | undefined {
    const account = order.account;
    if (account.house) return undefined;
    const { rt } = s;
    const fee = mul(notional, liquidity === 'maker' ? rt.makerRate : rt.takerRate);
    const pos = this.positionOf(account, order.symbol);
    const realized = applyToPosition(pos, rt, order.side, tick, lots, notional);
    const delta = (realized - fee) as Decimal;
    account.wallet = (account.wallet + delta) as Decimal;

    const fill: SimFill = {
      fillId: String(++this.fillSeq),
      tradeId: String(tradeId),
      orderId: String(order.id),
      clientOrderId: order.clientOrderId,
      accountId: account.id,
      symbol: order.symbol,
      side: order.side === 0 ? 'buy' : 'sell',
      price: priceText,
      qty: qtyText,
      notional: toText(notional),
      fee: toText(fee),
      feeAsset: this.config.quote,
      liquidity,
      realizedPnl: toText(realized),
      ts: now,
    };
    account.rememberFill(fill);
    this.emitOrder(order, 'trade', fill);
    this.emit({ type: 'fill', venue: this.name, accountId: account.id, fill, ts: now });
    this.emitPosition(account, pos, 'fill');
    this.emitBalance(account, 'fill', delta);
    return fill;
  }

  // ------------------------------------------------------------------------------------------------ margin

  /** Adds (or with negative lots releases) an open order's exposure to its account's open-order margin. */
  private reserve(order: EngineOrder, lots: number): void {
    if (order.account.house || order.reduceOnly || lots === 0) return;
    if (lots > 0 && !order.reserved) order.reserved = true;
    else if (!order.reserved) return;
    const pos = this.positionOf(order.account, order.symbol);
    const tl = order.tick * lots;
    if (order.side === 0) pos.buyOpenTL += tl;
    else pos.sellOpenTL += tl;
  }

  private extraOrderMargin(pos: EnginePosition, rt: InstrumentRuntime, side: SideCode, tick: number, lots: number): Decimal {
    const reducible = (side === 0 ? pos.lots < 0 : pos.lots > 0) ? Math.abs(pos.lots) : 0;
    const add = Math.max(0, lots - reducible);
    if (add === 0) return ZERO;
    const before = Math.max(pos.buyOpenTL, pos.sellOpenTL);
    const after = side === 0 ? Math.max(pos.buyOpenTL + tick * add, pos.sellOpenTL) : Math.max(pos.buyOpenTL, pos.sellOpenTL + tick * add);
    return divInt(BigInt(after - before) * rt.unitNotional, BigInt(pos.leverage), 'ceil') as Decimal;
  }

  /** equity - position margin - open-order margin (may be negative). */
  private freeMargin(account: EngineAccount): Decimal {
    const b = this.balanceParts(account);
    return (b.equity - b.positionMargin - b.orderMargin) as Decimal;
  }

  private balanceParts(account: EngineAccount): { unrealized: Decimal; equity: Decimal; positionMargin: Decimal; orderMargin: Decimal } {
    let unrealized = 0n;
    let positionMargin = 0n;
    let orderMargin = 0n;
    for (const pos of account.positions.values()) {
      const s = this.symbols.get(pos.symbol)!;
      const lev = BigInt(pos.leverage);
      if (pos.lots !== 0) {
        const qty = s.rt.qty.toDecimal(pos.lots);
        const value = mul(qty, s.mark.mark); // signed
        unrealized += value - (pos.lots > 0 ? pos.entryNotional : -pos.entryNotional);
        positionMargin += divInt(value < 0n ? -value : value, lev, 'ceil');
      }
      const tl = Math.max(pos.buyOpenTL, pos.sellOpenTL);
      if (tl > 0) orderMargin += divInt(BigInt(tl) * s.rt.unitNotional, lev, 'ceil');
    }
    return {
      unrealized: unrealized as Decimal,
      equity: (account.wallet + unrealized) as Decimal,
      positionMargin: positionMargin as Decimal,
      orderMargin: orderMargin as Decimal,
    };
  }

  private computeBalance(account: EngineAccount): SimBalance {
    const b = this.balanceParts(account);
    const free = b.equity - b.positionMargin - b.orderMargin;
    return {
      accountId: account.id,
      asset: this.config.quote,
      wallet: toText(account.wallet),
      unrealizedPnl: toText(b.unrealized),
      equity: toText(b.equity),
      positionMargin: toText(b.positionMargin),
      orderMargin: toText(b.orderMargin),
      available: toText((free > 0n ? free : 0n) as Decimal),
      ts: this.clock(),
    };
  }

  private reducibleLots(account: EngineAccount, symbol: string, side: SideCode): number {
    const lots = account.positions.get(symbol)?.lots ?? 0;
    return side === 0 ? Math.max(0, -lots) : Math.max(0, lots);
  }

  // ------------------------------------------------------------------------------------------------ helpers

  private sym(symbol: string): SymbolState {
    const s = this.symbols.get(symbol);
    if (!s) throw new SimError(`${this.name}: unknown symbol ${String(symbol)}`);
    return s;
  }

  private positionOf(account: EngineAccount, symbol: string): EnginePosition {
    let p = account.positions.get(symbol);
    if (!p) {
      p = new EnginePosition(symbol, this.sym(symbol).rt.info.defaultLeverage);
      account.positions.set(symbol, p);
    }
    return p;
  }

  private findOpen(account: EngineAccount, symbol: string, ref: SimOrderRef): EngineOrder | undefined {
    let o: EngineOrder | undefined;
    if (ref.orderId !== undefined) o = account.open.get(Number(ref.orderId));
    else if (ref.clientOrderId !== undefined) o = account.openByClientId.get(ref.clientOrderId);
    return o && o.symbol === symbol ? o : undefined;
  }

  private close(order: EngineOrder, status: 'filled' | 'canceled' | 'expired', reason: SimCloseReason | undefined): void {
    order.status = status;
    order.closeReason = reason;
    order.updatedAt = this.clock();
    const account = order.account;
    account.open.delete(order.id);
    if (account.openByClientId.get(order.clientOrderId) === order) account.openByClientId.delete(order.clientOrderId);
    account.rememberClosed(order);
  }

  private flushIfIdle(): void {
    if (this.batchDepth === 0) this.flush();
  }

  private flushBook(s: SymbolState): void {
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
      venue: this.name,
      symbol: book.symbol,
      firstUpdateId: prev + 1,
      lastUpdateId: prev + n,
      prevUpdateId: prev,
      bids,
      asks,
      ts: this.clock(),
    });
  }

  private emit(e: SimEvent): void {
    const ls = this.listeners;
    if (ls.length === 1) ls[0]!(e);
    else for (const l of [...ls]) l(e);
  }

  private emitOrder(order: EngineOrder, execType: 'new' | 'trade' | 'canceled' | 'expired' | 'amended', fill?: SimFill): void {
    if (this.listeners.length === 0) return;
    this.emit({
      type: 'order',
      venue: this.name,
      accountId: order.account.id,
      execType,
      order: this.snapshotOrder(order),
      ...(fill ? { fill } : {}),
      ts: this.clock(),
    });
  }

  private emitPosition(account: EngineAccount, pos: EnginePosition, reason: 'fill' | 'leverage' | 'funding'): void {
    if (this.listeners.length === 0) return;
    this.emit({ type: 'position', venue: this.name, accountId: account.id, position: this.snapshotPosition(account, pos), reason, ts: this.clock() });
  }

  private emitBalance(account: EngineAccount, reason: SimBalanceReason, delta: Decimal): SimBalance {
    const balance = this.computeBalance(account);
    if (this.listeners.length > 0)
      this.emit({ type: 'balance', venue: this.name, accountId: account.id, balance, reason, walletDelta: toText(delta), ts: balance.ts });
    return balance;
  }

  private snapshotOrder(o: EngineOrder): SimOrder {
    const rt = this.sym(o.symbol).rt;
    const filledQty = rt.qty.toDecimal(o.filledLots);
    const avg = o.filledLots > 0 ? toText((divInt(o.filledNotional * SCALE, filledQty, 'half-even')) as Decimal) : '0';
    return {
      orderId: String(o.id),
      clientOrderId: o.clientOrderId,
      accountId: o.account.id,
      symbol: o.symbol,
      side: o.side === 0 ? 'buy' : 'sell',
      type: o.type,
      tif: o.tif,
      price: o.type === 'market' ? avg : rt.price.format(o.tick),
      origPrice: o.type === 'market' ? '0' : rt.price.format(o.origTick),
      qty: rt.qty.format(o.lots),
      filledQty: rt.qty.format(o.filledLots),
      avgFillPrice: avg,
      filledNotional: toText(o.filledNotional),
      status: o.status,
      reduceOnly: o.reduceOnly,
      ...(o.closeReason ? { closeReason: o.closeReason } : {}),
      createdAt: o.createdAt,
      updatedAt: o.updatedAt,
    };
  }

  private snapshotPosition(account: EngineAccount, p: EnginePosition): SimPosition {
    const s = this.sym(p.symbol);
    const { rt, mark } = s;
    const qty = rt.qty.toDecimal(p.lots);
    const absQty = qty < 0n ? -qty : qty;
    const entry = p.lots === 0 ? ZERO : (divInt(p.entryNotional * SCALE, absQty, 'half-even') as Decimal);
    const value = mul(qty, mark.mark);
    const unrealized = p.lots === 0 ? ZERO : ((value - (p.lots > 0 ? p.entryNotional : -p.entryNotional)) as Decimal);
    const absValue = value < 0n ? -value : value;
    let liq = '0';
    if (p.lots !== 0) {
      const e = Number(toText(entry));
      const f = p.lots > 0 ? 1 - 1 / p.leverage + MAINT_RATE : 1 + 1 / p.leverage - MAINT_RATE;
      liq = toText(dec(Math.max(0, e * f).toFixed(rt.price.decimals)));
    }
    return {
      accountId: account.id,
      symbol: p.symbol,
      qty: toText(qty),
      entryPrice: toText(entry),
      markPrice: mark.markText,
      unrealizedPnl: toText(unrealized),
      realizedPnl: toText(p.realizedPnl),
      leverage: p.leverage,
      initialMargin: toText(divInt(absValue, BigInt(p.leverage), 'ceil') as Decimal),
      liquidationPrice: liq,
      ts: this.clock(),
    };
  }
}

/**
 * Applies a fill to a net position with average-cost accounting; returns the PnL it realizes. The cost basis is
 * kept as an exact notional, so closing the whole position realizes exactly (partial closes round the basis share
 * half-even at 18 places).
 */
export function applyToPosition(pos: EnginePosition, rt: InstrumentRuntime, side: SideCode, tick: number, lots: number, notional: Decimal): Decimal {
  const sign = side === 0 ? 1 : -1;
  if (pos.lots === 0 || Math.sign(pos.lots) === sign) {
    pos.lots += sign * lots;
    pos.entryNotional = (pos.entryNotional + notional) as Decimal;
    return ZERO;
  }
  const open = Math.abs(pos.lots);
  const closeLots = Math.min(lots, open);
  const basisShare = closeLots === open ? pos.entryNotional : (divInt(pos.entryNotional * BigInt(closeLots), BigInt(open), 'half-even') as Decimal);
  const closeNotional = closeLots === lots ? notional : rt.notional(tick, closeLots);
  const realized = (pos.lots > 0 ? closeNotional - basisShare : basisShare - closeNotional) as Decimal;
  pos.entryNotional = (pos.entryNotional - basisShare) as Decimal;
  pos.lots += sign * closeLots;
  const rest = lots - closeLots;
  if (rest > 0) {
    pos.lots = sign * rest;
    pos.entryNotional = (notional - closeNotional) as Decimal;
  }
  pos.realizedPnl = (pos.realizedPnl + realized) as Decimal;
  return realized;
}

/** The levels at `ticks` (changed, best first) as the diff event carries them: size '0' = removed. */
function diffLevels(rt: InstrumentRuntime, side: BookSide, ticks: readonly number[]): SimLevel[] {
  const out: SimLevel[] = new Array(ticks.length);
  for (let i = 0; i < ticks.length; i++) {
    const t = ticks[i]!;
    const level = side.levels.get(t);
    out[i] = level ? levelTexts(rt, level) : [rt.priceTexts.text(t), '0'];
  }
  return out;
}

/** A level as [price, size] text: the level's cached pair, rebuilt only when its size changed. */
function levelTexts(rt: InstrumentRuntime, level: PriceLevel): SimLevel {
  let t = level.texts;
  if (t === undefined) t = [rt.priceTexts.text(level.tick), rt.qty.format(level.lots)];
  else if (level.textsLots !== level.lots) t = [t[0], rt.qty.format(level.lots)];
  else return t;
  level.texts = t;
  level.textsLots = level.lots;
  return t;
}

/** The next multiple of `interval` strictly after `now` (funding times align to the epoch like the venues'). */
function nextBoundary(now: number, interval: number): number {
  return (Math.floor(now / interval) + 1) * interval;
}
