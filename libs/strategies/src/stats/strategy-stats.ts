import { D, dec, toNumber, type Decimal, type Fill, type OrderEvent, type PositionMessage, type StrategyStatsMessage, type WantedQuote } from '@perpetua/core';
import { PnlLedger } from './pnl-ledger.js';
import { OldestFirst } from '../runtime/oldest-first.js';

/** Client ids kept to count orders placed and orders with a fill once each. */
const TRACKED_ORDERS = 4096;

export interface StatsIdentity {
  strategy: string;
  venue: string;
  account: string;
  symbol: string;
  kind: string;
  maxPosition: number;
}

/**
 * A strategy's figures since it started, pure and bounded: fed its own order
 * events, fills (with the mid when each came), position messages (funding),
 * the sets it published and the pause time; read once a second.
 */
export class StrategyStats {
  private readonly ledger = new PnlLedger();
  private volumeBase: Decimal = D.ZERO;
  private volumeQuote: Decimal = D.ZERO;
  private fills = 0;
  private placed = 0;
  private filledOrders = 0;
  /** Client id → whether it has a fill; insertion order bounds it. */
  private readonly orders = new Map<string, boolean>();
  private readonly ordersOldestFirst = new OldestFirst<string>(TRACKED_ORDERS);
  private capturedWeighted = 0;
  private capturedSize = 0;
  private requotes = 0;
  private sets = 0;
  private quotedSpreadBps: number | null = null;
  private fundingAtStart: Decimal | undefined;
  private funding: Decimal = D.ZERO;
  private startedAt: number;

  constructor(
    private readonly id: StatsIdentity,
    startedAt: number,
  ) {
    this.startedAt = startedAt;
  }

  /** The position found at start (from the store): PnL counts from here. */
  opening(p: Pick<PositionMessage, 'qty' | 'avgEntry' | 'funding'>): void {
    if (this.fills > 0) return;
    this.ledger.reset(p.qty, p.avgEntry);
    this.fundingAtStart = dec(p.funding);
  }

  orderEvent(e: OrderEvent): void {
    if (e.status !== 'new' && e.status !== 'partially_filled' && e.status !== 'filled') return;
    if (this.orders.has(e.clientOrderId)) return;
    this.placed++;
    this.track(e.clientOrderId, false);
  }

  fill(f: Fill, midAtFill: number | undefined): void {
    this.fills++;
    this.ledger.fill(f.side, f.price, f.qty, f.fee);
    const qty = dec(f.qty);
    this.volumeBase = D.add(this.volumeBase, qty);
    this.volumeQuote = D.add(this.volumeQuote, D.mul(qty, dec(f.price)));
    const had = this.orders.get(f.clientOrderId);
    if (had === undefined) {
      // A fill before its order event: the order was placed too.
      this.placed++;
      this.filledOrders++;
      this.track(f.clientOrderId, true);
    } else if (!had) {
      this.filledOrders++;
      this.orders.set(f.clientOrderId, true);
    }
    if (midAtFill !== undefined && midAtFill > 0) {
      const px = Number(f.price);
      const edge = f.side === 'buy' ? (midAtFill - px) / midAtFill : (px - midAtFill) / midAtFill;
      const size = Number(f.qty);
      this.capturedWeighted += edge * 10_000 * size;
      this.capturedSize += size;
    }
  }

  position(p: Pick<PositionMessage, 'funding'>): void {
    const f = dec(p.funding);
    if (this.fundingAtStart === undefined) this.fundingAtStart = f;
    this.funding = D.sub(f, this.fundingAtStart);
  }

  published(quotes: readonly WantedQuote[], mid: number | undefined): void {
    if (this.sets++ > 0) this.requotes++;
    let bid: number | undefined;
    let ask: number | undefined;
    for (const q of quotes) {
      const p = Number(q.price);
      if (q.side === 'buy') bid = bid === undefined ? p : Math.max(bid, p);
      else ask = ask === undefined ? p : Math.min(ask, p);
    }
    this.quotedSpreadBps = bid !== undefined && ask !== undefined && mid !== undefined && mid > 0 ? ((ask - bid) / mid) * 10_000 : null;
  }

  snapshot(now: number, at: { mid: number | undefined; mark: number | undefined; position: number; paused: boolean; pausedMs: number; model: Record<string, number> }): StrategyStatsMessage {
    const { mid, mark, paused, pausedMs, model } = at;
    const runningSec = Math.max(0, (now - this.startedAt) / 1000);
    const realized = this.ledger.realizedPnl();
    const unrealized = this.ledger.unrealizedPnl(mark ?? mid);
    const fees = this.ledger.fees();
    const rebates = this.ledger.rebatesReceived();
    const total = D.sub(D.add(D.sub(D.add(realized, unrealized), fees), rebates), this.funding);
    const hours = runningSec / 3600;
    const volumeBase = toNumber(this.volumeBase);
    return {
      strategy: this.id.strategy,
      venue: this.id.venue,
      account: this.id.account,
      symbol: this.id.symbol,
      kind: this.id.kind,
      ts: now,
      runningSec,
      position: at.position,
      mid: mid !== undefined && mid > 0 ? mid : null,
      realizedPnl: toNumber(realized),
      unrealizedPnl: toNumber(unrealized),
      fees: toNumber(fees),
      rebates: toNumber(rebates),
      funding: toNumber(this.funding),
      totalPnl: toNumber(total),
      volumeBase,
      volumeQuote: toNumber(this.volumeQuote),
      turnoverPerHour: hours > 0 && this.id.maxPosition > 0 ? volumeBase / this.id.maxPosition / hours : 0,
      fills: this.fills,
      ordersPlaced: this.placed,
      ordersFilled: this.filledOrders,
      fillRate: this.placed > 0 ? Math.min(1, this.filledOrders / this.placed) : 0,
      avgCapturedSpreadBps: this.capturedSize > 0 ? this.capturedWeighted / this.capturedSize : null,
      quotedSpreadBps: this.quotedSpreadBps,
      requotes: this.requotes,
      paused,
      pausedSec: pausedMs / 1000,
      model,
    };
  }

  /** The position the strategy's own books say (opening position + its fills). */
  ledgerPosition(): Decimal {
    return this.ledger.position();
  }

  private track(id: string, filled: boolean): void {
    this.orders.set(id, filled);
    const forgotten = this.ordersOldestFirst.add(id);
    if (forgotten !== undefined) this.orders.delete(forgotten);
  }
}
