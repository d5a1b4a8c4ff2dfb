import { D, dec, toText, type Fill, type Instrument, type OrderEvent, type OrderStatus, type Decimal } from '@perpetua/core';
import type { PlaceResult, TradingAdapter, TradingHandlers, VenueOrder, VenueOrderRequest, VenuePosition } from '../venue-adapter.js';
import { fillsFromTouch, fillsFromTrade, wouldCross, type PaperFillDraft, type RestingPaperOrder } from './paper-matching.js';

interface PaperOrderState extends RestingPaperOrder {
  fills: number;
  status: OrderStatus;
}

/**
 * Trading half of the paper venue: simulated fills against live market data.
 * The router feeds it the books and trades it sees on the bus, so paper and
 * live run the same code path; only this adapter differs.
 */
export class PaperTradingVenue implements TradingAdapter {
  private handlers: TradingHandlers | undefined;
  private readonly open = new Map<string, PaperOrderState>();
  private readonly touch = new Map<string, { bid?: number; ask?: number }>();
  private readonly position = new Map<string, { qty: Decimal; cost: Decimal }>();

  constructor(
    readonly venue: string,
    readonly account: string,
    private readonly instrumentList: Instrument[],
  ) {}

  async instruments(): Promise<Instrument[]> {
    return this.instrumentList;
  }

  async start(handlers: TradingHandlers): Promise<void> {
    this.handlers = handlers;
  }

  /** Feeds the current touch for a symbol; resting orders it crosses fill. */
  onBook(symbol: string, bestBid: number | undefined, bestAsk: number | undefined): void {
    this.touch.set(symbol, { bid: bestBid, ask: bestAsk });
    this.applyFills(symbol, fillsFromTouch(this.restingFor(symbol), bestBid, bestAsk), 'maker');
  }

  /** Feeds a public trade; resting orders it trades through fill. */
  onTrade(symbol: string, price: number, size: number): void {
    this.applyFills(symbol, fillsFromTrade(this.restingFor(symbol), { price, size }), 'maker');
  }

  async placeOrder(req: VenueOrderRequest): Promise<PlaceResult> {
    const inst = this.instrumentList.find((i) => i.symbol === req.symbol);
    if (!inst) return { status: 'rejected', reason: `unknown symbol ${req.symbol}` };
    if (this.open.has(req.clientOrderId)) return { status: 'rejected', reason: 'duplicate client order id' };
    const touch = this.touch.get(req.symbol) ?? {};
    const qty = dec(req.qty);
    const order: PaperOrderState = {
      clientOrderId: req.clientOrderId,
      symbol: req.symbol,
      side: req.side,
      price: req.price !== undefined ? dec(req.price) : (0n as Decimal),
      qty,
      filled: 0n as Decimal,
      fills: 0,
      status: 'new',
    };
    const marketable = req.type === 'market' || wouldCross(req.side, order.price, touch.bid, touch.ask);
    if (marketable && req.tif === 'post_only') {
      this.emitOrder(order, 'rejected', 'post-only order would cross');
      return { status: 'rejected', reason: 'post-only order would cross' };
    }
    if (marketable) {
      const px = req.side === 'buy' ? touch.ask : touch.bid;
      if (px === undefined) {
        this.emitOrder(order, 'rejected', 'no market to trade against');
        return { status: 'rejected', reason: 'no market to trade against' };
      }
      this.open.set(order.clientOrderId, order);
      this.emitOrder(order, 'new');
      this.applyFills(req.symbol, [{ clientOrderId: order.clientOrderId, price: dec(px), qty }], 'taker');
      return { status: 'accepted', orderStatus: 'filled' };
    }
    if (req.tif === 'ioc' || req.tif === 'fok') {
      this.emitOrder(order, 'expired', 'not marketable');
      return { status: 'accepted', orderStatus: 'expired' };
    }
    this.open.set(order.clientOrderId, order);
    this.emitOrder(order, 'new');
    return { status: 'accepted', orderStatus: 'new' };
  }

