import type {
  SimAmendRequest,
  SimAmendResult,
  SimCancelResult,
  SimCloseReason,
  SimFill,
  SimOrder,
  SimOrderRef,
  SimOrderRequest,
  SimOrderType,
  SimPlaceResult,
  SimRejection,
  SimRejectReason,
  SimTimeInForce,
} from './types.js';
import type { EngineAccount } from './engine-account.js';
import { EngineOrder } from './engine-order.js';
import type { SideCode } from './side-code.js';
import type { EventFanOut } from './event-fan-out.js';
import type { Matching } from './matching.js';
import type { VenueState } from './venue-state.js';
import { extraOrderMargin, freeMargin, reserve } from './margin.js';
import { snapshotOrder } from './order-snapshot.js';
import { positionOf } from './positions.js';
import { reject } from './rejection.js';

/** What `submit` returns: the engine's own order object, for callers inside the simulator. */
export type SubmitResult = { ok: true; order: EngineOrder; fills: SimFill[] } | SimRejection;

/** The fills of every house order (house accounts book no fills, so nothing is ever pushed here): one array for all. */
const NO_FILLS: SimFill[] = [];

/**
 * Order entry: requests checked against the instrument, the account and its margin, then placed, amended or
 * canceled through the matching. Façade orders come in decimal text through placeOrder; background orders come in
 * engine units straight to submit.
 */
export class OrderEntry {
  constructor(
    private readonly state: VenueState,
    private readonly events: EventFanOut,
    private readonly matching: Matching,
  ) {}

  placeOrder(req: SimOrderRequest): SimPlaceResult {
    const s = this.state.symbols.get(req.symbol);
    if (!s) return reject('unknown_symbol', `unknown symbol ${String(req.symbol)}`);
    const account = this.state.accounts.get(req.accountId);
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
    return { ok: true, order: snapshotOrder(this.state, res.order), fills: res.fills };
  }

  cancelOrder(accountId: string, symbol: string, ref: SimOrderRef): SimCancelResult {
    const account = this.state.accounts.get(accountId);
    if (!account) return reject('unknown_account', `unknown account ${String(accountId)}`);
    if (!this.state.symbols.has(symbol)) return reject('unknown_symbol', `unknown symbol ${String(symbol)}`);
    const order = account.findOpen(symbol, ref);
    if (!order) return reject('order_not_found', 'no such open order');
    this.matching.cancel(order, 'canceled', 'user');
    this.events.flushIfIdle();
    return { ok: true, order: snapshotOrder(this.state, order) };
  }

