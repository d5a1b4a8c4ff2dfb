import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GrvtBookSequences, type BookDeltaVerdict } from '../../src/grvt/grvt-book-sequence.js';

/**
 * GRVT does not say whether a book.d sequence number counts per instrument (feed) or per stream: the adapter's
 * sequence rules must accept an unbroken feed under either, and find a lost message.
 */
const NAMES = ['A', 'B', 'C'];

interface Msg {
  name: string;
  seq: number;
  prev: number;
}

/** The deltas a venue counting `counting` sends for `order` (instrument indexes), counters starting at `offsets`. */
function feed(order: number[], counting: 'per_instrument' | 'per_stream', offsets: number[]): { msgs: Msg[]; first: Map<string, number> } {
  const counters = new Map(NAMES.map((n, i) => [n, offsets[i]!]));
  let stream = offsets[0]!;
  const first = new Map(NAMES.map((n) => [n, (counting === 'per_stream' ? stream : counters.get(n)!) + 1]));
  const msgs = order.map((i) => {
    const name = NAMES[i]!;
    if (counting === 'per_stream') return { name, seq: ++stream, prev: stream - 1 };
    const prev = counters.get(name)!;
    counters.set(name, prev + 1);
    return { name, seq: prev + 1, prev };
  });
  return { msgs, first };
}

function subscribedFresh(first: Map<string, number>, announce: 'first' | 'latest'): GrvtBookSequences {
  const s = new GrvtBookSequences(NAMES);
  s.restartAll();
  for (const n of NAMES) s.subscribed(n, announce === 'first' ? { first: first.get(n) } : { latest: first.get(n)! - 1 });
  for (const n of NAMES) s.snapshot(n);
  return s;
}

const counting = fc.constantFrom('per_instrument' as const, 'per_stream' as const);
const order = fc.array(fc.integer({ min: 0, max: NAMES.length - 1 }), { minLength: 1, maxLength: 80 });
const offsets = fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: NAMES.length, maxLength: NAMES.length });

describe('GRVT book.d sequence rules', () => {
  it('an unbroken feed is never a gap, counted per instrument or per stream, announced as first or latest', () => {
    fc.assert(
      fc.property(counting, order, offsets, fc.constantFrom('first' as const, 'latest' as const), (c, o, off, announce) => {
        const { msgs, first } = feed(o, c, off);
        const s = subscribedFresh(first, announce);
        const last = new Map<string, number | undefined>();
        for (const m of msgs) {
          const v = s.delta(m.name, m.seq, m.prev);
          expect(v.kind).toBe('apply');
          // The chain handed downstream links each delta to its instrument's previous one.
          if (v.kind === 'apply' && last.has(m.name)) expect(v.prev).toBe(last.get(m.name));
          last.set(m.name, m.seq);
        }
      }),
      { numRuns: 1_000 },
    );
  });

  it('counted per stream, a lost message is found at the very next one, whatever its instrument', () => {
    fc.assert(
      fc.property(order.filter((o) => o.length >= 2), offsets, fc.nat(), (o, off, k) => {
        const { msgs, first } = feed(o, 'per_stream', off);
        const lost = k % (msgs.length - 1);
        const s = subscribedFresh(first, 'first');
        for (let i = 0; i < lost; i++) expect(s.delta(msgs[i]!.name, msgs[i]!.seq, msgs[i]!.prev).kind).toBe('apply');
        const next = msgs[lost + 1]!;
        const v = s.delta(next.name, next.seq, next.prev);
        expect(v).toMatchObject({ kind: 'gap', scope: 'stream' });
      }),
      { numRuns: 1_000 },
    );
  });

  it('counted per instrument, once proven, a lost message is found at its instrument\'s next one and resyncs only it', () => {
    const s = subscribedFresh(new Map([['A', 101], ['B', 1], ['C', 1]]), 'first');
    const seq: Array<[string, number]> = [['A', 101], ['B', 1], ['A', 102], ['B', 2]];
    for (const [n, q] of seq) expect(s.delta(n, q, q - 1).kind).toBe('apply');
    expect(s.counting).toBe('per_instrument');
    // A 103 lost; B goes on; A 104 is a gap of A alone.
    expect(s.delta('B', 3, 2).kind).toBe('apply');
    expect(s.delta('A', 104, 103)).toMatchObject({ kind: 'gap', scope: 'instrument' });
  });

  it('duplicates and deltas the snapshot covers are skipped; deltas before the snapshot wait', () => {
    const s = new GrvtBookSequences(['A']);
    s.subscribed('A', { first: 10 });
    expect(s.delta('A', 9, 8)).toEqual<BookDeltaVerdict>({ kind: 'waiting' });
    expect(s.snapshot('A')).toBe(9);
    expect(s.delta('A', 9, 8)).toEqual({ kind: 'skip' });
    expect(s.delta('A', 10, 9)).toEqual({ kind: 'apply', prev: 9 });
    expect(s.delta('A', 10, 9)).toEqual({ kind: 'skip' });
    const latest = new GrvtBookSequences(['A']);
    latest.subscribed('A', { latest: 20 });
    expect(latest.snapshot('A')).toBe(20);
    expect(latest.delta('A', 20, 19)).toEqual({ kind: 'skip' });
    // Counted per stream, the first delta after the snapshot may be well above it: it starts the chain.
    expect(latest.delta('A', 25, 24)).toEqual({ kind: 'apply', prev: 20 });
  });
});
