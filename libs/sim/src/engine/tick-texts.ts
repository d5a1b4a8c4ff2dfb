import type { StepScale } from './step-scale.js';

/** Entries kept before the cache starts over (prices wander; a few thousand ticks cover a long stretch of them). */
const LIMIT = 4_096;

/**
 * Price texts by tick. The same ticks come back all the time (levels are re-quoted, emptied and refilled around a
 * moving mid, and a removed level's diff needs the text again), so each is formatted once rather than on every use.
 * Bounded: when full it is simply emptied, which costs a few re-formats and keeps memory flat.
 */
export class TickTexts {
  private readonly texts = new Map<number, string>();

  constructor(private readonly scale: StepScale) {}

  text(tick: number): string {
    let t = this.texts.get(tick);
    if (t === undefined) {
      if (this.texts.size >= LIMIT) this.texts.clear();
      t = this.scale.format(tick);
      this.texts.set(tick, t);
    }
    return t;
  }
}
