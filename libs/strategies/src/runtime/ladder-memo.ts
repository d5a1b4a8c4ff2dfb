import type { Decimal, WantedQuote } from '@perpetua/core';
import { quoteLadder, type LadderInput } from './quote-ladder.js';

/**
 * The last quote ladder one strategy instance built, and what it was built
 * from. quoteLadder is a pure function of its input; the objects in it
 * (instrument, hygiene, snapper, slotName) are compared by identity, and what
 * slotName answers changes only when `slotsVersion` does (the caller bumps it
 * whenever it renames a slot). When everything is equal to last time (most books in a backtest leave the mid, and so the
 * model's level 0, where they were), the answer is last time's: the same
 * array, which no caller writes into.
 */
export class LadderMemo {
  private last: WantedQuote[] | undefined;
  private bidPrice = Number.NaN;
  private bidSize = Number.NaN;
  private askPrice = Number.NaN;
  private askSize = Number.NaN;
  private position: Decimal | undefined;
  private maxPosition: Decimal | undefined;
  private fixed: readonly unknown[] = [];
  private mid = Number.NaN;
  private bestBid = Number.NaN;
  private bestAsk = Number.NaN;
  private buyOff = false;
  private sellOff = false;
  private slotsVersion = -1;

  ladder(input: LadderInput, slotsVersion: number): WantedQuote[] {
    const { bid, ask } = input.levelZero;
    const bidPrice = bid ? bid.price : Number.NEGATIVE_INFINITY;
    const bidSize = bid ? bid.size : Number.NEGATIVE_INFINITY;
    const askPrice = ask ? ask.price : Number.NEGATIVE_INFINITY;
    const askSize = ask ? ask.size : Number.NEGATIVE_INFINITY;
    const buyOff = input.sidesOff.has('buy');
    const sellOff = input.sidesOff.has('sell');
    if (
      this.last !== undefined &&
      bidPrice === this.bidPrice &&
      bidSize === this.bidSize &&
      askPrice === this.askPrice &&
      askSize === this.askSize &&
      input.position === this.position &&
      input.maxPosition === this.maxPosition &&
      input.instrument === this.fixed[0] &&
      input.hygiene === this.fixed[1] &&
      input.snapper === this.fixed[2] &&
      input.slotName === this.fixed[3] &&
      input.mid === this.mid &&
      input.bestBid === this.bestBid &&
      input.bestAsk === this.bestAsk &&
      buyOff === this.buyOff &&
      sellOff === this.sellOff &&
      slotsVersion === this.slotsVersion
    ) {
      return this.last;
    }
    this.last = quoteLadder(input);
    this.bidPrice = bidPrice;
    this.bidSize = bidSize;
    this.askPrice = askPrice;
    this.askSize = askSize;
    this.position = input.position;
    this.maxPosition = input.maxPosition;
    this.fixed = [input.instrument, input.hygiene, input.snapper, input.slotName];
    this.mid = input.mid;
    this.bestBid = input.bestBid;
    this.bestAsk = input.bestAsk;
    this.buyOff = buyOff;
    this.sellOff = sellOff;
    this.slotsVersion = slotsVersion;
    return this.last;
  }
}
