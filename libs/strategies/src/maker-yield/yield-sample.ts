import type { RestingQuote } from '../model/pricing-model.js';
import { distanceWeight, type MakerYieldRuleSet, type YieldAllowance } from './rule-set.js';

/** What one second counts for, given the mark and the orders resting then. */
export interface YieldSample {
  up: boolean;
  /** min(bid, ask) in-band size, capped per side; 0 when not two-sided. */
  counted: number;
  /** The same with each order's size weighted by its distance (closest orders fill the cap first). */
  weighted: number;
  bidDistanceBps: number | null;
  askDistanceBps: number | null;
}

const DOWN: YieldSample = { up: false, counted: 0, weighted: 0, bidDistanceBps: null, askDistanceBps: null };

interface SideCount {
  size: number;
  weighted: number;
  nearest: number | null;
}

function countSide(rules: MakerYieldRuleSet, cap: number, mark: number, orders: readonly RestingQuote[]): SideCount {
  const inBand = orders
    .map((o) => ({ qty: o.qty, bps: (Math.abs(o.price - mark) / mark) * 10_000 }))
    // A hair of tolerance so an order exactly on the band edge is not lost to float rounding.
    .filter((o) => o.qty > 0 && o.bps <= rules.bandBps + 1e-9)
    .sort((a, b) => a.bps - b.bps);
  let left = cap;
  let size = 0;
  let weighted = 0;
  for (const o of inBand) {
    if (left <= 0) break;
    const take = Math.min(o.qty, left);
    left -= take;
    size += take;
    weighted += take * distanceWeight(rules, o.bps);
  }
  return { size, weighted, nearest: inBand[0]?.bps ?? null };
}

/** One second's sample under `rules`: two-sided in band, and how much counts. */
export function yieldSample(rules: MakerYieldRuleSet, allowance: YieldAllowance, mark: number | undefined, orders: readonly RestingQuote[]): YieldSample {
  if (mark === undefined || !(mark > 0)) return DOWN;
  const bid = countSide(rules, allowance.cap, mark, orders.filter((o) => o.side === 'buy'));
  const ask = countSide(rules, allowance.cap, mark, orders.filter((o) => o.side === 'sell'));
  const up = bid.size > 0 && ask.size > 0;
  return {
    up,
    counted: up ? Math.min(bid.size, ask.size) : 0,
    weighted: up ? Math.min(bid.weighted, ask.weighted) : 0,
    bidDistanceBps: bid.nearest,
    askDistanceBps: ask.nearest,
  };
}