  amendOrder(accountId: string, symbol: string, ref: SimOrderRef, change: SimAmendRequest): SimAmendResult {
    const account = this.state.accounts.get(accountId);
    if (!account) return reject('unknown_account', `unknown account ${String(accountId)}`);
    const s = this.state.symbols.get(symbol);
    if (!s) return reject('unknown_symbol', `unknown symbol ${String(symbol)}`);
    const order = account.findOpen(symbol, ref);
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
      if (this.state.config.amendFailureCancels === true) {
        this.matching.cancel(order, 'canceled', 'amend_failed');
        this.events.flushIfIdle();
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
    const keepsPriority = this.state.config.amendKeepsPriorityOnQtyDecrease === true && tick === order.tick && lots < order.lots;

    // Margin: release the order's own reservation, check what the amended order needs, restore on refusal.
    reserve(this.state, order, -oldRemaining);
    if (!account.house && !order.reduceOnly) {
      const extra = extraOrderMargin(positionOf(this.state, account, symbol), rt, order.side, tick, newRemaining);
      if (extra > 0n && extra > freeMargin(this.state, account)) {
        reserve(this.state, order, oldRemaining);
        return reject('insufficient_margin', 'insufficient margin for the amended order');
      }
    }

    const fills: SimFill[] = [];
    order.updatedAt = this.state.clock();
    if (keepsPriority) {
      side.reduce(order, oldRemaining - newRemaining);
      order.lots = lots;
      reserve(this.state, order, newRemaining);
      if (!account.house) this.events.emitOrder(order, 'amended');
    } else {
      // Out of its queue and back in at the tail of the (new) price: it loses time priority.
      side.remove(order);
      order.tick = tick;
      order.origTick = tick;
      order.lots = lots;
      if (!account.house) this.events.emitOrder(order, 'amended');
      // A non-post-only order amended through the book trades at once, as a taker, like a new order would.
      const closeReason = crosses ? this.matching.match(s, order, opp, fills) : undefined;
      if (order.remainingLots === 0) {
        this.matching.close(order, 'filled', undefined);
      } else if (closeReason !== undefined) {
        this.matching.close(order, 'expired', closeReason);
        if (!account.house) this.events.emitOrder(order, 'expired');
      } else {
        side.add(order);
        reserve(this.state, order, order.remainingLots);
      }
    }
    this.events.flushIfIdle();
    return { ok: true, order: snapshotOrder(this.state, order), fills };
  }

  cancelAll(accountId: string, symbol?: string): SimOrder[] {
    const account = this.state.accounts.get(accountId);
    if (!account) return [];
    const victims = [...account.open.values()].filter((o) => symbol === undefined || o.symbol === symbol);
    for (const o of victims) this.matching.cancel(o, 'canceled', 'cancel_all');
    this.events.flushIfIdle();
    return victims.map((o) => snapshotOrder(this.state, o));
  }

  /**
   * Validated order entry in engine units: the one matching path every order takes (façade orders come through
   * placeOrder, background orders straight here). `tick` is null for market orders.
   */
  submit(
    account: EngineAccount<EngineOrder>,
    symbol: string,
    side: SideCode,
    type: SimOrderType,
    tif: SimTimeInForce,
    tick: number | null,
    lots: number,
    reduceOnly: boolean,
    clientOrderId?: string,
  ): SubmitResult {
    const s = this.state.sym(symbol);
    if (s.halted) return reject('symbol_halted', `${symbol} is halted`);
    const book = s.book;
    const opp = book.side(side === 0 ? 1 : 0);
    const oppBest = opp.bestTick;
    const effectiveTif: SimTimeInForce = type === 'market' && tif !== 'fok' ? 'ioc' : tif;

    let price = tick;
    if (tif === 'post_only' && price !== null && oppBest !== undefined && (side === 0 ? price >= oppBest : price <= oppBest)) {
      if (this.state.config.postOnlyMode === 'reject')
        return reject('post_only_would_cross', 'post-only order would cross the book and was rejected');
      price = side === 0 ? oppBest - 1 : oppBest + 1;
      if (price <= 0) return reject('post_only_would_cross', 'post-only order cannot be repriced to a positive price');
    }
    if (type === 'market' && oppBest === undefined) return reject('no_liquidity', 'no liquidity on the other side of the book');

    const pos = account.house ? undefined : positionOf(this.state, account, symbol);
    if (reduceOnly) {
      const posLots = account.house ? 0 : pos!.lots;
      if (side === 0 ? posLots >= 0 : posLots <= 0)
        return reject('reduce_only_violation', 'reduce-only order would not reduce the position');
    }
    if (effectiveTif === 'fok') {
      let need = lots;
      if (reduceOnly) need = Math.min(need, Math.abs(pos!.lots));
      if (need < lots || this.matching.fillableLots(opp, account, side, price, lots) < lots)
        return reject('fok_not_fillable', 'fill-or-kill order cannot be filled in full');
    }
    if (!account.house && !reduceOnly) {
      const refTick = price ?? oppBest ?? s.rt.price.fromNumber(s.mark.markNumber);
      const extra = extraOrderMargin(pos!, s.rt, side, refTick, lots);
      if (extra > 0n && extra > freeMargin(this.state, account))
        return reject('insufficient_margin', 'insufficient margin for this order');
    }

    const now = this.state.clock();
    const id = ++this.state.orderSeq;
    const coid = clientOrderId ?? `sim-${id}`;
    const order = new EngineOrder(id, coid, account, symbol, side, type, effectiveTif, price ?? 0, tick ?? 0, lots, reduceOnly, now);
    account.open.set(id, order);
    // House orders are never looked up by client id (nothing outside the simulator trades on a house account).
    if (!account.house) {
      account.openByClientId.set(coid, order);
      this.events.emitOrder(order, 'new');
    }

    const fills: SimFill[] = account.house ? NO_FILLS : [];
    const closeReason = this.matching.match(s, order, opp, fills);

    if (order.remainingLots === 0) {
      this.matching.close(order, 'filled', undefined);
    } else if (closeReason !== undefined) {
      this.matching.close(order, 'expired', closeReason);
      if (!account.house) this.events.emitOrder(order, 'expired');
    } else if (effectiveTif === 'ioc' || effectiveTif === 'fok') {
      const reason: SimCloseReason = type === 'market' ? 'market_remainder' : 'ioc_remainder';
      this.matching.close(order, 'expired', reason);
      if (!account.house) this.events.emitOrder(order, 'expired');
    } else {
      book.side(side).add(order);
      reserve(this.state, order, order.remainingLots);
    }
    this.events.flushIfIdle();
    return { ok: true, order, fills };
  }
}
