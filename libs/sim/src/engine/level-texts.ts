import type { SimLevel } from './types.js';
import type { InstrumentRuntime } from './instrument-runtime.js';
import type { BookSide, PriceLevel, RestingOrder } from './order-book.js';

/** The levels at `ticks` (changed, best first) as the diff event carries them: size '0' = removed. */
export function diffLevels<O extends RestingOrder<O>>(rt: InstrumentRuntime, side: BookSide<O>, ticks: readonly number[]): SimLevel[] {
  const out: SimLevel[] = new Array(ticks.length);
  for (let i = 0; i < ticks.length; i++) {
    const t = ticks[i]!;
    const level = side.levels.get(t);
    out[i] = level ? levelTexts(rt, level) : [rt.priceTexts.text(t), '0'];
  }
  return out;
}

/** A level as [price, size] text: the level's cached pair, rebuilt only when its size changed. */
export function levelTexts<O extends RestingOrder<O>>(rt: InstrumentRuntime, level: PriceLevel<O>): SimLevel {
  let t = level.texts;
  if (t === undefined) t = [rt.priceTexts.text(level.tick), rt.qty.format(level.lots)];
  else if (level.textsLots !== level.lots) t = [t[0], rt.qty.format(level.lots)];
  else return t;
  level.texts = t;
  level.textsLots = level.lots;
  return t;
}
