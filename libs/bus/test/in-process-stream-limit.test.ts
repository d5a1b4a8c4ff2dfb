import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InProcessBus } from '@perpetua/bus';
import { subjects } from '@perpetua/core';
import { waitUntil } from '@perpetua/testkit';
import { loose } from './loose-bus.js';

const N = z.object({ n: z.number() });
// Made-up messages on a real stream's subject: the transport's view (loose-bus.ts).
const subject: string = subjects.fill('sim', 'BTC-PERP');

describe('InProcessBus durable streams are bounded (limits retention, discard old)', () => {
  it('keeps at most the limit (plus a tenth before a trim), forgets discarded ids, and keeps seqs increasing', async () => {
    const bus = loose(new InProcessBus({ maxStreamMessages: 10 }));
    for (let i = 1; i <= 100; i++) await bus.publishDurable('fills', subject, { n: i }, `id-${i}`);
    const [stats] = bus.streamStats();
    expect(stats!.messages).toBeLessThanOrEqual(11);
    expect(stats!.lastSeq).toBe(100);
    expect(stats!.firstSeq).toBe(100 - stats!.messages + 1);
    // A kept id is still a duplicate; a discarded one is new again (as past JetStream's window).
    expect(await bus.publishDurable('fills', subject, { n: 100 }, 'id-100')).toEqual({ duplicate: true, streamSeq: 100 });
    expect(await bus.publishDurable('fills', subject, { n: 1 }, 'id-1')).toEqual({ duplicate: false, streamSeq: 101 });
    await bus.close();
  });

  it('a consumer behind the cut resumes at the oldest kept message, in order, and the loss is reported', async () => {
    const discarded: number[] = [];
    const bus = loose(new InProcessBus({ maxStreamMessages: 10, onStreamDiscard: (_s, n) => void discarded.push(n) }));
    const seen: number[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    // The consumer blocks on its first message while 50 more arrive.
    await bus.consumeDurable('fills', 'slow', N, async (m) => {
      seen.push(m.n);
      if (m.n === 1) await gate;
    });
    for (let i = 1; i <= 51; i++) await bus.publishDurable('fills', subject, { n: i }, `id-${i}`);
    release();
    await waitUntil(() => seen.at(-1) === 51, 5_000, 'the consumer to reach the last message');
    const kept = bus.streamStats()[0]!;
    expect(seen[0]).toBe(1);
    expect(seen.slice(1)).toEqual(Array.from({ length: 51 - kept.firstSeq + 1 }, (_, i) => kept.firstSeq + i));
    expect(discarded.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    await bus.close();
  });

  it('a consumer that keeps up loses nothing however long the stream runs', async () => {
    const discarded: number[] = [];
    const bus = loose(new InProcessBus({ maxStreamMessages: 5, onStreamDiscard: (_s, n) => void discarded.push(n) }));
    const seen: number[] = [];
    await bus.consumeDurable('fills', 'quick', N, async (m) => {
      seen.push(m.n);
    });
    for (let i = 1; i <= 200; i++) {
      await bus.publishDurable('fills', subject, { n: i }, `id-${i}`);
      await waitUntil(() => seen.length === i, 1_000, `message ${i}`);
    }
    expect(seen).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(discarded).toEqual([]);
    await bus.close();
  });
});
