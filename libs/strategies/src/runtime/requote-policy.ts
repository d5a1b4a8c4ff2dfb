import type { WantedQuote } from '@perpetua/core';
import type { HygieneParams } from './hygiene-params.js';
import type { RestingOrder } from './resting-orders.js';

/** Least seconds before a quote the venue cancelled or refused is asked for again. */
const MIN_REASK_SEC = 1;

/** Why a new set is published. */
export type RequoteReason = 'first' | 'structure' | 'size' | 'model' | 'min-spread' | 'drift' | 'gone';

export interface RequoteInput {
  wanted: readonly WantedQuote[];
  /** The last set published, by slot (undefined before the first). */
  published: ReadonlyMap<string, WantedQuote> | undefined;
  /** What the venue confirmed resting, by slot. */
  resting: (slot: string) => RestingOrder | undefined;
  /** How a slot's published order left the venue, if it did. */
  goneAs: (slot: string) => 'filled' | 'closed' | undefined;
  /** The model's verdict on what rests (false: requote now). */
  accepts: boolean;
  now: number;
  lastPublished: number;
  mid: number | undefined;
  hygiene: Pick<HygieneParams, 'order_refresh_time' | 'order_refresh_tolerance_pct' | 'minimum_spread'>;
}

/**
 * Whether the wanted set is worth a new intent, and why. At once: the first
 * set, a change of slots (a side pulled or added, a level capped away), a
 * size change, the model refusing what rests, a resting order inside the
 * minimum spread. After order_refresh_time since the last set: a price moved
 * beyond order_refresh_tolerance_pct of what rests (or, while in flight, of
 * what was asked), or a slot the venue cancelled, refused or expired that is
 * still wanted (at most once a second; one it filled is asked again at once). A price
 * within the tolerance keeps the resting order: null.
 */
export function requoteReason(input: RequoteInput): RequoteReason | null {
  const { wanted, published, hygiene } = input;
  // Nothing asked yet and nothing wanted: nothing to say (an empty first set would only pull what a previous run left).
  if (!published) return wanted.length > 0 ? 'first' : null;
  if (wanted.length !== published.size) return 'structure';
  // Loops rather than some(): this runs on every book of a backtest.
  for (let i = 0; i < wanted.length; i++) if (!published.has(wanted[i]!.slot)) return 'structure';
  let drift = false;
  let gone = false;
  let filled = false;
  let changed = false;
  for (let i = 0; i < wanted.length; i++) {
    const q = wanted[i]!;
    const asked = published.get(q.slot)!;
    if (asked.side !== q.side) return 'structure';
    if (asked.qty !== q.qty) return 'size';
    const rest = input.resting(q.slot);
    if (rest && hygiene.minimum_spread > 0 && input.mid !== undefined && (Math.abs(Number(rest.price) - input.mid) / input.mid) * 10_000 < hygiene.minimum_spread) return 'min-spread';
    const left = input.goneAs(q.slot);
    if (left === 'filled') filled = true;
    else if (left === 'closed') gone = true;
    if (asked.price === q.price) continue;
    changed = true;
    const ref = Number(rest?.price ?? asked.price);
    if ((Math.abs(Number(q.price) - ref) / ref) * 100 > hygiene.order_refresh_tolerance_pct) drift = true;
  }
  if (!input.accepts && changed) return 'model';
  // Filled and still wanted (no cool-down): asked again at once. Closed otherwise (a refusal may repeat): at the refresh time.
  if (filled) return 'gone';
  const since = input.now - input.lastPublished;
  if (drift && since >= hygiene.order_refresh_time * 1000) return 'drift';
  // A venue refusal may repeat (a post-only that would cross): asked again at most once a second, never in a loop.
  if (gone && since >= Math.max(hygiene.order_refresh_time, MIN_REASK_SEC) * 1000) return 'gone';
  return null;
}

/**
 * The times after `now` at which requoteReason's answer could change with
 * time alone (everything else equal): order_refresh_time after the last set,
 * and the re-ask spacing for a slot the venue closed. Before the earliest of
 * them, a set judged null stays null.
 */
export function requoteTimesAfter(now: number, lastPublished: number, hygiene: Pick<HygieneParams, 'order_refresh_time'>): number {
  let next = Number.POSITIVE_INFINITY;
  for (const sec of [hygiene.order_refresh_time, Math.max(hygiene.order_refresh_time, MIN_REASK_SEC)]) {
    const at = lastPublished + sec * 1000;
    if (at > now && at < next) next = at;
  }
  return next;
}
