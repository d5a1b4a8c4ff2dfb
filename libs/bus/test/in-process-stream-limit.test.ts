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
  it('keeps at most the limit (plus a tenth before a trim), forgets ids past their bound, and keeps seqs increasing', async () => {
    const bus = loose(new InProcessBus({ maxStreamMessages: 10, duplicateIds: 10 }));
    for (let i = 1; i <= 100; i++) await bus.publishDurable('fills', subject, { n: i }, `id-${i}`);
    const [stats] = bus.streamStats();
    expect(stats!.messages).toBeLessThanOrEqual(11);
    expect(stats!.lastSeq).toBe(100);
    expect(stats!.firstSeq).toBe(100 - stats!.messages + 1);
    expect(stats!.ids).toBeLessThanOrEqual(11);
    // A kept id is still a duplicate; a forgotten one is new again (as past JetStream's window).
    expect(await bus.publishDurable('fills', subject, { n: 100 }, 'id-100')).toEqual({ duplicate: true, streamSeq: 100 });
    expect(await bus.publishDurable('fills', subject, { n: 1 }, 'id-1')).toEqual({ duplicate: false, streamSeq: 101 });
    await bus.close();
  });

  it('a consumer behind the cut resumes at the oldest kept message, in order, and the loss is reported', async () => {
    const discarded: number[] = [];
    const bus = loose(new InProcessBus({ maxStreamMessages: 10, keepAcknowledged: 0, onStreamDiscard: (_s, n) => void discarded.push(n) }));
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

describe('InProcessBus durable streams keep only what a consumer may still need', () => {
  it('a stream nobody consumes holds the newest keepAcknowledged, however long it runs, and loses nothing anyone waited for', async () => {
    const discarded: number[] = [];
    const bus = loose(new InProcessBus({ keepAcknowledged: 50, onStreamDiscard: (_s, n) => void discarded.push(n) }));
    for (let i = 1; i <= 5_000; i++) await bus.publishDurable('orderEvents', subjects.orderEvent('sim'), { n: i }, `id-${i}`);
    const [stats] = bus.streamStats();
    expect(stats!.messages).toBeGreaterThanOrEqual(50);
    expect(stats!.messages).toBeLessThanOrEqual(50 + 10);
    expect(stats!.lastSeq).toBe(5_000);
    expect(discarded).toEqual([]);
    // A consumer registered now starts at the oldest kept message and reads the newest ones in order.
    const seen: number[] = [];
    await bus.consumeDurable('orderEvents', 'late', N, async (m) => void seen.push(m.n));
    await waitUntil(() => seen.at(-1) === 5_000, 5_000, 'the late consumer to reach the last message');
    expect(seen).toEqual(Array.from({ length: stats!.messages }, (_, i) => stats!.firstSeq + i));
    await bus.close();
  });

  it('messages a consumer has not handled stay (up to the hard limit) while handled ones go', async () => {
    const bus = loose(new InProcessBus({ keepAcknowledged: 10, maxStreamMessages: 100_000 }));
    const seen: number[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    await bus.consumeDurable('fills', 'slow', N, async (m) => {
      if (m.n === 1) await gate;
      seen.push(m.n);
    });
    for (let i = 1; i <= 1_000; i++) await bus.publishDurable('fills', subject, { n: i }, `id-${i}`);
    // Blocked on message 1: nothing is handled by all, so nothing goes.
    expect(bus.streamStats()[0]!.messages).toBe(1_000);
    release();
    await waitUntil(() => seen.length === 1_000, 5_000, 'the consumer to catch up');
    expect(seen).toEqual(Array.from({ length: 1_000 }, (_, i) => i + 1));
    // Trimming happens as messages arrive: the next publishes cut the handled ones back to keepAcknowledged.
    for (let i = 1_001; i <= 1_010; i++) await bus.publishDurable('fills', subject, { n: i }, `id-${i}`);
    await waitUntil(() => seen.length === 1_010, 5_000, 'the last ten');
    await bus.publishDurable('fills', subject, { n: 1_011 }, 'id-1011');
    expect(bus.streamStats()[0]!.messages).toBeLessThanOrEqual(12);
    await bus.close();
  });

  it('a durable consumer that stopped keeps its place: what it has not handled waits for it', async () => {
    const bus = loose(new InProcessBus({ keepAcknowledged: 5 }));
    const first: number[] = [];
    const sub = await bus.consumeDurable('fills', 'risk', N, async (m) => void first.push(m.n));
    for (let i = 1; i <= 20; i++) await bus.publishDurable('fills', subject, { n: i }, `id-${i}`);
    await waitUntil(() => first.length === 20, 5_000, 'the first session to reach 20');
    sub.unsubscribe();
    for (let i = 21; i <= 500; i++) await bus.publishDurable('fills', subject, { n: i }, `id-${i}`);
    const again: number[] = [];
    await bus.consumeDurable('fills', 'risk', N, async (m) => void again.push(m.n));
    await waitUntil(() => again.at(-1) === 500, 5_000, 'the second session to reach 500');
    expect(again).toEqual(Array.from({ length: 480 }, (_, i) => 21 + i));
    await bus.close();
  });

  it('de-duplication ids outlive their trimmed messages, up to duplicateIds', async () => {
    const bus = loose(new InProcessBus({ keepAcknowledged: 0, duplicateIds: 100 }));
    for (let i = 1; i <= 1_000; i++) await bus.publishDurable('fills', subject, { n: i }, `id-${i}`);
    const [stats] = bus.streamStats();
    expect(stats!.messages).toBeLessThanOrEqual(1);
    expect(stats!.ids).toBeLessThanOrEqual(110);
    expect(await bus.publishDurable('fills', subject, { n: 1_000 }, 'id-1000')).toEqual({ duplicate: true, streamSeq: 1_000 });
    expect((await bus.publishDurable('fills', subject, { n: 1 }, 'id-1')).duplicate).toBe(false);
    await bus.close();
  });
});
