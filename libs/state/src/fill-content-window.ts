import type { Fill } from '@perpetua/core';
import { contentVerdict, fillContentKey, FILL_CONTENT_MAX_ENTRIES, FILL_CONTENT_WINDOW_MS, type ContentMark } from './fill-content-dedupe.js';

export interface FillContentWindowOptions {
  /** Marks older (exchange time) than the newest fill's less this go (default FILL_CONTENT_WINDOW_MS). */
  windowMs?: number;
  /** At most this many marks per venue; the first remembered go first (default FILL_CONTENT_MAX_ENTRIES). */
  maxEntries?: number;
}

interface Entry {
  mark: ContentMark;
  ts: number;
}

/**
 * The content marks of fill-content-dedupe.ts in memory, per venue, bounded by age and count: the memory store's
 * and the router's (which answers for fills it published that risk may not have booked yet). Age goes in the order
 * contents were first seen, which is exchange-time order but for a fill adopted late; the count bound holds anyway.
 */
export class FillContentWindow {
  private readonly venues = new Map<string, { entries: Map<string, Entry>; newest: number }>();
  private readonly windowMs: number;
  private readonly maxEntries: number;

  constructor(o: FillContentWindowOptions = {}) {
    this.windowMs = o.windowMs ?? FILL_CONTENT_WINDOW_MS;
    this.maxEntries = o.maxEntries ?? FILL_CONTENT_MAX_ENTRIES;
  }

  /** Whether the fill is a duplicate by content, without remembering anything. */
  isDuplicate(fill: Fill): boolean {
    const key = fillContentKey(fill);
    if (key === undefined) return false;
    return contentVerdict(this.venues.get(fill.venue)?.entries.get(key)?.mark, fill).duplicate;
  }

  /** Applies the rule and remembers the outcome: false when the fill is a duplicate by content. */
  admit(fill: Fill): boolean {
    const key = fillContentKey(fill);
    if (key === undefined) return true;
    let v = this.venues.get(fill.venue);
    if (!v) this.venues.set(fill.venue, (v = { entries: new Map(), newest: fill.tsExchange }));
    const entry = v.entries.get(key);
    const verdict = contentVerdict(entry?.mark, fill);
    if (verdict.next !== undefined) {
      if (entry) entry.mark = verdict.next;
      else v.entries.set(key, { mark: verdict.next, ts: fill.tsExchange });
    }
    v.newest = Math.max(v.newest, fill.tsExchange);
    this.trim(v.entries, v.newest - this.windowMs);
    return !verdict.duplicate;
  }

  /** Marks remembered for a venue (for tests of the bound). */
  size(venue: string): number {
    return this.venues.get(venue)?.entries.size ?? 0;
  }

  private trim(entries: Map<string, Entry>, horizon: number): void {
    for (const [key, e] of entries) {
      if (entries.size <= this.maxEntries && e.ts >= horizon) break;
      entries.delete(key);
    }
  }
}
