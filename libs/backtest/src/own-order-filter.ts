import type { BookLevel, DepthMessage, Side, TradeMessage } from '@perpetua/core';

/** One of our orders as the venue reported it: what of it still rests, and where. */
export interface OwnOrderUpdate {
  orderId: string;
  side: Side;
  price: number;
  /** Size still resting (0 once filled, cancelled or expired). */
  resting: number;
}

/** Our resting size per price, each side, as of one venue book sequence number. */
interface OwnLevels {
  seq: number;
  bids: ReadonlyMap<number, number>;
  asks: ReadonlyMap<number, number>;
}

/** A run longer than this many changes of our resting orders is refused rather than held in memory. */
const MAX_HISTORY = 1_000_000;

/**
 * Takes our own orders back out of a recording made while we quoted the same
 * venue, so a backtest of it sees the market we traded against and not
 * ourselves twice: the recorded book holds our resting orders (the replay
 * would queue behind our own size) and the recorded trades include the ones
 * that filled us (the replay would fill a second time on them).
 *
 * Fed from the venue's own order stream in its order: order updates, then the
 * book sequence number each book change reached (`onBookSeq`), and the trade
 * id of each of our fills. A recorded depth snapshot with sequence `s` then
 * loses our resting size as it stood at `s`; a trade that filled us is dropped.
 * Pure: no I/O, no clock.
 */
export class OwnOrderFilter {
  private readonly resting = new Map<string, { side: Side; price: number; size: number }>();
  private readonly history: OwnLevels[] = [];
  private readonly ownTrades = new Set<string>();
  private changed = false;
  private readonly decimals: number;

  /** Our orders on `symbol` (messages of other symbols pass untouched), sizes in lots of `lotSize`. */
  constructor(
    private readonly symbol: string,
    lotSize: number,
  ) {
    this.decimals = Math.max(0, Math.ceil(-Math.log10(lotSize) - 1e-9));
  }

  onOrder(u: OwnOrderUpdate): void {
    if (u.resting > 0) this.resting.set(u.orderId, { side: u.side, price: u.price, size: u.resting });
    else if (!this.resting.delete(u.orderId)) return;
    this.changed = true;
  }

  /** The venue's book reached `seq` with our orders as last reported. */
  onBookSeq(seq: number): void {
    if (!this.changed) return;
    this.changed = false;
    if (this.history.length >= MAX_HISTORY) throw new Error(`OwnOrderFilter: more than ${MAX_HISTORY} changes of our resting orders; record a shorter run`);
    const bids = new Map<number, number>();
    const asks = new Map<number, number>();
    for (const o of this.resting.values()) {
      const m = o.side === 'buy' ? bids : asks;
      m.set(o.price, (m.get(o.price) ?? 0) + o.size);
    }
    this.history.push({ seq, bids, asks });
  }

  /** A trade in which one of our orders was filled (maker or taker). */
  onOwnTrade(tradeId: string): void {
    this.ownTrades.add(tradeId);
  }

  get ownTradeCount(): number {
    return this.ownTrades.size;
  }

  /** The depth message without our resting size; a level that was only ours goes. Messages without a sequence pass as they are. */
  depth(msg: DepthMessage): DepthMessage {
    if (msg.symbol !== this.symbol || msg.venueSeq === undefined) return msg;
    const own = this.at(msg.venueSeq);
    if (own === undefined || (own.bids.size === 0 && own.asks.size === 0)) return msg;
    const keepDeletes = msg.type === 'delta';
    return { ...msg, bids: this.without(msg.bids, own.bids, keepDeletes), asks: this.without(msg.asks, own.asks, keepDeletes) };
  }

  /** False for a trade that filled one of our orders. */
  keepTrade(msg: TradeMessage): boolean {
    return msg.symbol !== this.symbol || !this.ownTrades.has(msg.tradeId);
  }

  private without(levels: readonly BookLevel[], own: ReadonlyMap<number, number>, keepDeletes: boolean): BookLevel[] {
    const out: BookLevel[] = [];
    for (const [price, size] of levels) {
      const mine = own.get(price);
      if (mine === undefined) {
        out.push([price, size]);
        continue;
      }
      const rest = Number(Math.max(0, size - mine).toFixed(this.decimals));
      if (rest > 0 || keepDeletes) out.push([price, rest]);
    }
    return out;
  }

  /** Our levels as of sequence `seq`: the last change at or before it. */
  private at(seq: number): OwnLevels | undefined {
    let lo = 0;
    let hi = this.history.length - 1;
    let found: OwnLevels | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const h = this.history[mid]!;
      if (h.seq <= seq) {
        found = h;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }
}
