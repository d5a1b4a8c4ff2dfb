import { D, dec, toText, type BookLevel, type Decimal, type Fill, type FundingPayment, type Instrument, type OrderEvent, type OrderStatus, type Side } from '@perpetua/core';
import { feeTierOf, FillSimulator, powerProbability, probabilisticQueue, zeroLatency, type FeeTier, type LatencyModel, type QueueModel, type SimEvent } from '@perpetua/fills';
import type { PlaceResult, TradingAdapter, TradingHandlers, VenueOrder, VenueOrderRequest, VenuePosition } from '../venue-adapter.js';

export interface PaperTradingOptions {
  /** Where our order stands in its level's queue (default: probabilistic, power 2). */
  queue?: QueueModel;
  /** Entry and cancel latency: a request reaches the simulated venue this late (default: none). */
  latency?: LatencyModel;
  /** Fee tier per symbol (default: the rates the venue reported for the instrument). */
  fees?: Readonly<Record<string, FeeTier>>;
  /** The clock market data and requests are stamped with. */
  now?: () => number;
}

/** The default queue model: cancels split by the square of the sizes ahead and behind (hftbacktest's common choice). */
export const defaultPaperQueue: QueueModel = probabilisticQueue(powerProbability(2), 'power-2');

interface PaperOrderState {
  clientOrderId: string;
  symbol: string;
  side: Side;
  price: Decimal | undefined;
  qty: Decimal;
  filled: Decimal;
  fills: number;
  status: OrderStatus;
  reason?: string;
}

const FINAL: ReadonlySet<OrderStatus> = new Set(['filled', 'canceled', 'rejected', 'expired']);

/**
 * Trading half of the paper venue: simulated fills against live market data,
 * through the same fill model as the backtest (libs/fills): our order joins the
 * queue behind the size at its price, moves up on trades and cancels as the
 * queue model says, and fills when trades reach it or the market crosses it.
 * The router feeds it the books and trades it sees on the bus, so paper and
 * live run the same code path; only this adapter differs.
 */
export class PaperTradingVenue implements TradingAdapter {
  private handlers: TradingHandlers | undefined;
  private readonly sims = new Map<string, FillSimulator>();
  /** Orders known to the venue or in flight to it; an order leaves once final. Bounded by each simulator's limits. */
  private readonly orders = new Map<string, PaperOrderState>();
  private readonly touch = new Map<string, { bid?: number; ask?: number }>();
  private readonly position = new Map<string, { qty: Decimal; cost: Decimal }>();
  /** Place calls still running: their order's entry stays until the call has read the outcome. */
  private readonly placing = new Set<string>();
  private readonly now: () => number;

  constructor(
    readonly venue: string,
    readonly account: string,
    private readonly instrumentList: Instrument[],
    options: PaperTradingOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    const queue = options.queue ?? defaultPaperQueue;
    for (const inst of instrumentList) {
      this.sims.set(
        inst.symbol,
        new FillSimulator({
          lotSize: dec(inst.lotSize),
          queue,
          fees: options.fees?.[inst.symbol] ?? feeTierOf(inst),
          latency: options.latency ?? zeroLatency,
          maxOpenOrders: 200,
          onEvent: (e) => this.onSimEvent(inst.symbol, e),
        }),
      );
    }
  }

  async instruments(): Promise<Instrument[]> {
    return this.instrumentList;
  }

  async start(handlers: TradingHandlers): Promise<void> {
    this.handlers = handlers;
  }

  /** Feeds the venue's book for a symbol (levels best first): queues move, and resting orders it crosses fill. */
  onBook(symbol: string, bids: readonly BookLevel[], asks: readonly BookLevel[]): void {
    this.touch.set(symbol, { bid: bids[0]?.[0], ask: asks[0]?.[0] });
    this.sims.get(symbol)?.onBook(bids, asks, this.now());
  }

  /** Feeds a public trade (side is the aggressor's): it advances the queue at its price and fills what it reaches. */
  onTrade(symbol: string, price: number, size: number, side: Side): void {
    this.sims.get(symbol)?.onTrade(price, size, side, this.now());
  }

  /** Resting order's estimated queue position (size ahead of it), for tests and diagnostics. */
  queueAhead(clientOrderId: string): number | undefined {
    const o = this.orders.get(clientOrderId);
    return o ? this.sims.get(o.symbol)?.orderState(clientOrderId)?.ahead : undefined;
  }

  async placeOrder(req: VenueOrderRequest): Promise<PlaceResult> {
    const sim = this.sims.get(req.symbol);
    const inst = this.instrumentList.find((i) => i.symbol === req.symbol);
    if (!sim || !inst) return { status: 'rejected', reason: `unknown symbol ${req.symbol}` };
    if (this.orders.has(req.clientOrderId)) return { status: 'rejected', reason: 'duplicate client order id' };
    const touch = this.touch.get(req.symbol) ?? {};
    const qty = dec(req.qty);
    const state: PaperOrderState = { clientOrderId: req.clientOrderId, symbol: req.symbol, side: req.side, price: req.price !== undefined ? dec(req.price) : undefined, qty, filled: D.ZERO, fills: 0, status: 'new' };
    let limit = state.price;
    if (req.type === 'market') {
      // A market order is an IOC limit at a price nothing can be beyond: it takes the visible book.
      const px = req.side === 'buy' ? touch.ask : touch.bid;
      if (px === undefined) {
        this.emitOrder(state, 'rejected', 'no market to trade against');
        return { status: 'rejected', reason: 'no market to trade against' };
      }
      limit = req.side === 'buy' ? D.mul(dec(px), dec(2)) : dec(inst.tickSize);
    }
    if (limit === undefined) return { status: 'rejected', reason: 'a limit order needs a price' };
    this.orders.set(req.clientOrderId, state);
    sim.submit({ clientOrderId: req.clientOrderId, side: req.side, price: limit, qty, tif: req.type === 'market' ? 'ioc' : req.tif }, this.now());
    this.placing.add(req.clientOrderId);
    try {
      await this.untilArrived(sim, req.clientOrderId);
    } finally {
      this.placing.delete(req.clientOrderId);
    }
    if (FINAL.has(state.status)) this.orders.delete(req.clientOrderId);
    if (state.status === 'rejected') return { status: 'rejected', reason: state.reason ?? 'rejected' };
    return { status: 'accepted', orderStatus: state.status };
  }

