import type { Decimal } from '@perpetua/core';
import type { SimCloseReason, SimFill, SimTrade } from './types.js';
import type { EngineAccount } from './engine-account.js';
import type { EngineOrder } from './engine-order.js';
import type { BookSide } from './order-book.js';
import type { SideCode } from './side-code.js';
import type { EventFanOut } from './event-fan-out.js';
import type { FillBooking } from './fill-booking.js';
import { recordTrade, type SymbolState } from './symbol-state.js';
import type { VenueState } from './venue-state.js';
import { reserve } from './margin.js';
import { reducibleLots } from './positions.js';

/**
 * Price-time-priority matching: an incoming order against the opposite side of its book, with the venue's
 * self-trade prevention and reduce-only limits, and the ways a resting order leaves the book.
 */
export class Matching {
  constructor(
    private readonly state: VenueState,
    private readonly events: EventFanOut,
    private readonly fillBooking: FillBooking,
  ) {}

  /** Matches `order` against the opposite side; returns a close reason when matching must stop early. */
  match(s: SymbolState, order: EngineOrder, opp: BookSide<EngineOrder>, fills: SimFill[]): SimCloseReason | undefined {
    const stp = this.state.config.stpMode;
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
          this.cancel(maker, 'expired', 'stp');
          if (stp === 'expire_both') return 'stp';
          maker = nextMaker;
          continue;
        }
        let q = Math.min(order.remainingLots, maker.remainingLots);
        if (order.reduceOnly) {
          const red = reducibleLots(taker, order.symbol, order.side);
          if (red <= 0) return 'reduce_only';
          q = Math.min(q, red);
        }
        if (maker.reduceOnly) {
          const red = reducibleLots(maker.account, maker.symbol, maker.side);
          if (red <= 0) {
            this.cancel(maker, 'expired', 'reduce_only');
            maker = nextMaker;
            continue;
          }
          q = Math.min(q, red);
        }
        this.execute(s, opp, maker, order, q, fills);
        if (maker.remainingLots === 0) {
          opp.remove(maker);
          this.close(maker, 'filled', undefined);
        } else if (maker.reduceOnly && reducibleLots(maker.account, maker.symbol, maker.side) <= 0) {
          this.cancel(maker, 'expired', 'reduce_only');
        }
        maker = nextMaker;
      }
      if (order.reduceOnly && order.remainingLots > 0 && reducibleLots(taker, order.symbol, order.side) <= 0)
        return 'reduce_only';
    }
    return undefined;
  }

  /**
   * Lots a taker could fill now at `limit` (null = market), honouring self-trade
   * prevention and what reduce-only makers can still reduce (as match() does), so
   * a fill-or-kill order accepted here never ends partly filled.
   */
  fillableLots(opp: BookSide<EngineOrder>, account: EngineAccount<EngineOrder>, side: SideCode, limit: number | null, want: number): number {
    const stp = this.state.config.stpMode;
    // What a reduce-only maker may still trade depends on its account's position as the fills before it leave it
    // (match() reads the position then): every maker fill moves its account toward the makers' side, every fill
    // moves the taker's account away from it (a self-trade does both). House accounts book no position.
    const toward = side === 0 ? -1 : 1;
    const lean = new Map<EngineAccount<EngineOrder>, number>(); // per account: lots, signed toward the makers' side
    const leanOf = (a: EngineAccount<EngineOrder>, symbol: string): number => lean.get(a) ?? toward * (a.positions.get(symbol)?.lots ?? 0);
    let total = 0;
    for (const t of opp.ticks) {
      if (limit !== null && (side === 0 ? t > limit : t < limit)) break;
      for (let o = opp.levels.get(t)!.head; o; o = o.next) {
        if (o.account === account && stp !== 'none') {
          if (stp === 'expire_maker') continue;
          return total;
        }
        let q = o.remainingLots;
        if (o.reduceOnly) q = Math.min(q, Math.max(0, -leanOf(o.account, o.symbol)));
        if (q === 0) continue;
        if (!o.account.house) lean.set(o.account, leanOf(o.account, o.symbol) + q);
        if (!account.house) lean.set(account, leanOf(account, o.symbol) - q);
        total += q;
        if (total >= want) return total;
      }
    }
    return total;
  }

  /** Cancels (or expires) an open order of any account. */
  cancel(order: EngineOrder, status: 'canceled' | 'expired', reason: SimCloseReason): void {
    if (!order.isOpen) return;
    const s = this.state.sym(order.symbol);
    if (order.level) s.book.side(order.side).remove(order);
    reserve(this.state, order, -order.remainingLots);
    this.close(order, status, reason);
    if (!order.account.house) this.events.emitOrder(order, status);
  }

  /** Marks an order closed and moves it from its account's open orders to its history (it is off the book already). */
  close(order: EngineOrder, status: 'filled' | 'canceled' | 'expired', reason: SimCloseReason | undefined): void {
    order.status = status;
    order.closeReason = reason;
    order.updatedAt = this.state.clock();
    const account = order.account;
    account.open.delete(order.id);
    if (account.openByClientId.get(order.clientOrderId) === order) account.openByClientId.delete(order.clientOrderId);
    account.rememberClosed(order);
  }

  /** One trade between a resting maker and the incoming taker at the maker's price. */
  private execute(s: SymbolState, opp: BookSide<EngineOrder>, maker: EngineOrder, taker: EngineOrder, lots: number, fills: SimFill[]): void {
    const { rt, book } = s;
    const tick = maker.tick;
    const now = this.state.clock();
    const notional = rt.notional(tick, lots);
    const tradeId = ++book.tradeSeq;

    opp.reduce(maker, lots);
    reserve(this.state, maker, -lots);
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
    recordTrade(s, trade);
    if (this.events.listening)
      this.events.emit({ type: 'trade', venue: this.state.name, tradeId: trade.tradeId, symbol: trade.symbol, price: priceText, qty: qtyText, side: trade.side, ts: now });

    this.fillBooking.book(maker, s, tick, lots, notional, tradeId, 'maker', priceText, qtyText, now);
    const takerFill = this.fillBooking.book(taker, s, tick, lots, notional, tradeId, 'taker', priceText, qtyText, now);
    if (takerFill) fills.push(takerFill);
  }
}
