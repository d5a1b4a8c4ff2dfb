import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Fill } from '@perpetua/core';
import { contentVerdict, fillContentKey } from '../src/fill-content-dedupe.js';
import { FillContentWindow } from '../src/fill-content-window.js';
import { makeFill } from './fill-generator.js';

/** A trade of ours as the venue's history tells it (venue id) or as an id-less stream tells it (id from content). */
function told(trade: { id: string; content: number }, path: 'stream' | 'history'): Fill {
  const c = trade.content;
  const base = makeFill(
    path === 'history' ? trade.id : `sx-o${c % 3}-${c}`,
    { side: 'buy', ticks: 10_000 + (c % 2), lots: 10, feeUnits: 1 },
    { venueOrderId: `o${c % 3}`, tsExchange: 1_700_000_000_000 + c },
  );
  return path === 'stream' ? { ...base, idFromContent: true } : base;
}

/** What the store does: the fill-id set first, then the content rule (memory-state-store.ts). */
class Booker {
  readonly ids = new Set<string>();
  readonly contents = new FillContentWindow();
  booked: Fill[] = [];
  apply(f: Fill): boolean {
    if (this.ids.has(f.fillId)) return false;
    this.ids.add(f.fillId);
    if (!this.contents.admit(f)) return false;
    this.booked.push(f);
    return true;
  }
}

describe('fill content dedupe (a trade told without the venue id and with it is one fill)', () => {
  const synth = { fillId: 'sx-1', idFromContent: true };
  const venue = (id: string) => ({ fillId: id });

  it('a content-id fill is a duplicate of anything booked with its content', () => {
    expect(contentVerdict(undefined, synth)).toEqual({ duplicate: false, next: 's' });
    expect(contentVerdict('s', synth).duplicate).toBe(true);
    expect(contentVerdict('b', synth).duplicate).toBe(true);
    expect(contentVerdict('c:9', synth).duplicate).toBe(true);
  });

  it('a venue-id fill matches one unmatched content-id fill, and only the id that matched it repeats it', () => {
    expect(contentVerdict('s', venue('9'))).toEqual({ duplicate: true, next: 'c:9' });
    expect(contentVerdict('c:9', venue('9')).duplicate).toBe(true);
    expect(contentVerdict('c:9', venue('10'))).toEqual({ duplicate: false, next: 'c:9' });
  });

  it('two venue-id fills never collide by content', () => {
    expect(contentVerdict(undefined, venue('1'))).toEqual({ duplicate: false, next: 'b' });
    expect(contentVerdict('b', venue('2'))).toEqual({ duplicate: false, next: 'b' });
  });

  it('knows a content by account, symbol, venue order, time, price and size, decimals canonical', () => {
    const f = makeFill('a', { side: 'buy', ticks: 10_000, lots: 10, feeUnits: 0 }, { venueOrderId: 'o1' });
    expect(fillContentKey(f)).toBe(fillContentKey({ ...f, price: `${f.price}00`, qty: `${f.qty}0` }));
    const sideAndFee: Fill = { ...f, side: 'sell', fee: '7' };
    expect(fillContentKey(sideAndFee)).toBe(fillContentKey(f));
    for (const other of [{ account: 'b' }, { symbol: 'ETH-PERP' }, { venueOrderId: 'o2' }, { tsExchange: f.tsExchange + 1 }, { price: '1' }, { qty: '1' }]) {
      expect(fillContentKey({ ...f, ...other })).not.toBe(fillContentKey(f));
    }
    expect(fillContentKey({ ...f, venueOrderId: undefined })).toBeUndefined();
  });

  it('property: whatever the order and repeats of the two paths, each content is booked max(distinct venue ids, stream told it) times', () => {
    fc.assert(
      fc.property(
        // Trades with distinct venue ids and few contents, so distinct trades share content.
        fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 12 }),
        fc.array(fc.record({ trade: fc.nat(), path: fc.constantFrom('stream', 'history'), twice: fc.boolean() }), { maxLength: 40 }),
        (contents, picks) => {
          const trades = contents.map((content, i) => ({ id: `t${i}`, content }));
          const deliveries = picks.flatMap((p) => {
            const f = told(trades[p.trade % trades.length]!, p.path as 'stream' | 'history');
            return p.twice ? [f, f] : [f];
          });
          const b = new Booker();
          for (const f of deliveries) b.apply(f);
          for (const c of new Set(contents)) {
            const ofC = deliveries.filter((f) => f.tsExchange === 1_700_000_000_000 + c);
            const ids = new Set(ofC.filter((f) => !f.idFromContent).map((f) => f.fillId)).size;
            const stream = ofC.some((f) => f.idFromContent) ? 1 : 0;
            const booked = b.booked.filter((f) => f.tsExchange === 1_700_000_000_000 + c).length;
            expect(booked).toBe(Math.max(ids, stream));
            // Never more than the trades there were: no trade booked twice.
            expect(booked).toBeLessThanOrEqual(trades.filter((t) => t.content === c).length);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('property: when the history tells every trade, every trade is booked once, whatever the stream told and when', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 10 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        fc.integer(),
        (contents, streamPicks, seed) => {
          const trades = contents.map((content, i) => ({ id: `t${i}`, content }));
          const deliveries = [...trades.map((t) => told(t, 'history')), ...streamPicks.map((p) => told(trades[p % trades.length]!, 'stream'))];
          // A seeded shuffle: the stream may come before, between or after the history's copies.
          let s = seed;
          for (let i = deliveries.length - 1; i > 0; i--) {
            s = (s * 1103515245 + 12345) & 0x7fffffff;
            const j = s % (i + 1);
            [deliveries[i], deliveries[j]] = [deliveries[j]!, deliveries[i]!];
          }
          const b = new Booker();
          for (const f of deliveries) b.apply(f);
          expect(b.booked.length).toBe(trades.length);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('the window is bounded by count and by age (exchange time), per venue', () => {
    const w = new FillContentWindow({ windowMs: 1_000, maxEntries: 50 });
    for (let i = 0; i < 200; i++) w.admit(told({ id: `t${i}`, content: i }, 'history'));
    expect(w.size('sim')).toBe(50);
    // A fill far later: every earlier mark is out of the window.
    w.admit(told({ id: 'late', content: 10_000 }, 'history'));
    expect(w.size('sim')).toBe(1);
    // Forgotten: the stream's copy of an old trade is no longer known (the store keeps a day, FILL_CONTENT_WINDOW_MS).
    expect(w.isDuplicate(told({ id: 't199', content: 199 }, 'stream'))).toBe(false);
    expect(w.isDuplicate(told({ id: 'x', content: 10_000 }, 'stream'))).toBe(true);
  });
});