  async cancelOrder(_symbol: string, clientOrderId: string): Promise<boolean> {
    const o = this.open.get(clientOrderId);
    if (!o) return false;
    this.open.delete(clientOrderId);
    this.emitOrder(o, 'canceled');
    return true;
  }

  async cancelAll(symbol?: string): Promise<number> {
    let n = 0;
    for (const o of [...this.open.values()]) {
      if (symbol && o.symbol !== symbol) continue;
      if (await this.cancelOrder(o.symbol, o.clientOrderId)) n++;
    }
    return n;
  }

  async openOrders(symbol?: string): Promise<VenueOrder[]> {
    return [...this.open.values()].filter((o) => !symbol || o.symbol === symbol).map((o) => this.view(o));
  }

  async queryOrder(_symbol: string, clientOrderId: string): Promise<VenueOrder | undefined> {
    const o = this.open.get(clientOrderId);
    return o ? this.view(o) : undefined;
  }

  async positions(): Promise<VenuePosition[]> {
    return [...this.position.entries()].map(([symbol, p]) => ({
      symbol,
      qty: toText(p.qty),
      avgEntry: p.qty === 0n ? '0' : toText(D.abs(D.div(p.cost, p.qty))),
    }));
  }

  async close(): Promise<void> {
    this.open.clear();
  }

  private restingFor(symbol: string): PaperOrderState[] {
    const out: PaperOrderState[] = [];
    for (const o of this.open.values()) if (o.symbol === symbol) out.push(o);
    return out;
  }

  private applyFills(symbol: string, drafts: PaperFillDraft[], liquidity: 'maker' | 'taker'): void {
    const inst = this.instrumentList.find((i) => i.symbol === symbol);
    if (!inst) return;
    const now = Date.now();
    for (const d of drafts) {
      const o = this.open.get(d.clientOrderId);
      if (!o) continue;
      o.filled = D.add(o.filled, d.qty);
      o.fills++;
      const feeRate = dec(liquidity === 'maker' ? inst.makerFee : inst.takerFee);
      const fee = D.mul(D.mul(d.price, d.qty), feeRate);
      const pos = this.position.get(symbol) ?? { qty: 0n as Decimal, cost: 0n as Decimal };
      const signed = o.side === 'buy' ? d.qty : D.neg(d.qty);
      this.position.set(symbol, { qty: D.add(pos.qty, signed), cost: D.add(pos.cost, D.mul(signed, d.price)) });
      const done = o.filled >= o.qty;
      if (done) this.open.delete(o.clientOrderId);
      const fill: Fill = {
        fillId: `${o.clientOrderId}-${o.fills}`,
        venue: this.venue,
        account: this.account,
        symbol,
        clientOrderId: o.clientOrderId,
        side: o.side,
        price: toText(d.price),
        qty: toText(d.qty),
        fee: toText(fee),
        liquidity,
        tsExchange: now,
        tsReceived: now,
      };
      this.handlers?.onFill(fill);
      this.emitOrder(o, done ? 'filled' : 'partially_filled');
    }
  }

  private view(o: PaperOrderState): VenueOrder {
    return { clientOrderId: o.clientOrderId, symbol: o.symbol, side: o.side, price: toText(o.price), qty: toText(o.qty), filledQty: toText(o.filled), status: o.status };
  }

  private emitOrder(o: PaperOrderState, status: OrderStatus, reason?: string): void {
    o.status = status;
    const event: OrderEvent = {
      venue: this.venue,
      account: this.account,
      symbol: o.symbol,
      clientOrderId: o.clientOrderId,
      side: o.side,
      price: o.price > 0n ? toText(o.price) : undefined,
      qty: toText(o.qty),
      filledQty: toText(o.filled),
      status,
      reason,
      ts: Date.now(),
    };
    this.handlers?.onOrderEvent(event);
  }
}