  async cancelOrder(symbol: string, clientOrderId: string): Promise<boolean> {
    const o = this.orders.get(clientOrderId);
    const sim = this.sims.get(symbol);
    if (!o || !sim || FINAL.has(o.status)) return false;
    sim.cancel(clientOrderId, this.now());
    await this.untilArrived(sim, clientOrderId);
    return o.status === 'canceled';
  }

  async cancelAll(symbol?: string): Promise<number> {
    let n = 0;
    for (const o of [...this.orders.values()]) {
      if (symbol && o.symbol !== symbol) continue;
      if (await this.cancelOrder(o.symbol, o.clientOrderId)) n++;
    }
    return n;
  }

  async openOrders(symbol?: string): Promise<VenueOrder[]> {
    return [...this.orders.values()].filter((o) => !FINAL.has(o.status) && (!symbol || o.symbol === symbol)).map((o) => this.view(o));
  }

  async queryOrder(_symbol: string, clientOrderId: string): Promise<VenueOrder | undefined> {
    const o = this.orders.get(clientOrderId);
    return o ? this.view(o) : undefined;
  }

  /** The paper venue charges no funding. */
  async fundingPayments(_sinceMs: number, _symbols?: string[]): Promise<FundingPayment[]> {
    return [];
  }

  async positions(): Promise<VenuePosition[]> {
    return [...this.position.entries()].map(([symbol, p]) => ({
      symbol,
      qty: toText(p.qty),
      avgEntry: p.qty === 0n ? '0' : toText(D.abs(D.div(p.cost, p.qty))),
    }));
  }

  async close(): Promise<void> {
    this.orders.clear();
  }

  /** Lets the venue process the request, first waiting out its latency (a real timer: paper trading runs in wall time). */
  private async untilArrived(sim: FillSimulator, clientOrderId: string): Promise<void> {
    sim.advance(this.now());
    while (sim.isInFlight(clientOrderId)) {
      const at = sim.nextArrival() ?? this.now();
      await new Promise((r) => setTimeout(r, Math.max(1, Math.ceil(at - this.now()))));
      sim.advance(this.now());
    }
  }

  private onSimEvent(symbol: string, e: SimEvent): void {
    const o = this.orders.get(e.clientOrderId);
    if (!o) return;
    switch (e.kind) {
      case 'accepted':
        this.emitOrder(o, 'new');
        break;
      case 'rejected':
        this.emitOrder(o, 'rejected', e.reason);
        break;
      case 'expired':
        this.emitOrder(o, 'expired', e.reason);
        break;
      case 'canceled':
        this.emitOrder(o, 'canceled');
        break;
      case 'cancel_rejected':
        break;
      case 'fill':
        this.applyFill(symbol, o, e);
        break;
    }
    // A final order leaves, unless its place call is still to read the outcome.
    if (FINAL.has(o.status) && !this.placing.has(o.clientOrderId)) this.orders.delete(o.clientOrderId);
  }

  private applyFill(symbol: string, o: PaperOrderState, e: Extract<SimEvent, { kind: 'fill' }>): void {
    o.filled = e.filled;
    o.fills++;
    const pos = this.position.get(symbol) ?? { qty: D.ZERO, cost: D.ZERO };
    const signed = o.side === 'buy' ? e.qty : D.neg(e.qty);
    this.position.set(symbol, { qty: D.add(pos.qty, signed), cost: D.add(pos.cost, D.mul(signed, e.price)) });
    const ts = this.now();
    const fill: Fill = {
      fillId: `${o.clientOrderId}-${o.fills}`,
      venue: this.venue,
      account: this.account,
      symbol,
      clientOrderId: o.clientOrderId,
      side: o.side,
      price: toText(e.price),
      qty: toText(e.qty),
      fee: toText(e.fee),
      liquidity: e.liquidity,
      tsExchange: ts,
      tsReceived: ts,
    };
    this.handlers?.onFill(fill);
    this.emitOrder(o, e.done ? 'filled' : 'partially_filled');
  }

  private view(o: PaperOrderState): VenueOrder {
    return { clientOrderId: o.clientOrderId, symbol: o.symbol, side: o.side, price: o.price !== undefined ? toText(o.price) : undefined, qty: toText(o.qty), filledQty: toText(o.filled), status: o.status };
  }

  private emitOrder(o: PaperOrderState, status: OrderStatus, reason?: string): void {
    o.status = status;
    o.reason = reason;
    const event: OrderEvent = {
      venue: this.venue,
      account: this.account,
      symbol: o.symbol,
      clientOrderId: o.clientOrderId,
      side: o.side,
      price: o.price !== undefined ? toText(o.price) : undefined,
      qty: toText(o.qty),
      filledQty: toText(o.filled),
      status,
      reason,
      ts: this.now(),
    };
    this.handlers?.onOrderEvent(event);
  }
}
