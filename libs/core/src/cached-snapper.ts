import { type Decimal, dec, toText } from './decimal.js';
import type { Instrument } from './instrument.js';
import type { Side } from './messages/side.js';
import { snapPrice, trySnapQty } from './snap.js';

/** A price on the tick: its text (what snapPrice returns), its exact value and the number its text parses to. */
export interface SnappedPrice {
  readonly text: string;
  readonly value: Decimal;
  readonly num: number;
}

/** A size on the lot: its text (what trySnapQty returns) and its exact value. */
export interface SnappedQty {
  readonly text: string;
  readonly value: Decimal;
}

/** Entries a cache holds before it starts over: prices wander, so the cache is a window, not a history. */
const CACHE_LIMIT = 4096;
/** A quotient of price and tick this close to a whole number is left to the exact decimal path. */
const NEAR_WHOLE = 1e-6;

/**
 * snapPrice (passive) and trySnapQty for one instrument, with the same results,
 * for code that snaps on every book (a strategy's quote ladder in a backtest):
 * the tick index comes from float division, exact unless the price sits within
 * a hair of a tick (then the decimal path decides), and each tick's text is
 * made once. Sizes repeat, so they are cached by the number asked.
 */
export class CachedSnapper {
  private readonly tick: number;
  private readonly tickDec: Decimal;
  private readonly prices = new Map<number, SnappedPrice>();
  private readonly qtys = new Map<number, SnappedQty | null>();

  constructor(private readonly instrument: Pick<Instrument, 'tickSize' | 'lotSize' | 'minQty'>) {
    this.tick = Number(instrument.tickSize);
    this.tickDec = dec(instrument.tickSize);
  }

  /** snapPrice(instrument, side, raw, 'passive'): buys down, sells up. */
  passivePrice(side: Side, raw: number): SnappedPrice {
    const q = raw / this.tick;
    const whole = Math.round(q);
    let index: number;
    // Below 1 a price's shortest text may run past 18 places (snapPrice refuses it), above 1e15 into an exponent:
    // both are left to the decimal path, as is a quotient within a hair of a tick.
    if (!(raw >= 1 && raw < 1e15) || Math.abs(q - whole) < NEAR_WHOLE || !Number.isSafeInteger(whole) || whole <= 1) {
      const text = snapPrice(this.instrument, side, raw, 'passive');
      index = Number(dec(text) / this.tickDec);
    } else index = side === 'buy' ? Math.floor(q) : Math.ceil(q);
    let p = this.prices.get(index);
    if (p === undefined) {
      const value = (BigInt(index) * this.tickDec) as Decimal;
      const text = toText(value);
      p = { text, value, num: Number(text) };
      if (this.prices.size >= CACHE_LIMIT) this.prices.clear();
      this.prices.set(index, p);
    }
    return p;
  }

  /** trySnapQty(instrument, size): floored to the lot, null below the minimum. */
  qty(size: number): SnappedQty | null {
    let q = this.qtys.get(size);
    if (q === undefined) {
      const text = trySnapQty(this.instrument, size);
      q = text === null ? null : { text, value: dec(text) };
      if (this.qtys.size >= CACHE_LIMIT) this.qtys.clear();
      this.qtys.set(size, q);
    }
    return q;
  }
}
