import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type Bus, type BusOptions, type InvalidMessage, BusRemoteError, BusTimeoutError } from '@perpetua/bus';
import { holdsFor, waitUntil } from '@perpetua/testkit';
import { loose, type LooseBus } from './loose-bus.js';

/** What an implementation's test file hands the contract: a fresh bus and how to dispose of it. */
export interface BusFixture {
  bus: Bus;
  cleanup: () => Promise<void>;
  /**
   * Puts raw bytes on a subject, bypassing the codec (another client on the
   * same server). Only where the transport carries bytes; tests that need it
   * are skipped otherwise.
   */
  publishRaw?: (subject: string, data: Uint8Array) => Promise<void>;
}

const Num = z.object({ n: z.number() });
type Num = z.infer<typeof Num>;

/**
 * The behaviour every Bus implementation must share. Each test gets its own bus
 * (and, for durable streams and last values, its own empty storage).
 */
export function runBusContract(name: string, makeBus: (options: BusOptions) => Promise<BusFixture>): void {
  describe(`Bus contract: ${name}`, () => {
    let fixture: BusFixture | undefined;
    let invalid: InvalidMessage[] = [];
    let handlerErrors: Array<{ subject: string; error: unknown }> = [];

    async function open(): Promise<Omit<BusFixture, 'bus'> & { bus: LooseBus }> {
      invalid = [];
      handlerErrors = [];
      fixture = await makeBus({
        onInvalid: (m) => invalid.push(m),
        onHandlerError: (subject, error) => handlerErrors.push({ subject, error }),
      });
      return { ...fixture, bus: loose(fixture.bus) };
    }

    afterEach(async () => {
      const f = fixture;
      fixture = undefined;
      await f?.cleanup();
    });

    describe('publish/subscribe', () => {
      it('delivers parsed messages with their subject; `*` matches one token, `>` one or more', async () => {
        const { bus } = await open();
        const star: string[] = [];
        const tail: string[] = [];
        const exact: Array<{ n: number; subject: string }> = [];
        bus.subscribe('ps.*', Num, (_m, s) => void star.push(s));
        bus.subscribe('ps.>', Num, (_m, s) => void tail.push(s));
        bus.subscribe('ps.a', Num, (m, s) => void exact.push({ n: m.n, subject: s }));
        await bus.flush();
        bus.publish('ps', { n: 0 });
        bus.publish('ps.a', { n: 1 });
        bus.publish('ps.a.b', { n: 2 });
        bus.publish('other.a', { n: 3 });
        bus.publish('ps.end', { n: 4 });
        await waitUntil(() => star.includes('ps.end') && tail.includes('ps.end'), 3_000, 'the last message on ps.*', 5);
        expect(star).toEqual(['ps.a', 'ps.end']);
        expect(tail).toEqual(['ps.a', 'ps.a.b', 'ps.end']);
        expect(exact).toEqual([{ n: 1, subject: 'ps.a' }]);
        expect(invalid).toEqual([]);
      });

      it('drops a schema-invalid message, reports it to onInvalid, and keeps delivering', async () => {
        const { bus } = await open();
        const seen: Num[] = [];
        bus.subscribe('inv.x', Num, (m) => void seen.push(m));
        await bus.flush();
        bus.publish('inv.x', { n: 'not a number' });
        bus.publish('inv.x', { n: 7 });
        await waitUntil(() => seen.length === 1, 3_000, 'the valid message', 5);
        expect(seen).toEqual([{ n: 7 }]);
        expect(invalid).toHaveLength(1);
        expect(invalid[0]!.subject).toBe('inv.x');
        expect(invalid[0]!.error).toMatch(/n/);
      });

      it('drops non-JSON bytes and invalid UTF-8, reporting them to onInvalid', async (ctx) => {
        const f = await open();
        if (!f.publishRaw) return ctx.skip();
        const seen: Num[] = [];
        f.bus.subscribe('raw.x', Num, (m) => void seen.push(m));
        await f.bus.flush();
        await f.publishRaw('raw.x', new TextEncoder().encode('{not json'));
        await f.publishRaw('raw.x', new Uint8Array([0xff, 0xfe, 0x7b]));
        await f.publishRaw('raw.x', new Uint8Array());
        await f.publishRaw('raw.x', new TextEncoder().encode('{"n":1}'));
        await waitUntil(() => seen.length === 1, 3_000, 'the valid message', 5);
        expect(seen).toEqual([{ n: 1 }]);
        expect(invalid.map((i) => i.subject)).toEqual(['raw.x', 'raw.x', 'raw.x']);
        for (const i of invalid) expect(i.error).toMatch(/not JSON/);
      });

      it('refuses to publish what JSON cannot carry', async () => {
        const { bus } = await open();
        expect(() => bus.publish('x', undefined)).toThrow(/JSON/);
        expect(() => bus.publish('x', { big: 1n })).toThrow(/JSON/);
      });

      it('delivers each message to exactly one member of a queue group, and to every plain subscriber', async () => {
        const { bus } = await open();
        const a: number[] = [];
        const b: number[] = [];
        const plain: number[] = [];
        bus.subscribe('q.work', Num, (m) => void a.push(m.n), { queue: 'workers' });
        bus.subscribe('q.work', Num, (m) => void b.push(m.n), { queue: 'workers' });
        bus.subscribe('q.work', Num, (m) => void plain.push(m.n));
        await bus.flush();
        const N = 40;
        for (let n = 0; n < N; n++) bus.publish('q.work', { n });
        await waitUntil(() => plain.length === N && a.length + b.length === N, 3_000, 'all messages', 5);
        await bus.flush();
        await holdsFor(() => plain.length === N && a.length + b.length === N, 50, 'no duplicate delivery', 5);
        expect([...a, ...b].sort((x, y) => x - y)).toEqual([...Array(N).keys()]);
        expect(plain).toEqual([...Array(N).keys()]);
      });

      it('stops delivery on unsubscribe', async () => {
        const { bus } = await open();
        const first: number[] = [];
        const witness: number[] = [];
        const sub = bus.subscribe('u.x', Num, (m) => void first.push(m.n));
        bus.subscribe('u.x', Num, (m) => void witness.push(m.n));
        await bus.flush();
        bus.publish('u.x', { n: 1 });
        await waitUntil(() => first.length === 1 && witness.length === 1, 3_000, 'the first message', 5);
        sub.unsubscribe();
        await bus.flush();
        bus.publish('u.x', { n: 2 });
        await waitUntil(() => witness.length === 2, 3_000, 'the second message at the witness', 5);
        expect(first).toEqual([1]);
      });

      it('reports a throwing or rejecting handler and keeps delivering', async () => {
        const { bus } = await open();
        const seen: number[] = [];
        bus.subscribe('he.x', Num, (m) => {
          if (m.n === 1) throw new Error('boom');
          if (m.n === 2) return Promise.reject(new Error('async boom'));
          seen.push(m.n);
        });
        await bus.flush();
        for (const n of [1, 2, 3]) bus.publish('he.x', { n });
        await waitUntil(() => seen.length === 1 && handlerErrors.length === 2, 3_000, 'the third message and both errors', 5);
        expect(handlerErrors.map((e) => (e.error as Error).message).sort()).toEqual(['async boom', 'boom']);
        expect(handlerErrors.every((e) => e.subject === 'he.x')).toBe(true);
      });
    });

    describe('request/reply', () => {
      const Req = z.object({ a: z.number(), b: z.number() });
      const Sum = z.object({ sum: z.number() });

      it('answers a request with the handler value', async () => {
        const { bus } = await open();
        bus.serve('rr.add', Req, async ({ a, b }) => ({ sum: a + b }));
        await bus.flush();
        await expect(bus.request('rr.add', { a: 2, b: 3 }, Sum)).resolves.toEqual({ sum: 5 });
      });

      it('serves on a wildcard subject and answers a void handler', async () => {
        const { bus } = await open();
        const got: string[] = [];
        bus.serve('rr.cmd.*', z.object({ verb: z.string() }), ({ verb }) => void got.push(verb));
        await bus.flush();
        await expect(bus.request('rr.cmd.pause', { verb: 'pause' }, z.undefined())).resolves.toBeUndefined();
        expect(got).toEqual(['pause']);
      });

      it('rejects with BusRemoteError carrying the error message when the handler throws', async () => {
        const { bus } = await open();
        bus.serve('rr.fail', Req, () => {
          throw new Error('limit exceeded');
        });
        await bus.flush();
        const err = await bus.request('rr.fail', { a: 1, b: 1 }, Sum).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(BusRemoteError);
        expect((err as Error).message).toBe('limit exceeded');
      });

      it('rejects an invalid request with BusRemoteError and reports it to onInvalid on the server', async () => {
        const { bus } = await open();
        let called = false;
        bus.serve('rr.strict', Req, () => {
          called = true;
          return { sum: 0 };
        });
        await bus.flush();
        const err = await bus.request('rr.strict', { a: 'x' }, Sum).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(BusRemoteError);
        expect((err as Error).message).toMatch(/^invalid request: /);
        expect(called).toBe(false);
        expect(invalid.map((i) => i.subject)).toEqual(['rr.strict']);
      });

      it('rejects a reply that fails the requester schema with BusRemoteError', async () => {
        const { bus } = await open();
        bus.serve('rr.bad', Req, () => ({ total: 1 }));
        await bus.flush();
        const err = await bus.request('rr.bad', { a: 1, b: 2 }, Sum).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(BusRemoteError);
        expect((err as Error).message).toMatch(/^invalid reply from rr\.bad/);
      });

      it('rejects with BusTimeoutError at once when nobody serves the subject', async () => {
        const { bus } = await open();
        const started = Date.now();
        const err = await bus.request('rr.nobody', { a: 1, b: 2 }, Sum, { timeoutMs: 3000 }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(BusTimeoutError);
        expect((err as Error).message).toMatch(/no responders/);
        expect(Date.now() - started).toBeLessThan(1500);
      });

      it('rejects with BusTimeoutError when the server does not answer in time', async () => {
        const { bus } = await open();
        let release = () => {};
        const gate = new Promise<void>((r) => (release = r));
        bus.serve('rr.slow', Req, async () => {
          await gate;
          return { sum: 0 };
        });
        await bus.flush();
        const err = await bus.request('rr.slow', { a: 1, b: 2 }, Sum, { timeoutMs: 100 }).catch((e: unknown) => e);
        release();
        expect(err).toBeInstanceOf(BusTimeoutError);
        expect((err as Error).message).toMatch(/timed out after 100 ms/);
      });

      it('shares requests among several servers of one subject (one answer each)', async () => {
        const { bus } = await open();
        const hits = [0, 0];
        bus.serve('rr.pool', Req, () => (hits[0]!++, { sum: 0 }));
        bus.serve('rr.pool', Req, () => (hits[1]!++, { sum: 1 }));
        await bus.flush();
        for (let i = 0; i < 10; i++) await bus.request('rr.pool', { a: 0, b: 0 }, Sum);
        expect(hits[0]! + hits[1]!).toBe(10);
      });

      it('shows the request body itself to a plain subscriber of the subject', async () => {
        const { bus } = await open();
        const watched: unknown[] = [];
        bus.subscribe('rr.watched', z.unknown(), (m) => void watched.push(m));
        bus.serve('rr.watched', Req, ({ a, b }) => ({ sum: a + b }));
        await bus.flush();
        await bus.request('rr.watched', { a: 1, b: 1 }, Sum);
        await waitUntil(() => watched.length === 1, 3_000, 'the watcher', 5);
        expect(watched).toEqual([{ a: 1, b: 1 }]);
      });
    });

    describe('durable streams', () => {
      it('de-duplicates by msgId: the second ack says duplicate, consumers see one, plain subscribers see both publishes', async () => {
        const { bus } = await open();
        const plain: number[] = [];
        bus.subscribe('fill.>', Num, (m) => void plain.push(m.n));
        await bus.flush();
        const first = await bus.publishDurable('fills', 'fill.dd.BTC-PERP', { n: 1 }, 'fill-1');
        const again = await bus.publishDurable('fills', 'fill.dd.BTC-PERP', { n: 1 }, 'fill-1');
        const second = await bus.publishDurable('fills', 'fill.dd.BTC-PERP', { n: 2 }, 'fill-2');
        expect(first).toEqual({ duplicate: false, streamSeq: first.streamSeq });
        expect(again).toEqual({ duplicate: true, streamSeq: first.streamSeq });
        expect(second).toEqual({ duplicate: false, streamSeq: first.streamSeq + 1 });

        const seen: Array<{ n: number; subject: string; streamSeq: number }> = [];
        const sub = await bus.consumeDurable('fills', 'dedupe', Num, async (m, meta) => void seen.push({ n: m.n, subject: meta.subject, streamSeq: meta.streamSeq }));
        await waitUntil(() => seen.length === 2, 3_000, 'both stored fills', 5);
        await waitUntil(() => plain.length === 3, 3_000, 'the plain publishes', 5);
        await holdsFor(() => seen.length === 2 && plain.length === 3, 50, 'no further delivery', 5);
        sub.unsubscribe();
        expect(seen).toEqual([
          { n: 1, subject: 'fill.dd.BTC-PERP', streamSeq: first.streamSeq },
          { n: 2, subject: 'fill.dd.BTC-PERP', streamSeq: second.streamSeq },
        ]);
        expect(plain).toEqual([1, 1, 2]);
      });

      it('refuses a subject outside the named stream and an empty msgId', async () => {
        const { bus } = await open();
        await expect(bus.publishDurable('fills', 'order.event.x', { n: 1 }, 'id')).rejects.toThrow(/not part of durable stream 'fills'/);
        await expect(bus.publishDurable('orderEvents', 'order.event.x.y', { n: 1 }, 'id')).rejects.toThrow(/not part of/);
        await expect(bus.publishDurable('fills', 'fill.x.y', { n: 1 }, '')).rejects.toThrow(/msgId/);
      });

      it('keeps the two streams apart and honours a filter subject', async () => {
        const { bus } = await open();
        await bus.publishDurable('fills', 'fill.va.BTC-PERP', { n: 1 }, 'a1');
        await bus.publishDurable('fills', 'fill.vb.BTC-PERP', { n: 2 }, 'b1');
        await bus.publishDurable('orderEvents', 'order.event.va', { n: 3 }, 'e1');
        await bus.publishDurable('fills', 'fill.va.ETH-PERP', { n: 4 }, 'a2');
        const onlyA: number[] = [];
        const events: number[] = [];
        const s1 = await bus.consumeDurable('fills', 'only-a', Num, async (m) => void onlyA.push(m.n), { filterSubject: 'fill.va.*' });
        const s2 = await bus.consumeDurable('orderEvents', 'events', Num, async (m) => void events.push(m.n));
        await waitUntil(() => onlyA.length === 2 && events.length === 1, 3_000, 'filtered fills and events', 5);
        s1.unsubscribe();
        s2.unsubscribe();
        expect(onlyA).toEqual([1, 4]);
        expect(events).toEqual([3]);
      });

      it('resumes a restarted consumer where it left off, without redelivering acknowledged messages', async () => {
        const { bus } = await open();
        await bus.publishDurable('fills', 'fill.rs.BTC-PERP', { n: 1 }, 'r1');
        await bus.publishDurable('fills', 'fill.rs.BTC-PERP', { n: 2 }, 'r2');
        const firstRun: number[] = [];
        const sub1 = await bus.consumeDurable('fills', 'resumer', Num, async (m) => void firstRun.push(m.n));
        await waitUntil(() => firstRun.length === 2, 3_000, 'the first run', 5);
        sub1.unsubscribe();

        await bus.publishDurable('fills', 'fill.rs.BTC-PERP', { n: 3 }, 'r3');
        await bus.publishDurable('fills', 'fill.rs.BTC-PERP', { n: 4 }, 'r4');
        const secondRun: Array<{ n: number; redelivered: boolean }> = [];
        const sub2 = await bus.consumeDurable('fills', 'resumer', Num, async (m, meta) => void secondRun.push({ n: m.n, redelivered: meta.redelivered }));
        await waitUntil(() => secondRun.length === 2, 3_000, 'the second run', 5);
        // Another consumer name starts from the beginning of the stream.
        const fresh: number[] = [];
        const sub3 = await bus.consumeDurable('fills', 'newcomer', Num, async (m) => void fresh.push(m.n));
        await waitUntil(() => fresh.length === 4, 3_000, 'the newcomer', 5);
        await holdsFor(() => secondRun.length === 2 && fresh.length === 4, 50, 'no further delivery', 5);
        sub2.unsubscribe();
        sub3.unsubscribe();
        expect(firstRun).toEqual([1, 2]);
        expect(secondRun).toEqual([
          { n: 3, redelivered: false },
          { n: 4, redelivered: false },
        ]);
        expect(fresh).toEqual([1, 2, 3, 4]);
      });

      it('hands back unhandled messages when stopped mid-message, so a restart gets them at once', async () => {
        const { bus } = await open();
        for (let n = 1; n <= 5; n++) await bus.publishDurable('fills', 'fill.mid.BTC-PERP', { n }, `mid-${n}`);
        let release = () => {};
        const gate = new Promise<void>((r) => (release = r));
        const firstRun: number[] = [];
        const sub1 = await bus.consumeDurable('fills', 'midway', Num, async (m) => {
          firstRun.push(m.n);
          await gate;
        });
        await waitUntil(() => firstRun.length === 1, 3_000, 'the first message to be in hand', 5);
        sub1.unsubscribe();
        release(); // the in-hand message completes, so it is acknowledged
        const secondRun: number[] = [];
        const sub2 = await bus.consumeDurable('fills', 'midway', Num, async (m) => void secondRun.push(m.n));
        await waitUntil(() => secondRun.length === 4, 3_000, 'the rest', 5);
        await holdsFor(() => firstRun.length === 1 && secondRun.length === 4, 50, 'no further delivery', 5);
        sub2.unsubscribe();
        expect(firstRun).toEqual([1]);
        expect(secondRun).toEqual([2, 3, 4, 5]);
      });

      it('redelivers a message whose handler threw, flagged as redelivered', async () => {
        const { bus } = await open();
        const { streamSeq } = await bus.publishDurable('orderEvents', 'order.event.rt', { n: 9 }, 'flaky');
        const attempts: Array<{ n: number; streamSeq: number; redelivered: boolean }> = [];
        const sub = await bus.consumeDurable('orderEvents', 'flaky-handler', Num, async (m, meta) => {
          attempts.push({ n: m.n, streamSeq: meta.streamSeq, redelivered: meta.redelivered });
          if (attempts.length === 1) throw new Error('transient');
        });
        await waitUntil(() => attempts.length === 2, 3_000, 'the retry', 5);
        await holdsFor(() => attempts.length === 2, 300, 'acknowledged after the retry: no third attempt', 5);
        sub.unsubscribe();
        expect(attempts).toEqual([
          { n: 9, streamSeq, redelivered: false },
          { n: 9, streamSeq, redelivered: true },
        ]);
        expect(handlerErrors.map((e) => (e.error as Error).message)).toEqual(['transient']);
      });

      it('drops a schema-invalid durable message to onInvalid and moves on', async () => {
        const { bus } = await open();
        await bus.publishDurable('fills', 'fill.bad.BTC-PERP', { n: 'x' }, 'bad');
        await bus.publishDurable('fills', 'fill.bad.BTC-PERP', { n: 5 }, 'good');
        const seen: number[] = [];
        const sub = await bus.consumeDurable('fills', 'picky', Num, async (m) => void seen.push(m.n));
        await waitUntil(() => seen.length === 1, 3_000, 'the valid message', 5);
        sub.unsubscribe();
        expect(seen).toEqual([5]);
        expect(invalid.map((i) => i.subject)).toEqual(['fill.bad.BTC-PERP']);
      });

      it('stops a durable consumer on unsubscribe', async () => {
        const { bus } = await open();
        const seen: number[] = [];
        const sub = await bus.consumeDurable('fills', 'stopper', Num, async (m) => void seen.push(m.n));
        await bus.publishDurable('fills', 'fill.st.BTC-PERP', { n: 1 }, 's1');
        await waitUntil(() => seen.length === 1, 3_000, 'the first message', 5);
        sub.unsubscribe();
        await bus.publishDurable('fills', 'fill.st.BTC-PERP', { n: 2 }, 's2');
        await holdsFor(() => seen.length === 1, 100, 'nothing delivered after unsubscribe', 5);
        expect(seen).toEqual([1]);
      });
    });

    describe('last values', () => {
      const Px = z.object({ px: z.string() });

      it('returns the latest value per key, undefined for an unknown key', async () => {
        const { bus } = await open();
        expect(await bus.getLast('marks', 'BTC-PERP', Px)).toBeUndefined();
        await bus.putLast('marks', 'BTC-PERP', { px: '1' });
        await bus.putLast('marks', 'BTC-PERP', { px: '2' });
        await bus.putLast('marks', 'ETH-PERP', { px: '3' });
        await bus.putLast('other', 'BTC-PERP', { px: '4' });
        expect(await bus.getLast('marks', 'BTC-PERP', Px)).toEqual({ px: '2' });
        expect(await bus.getLast('marks', 'ETH-PERP', Px)).toEqual({ px: '3' });
        expect(await bus.getLast('other', 'BTC-PERP', Px)).toEqual({ px: '4' });
      });

      it('accepts any key string without collisions', async () => {
        const { bus } = await open();
        const keys = ['BTC/USDT:USDT', 'a..b', '.lead', 'trail.', 'sp ace', 'ü€', '', '=41', 'A', 'a*b', 'a>b', 'x.y'];
        for (const [i, key] of keys.entries()) await bus.putLast('keys', key, { px: String(i) });
        for (const [i, key] of keys.entries()) expect(await bus.getLast('keys', key, Px)).toEqual({ px: String(i) });
      });

      it('reports a stored value that fails the reader schema and returns undefined', async () => {
        const { bus } = await open();
        await bus.putLast('marks', 'BAD', { px: 1 });
        expect(await bus.getLast('marks', 'BAD', Px)).toBeUndefined();
        expect(invalid.map((i) => i.subject)).toEqual(['marks.BAD']);
      });

      it('refuses a bucket name that is not a plain token', async () => {
        const { bus } = await open();
        await expect(bus.putLast('a.b', 'k', { px: '1' })).rejects.toThrow(/bucket name/);
        await expect(bus.getLast('a b', 'k', Px)).rejects.toThrow(/bucket name/);
      });
    });

    describe('close', () => {
      it('closes idempotently, fails pending requests, and refuses further use', async () => {
        const { bus } = await open();
        let release = () => {};
        const gate = new Promise<void>((r) => (release = r));
        let served = false;
        bus.serve('cl.slow', z.unknown(), async () => {
          served = true;
          await gate;
        });
        const durable: number[] = [];
        await bus.consumeDurable('fills', 'closer', Num, async (m) => void durable.push(m.n));
        await bus.flush();
        const pending = bus.request('cl.slow', {}, z.unknown(), { timeoutMs: 5000 }).then(
          () => 'resolved',
          (e: unknown) => e,
        );
        await waitUntil(() => served, 3_000, 'the request in hand', 5);
        const started = Date.now();
        await Promise.all([bus.close(), bus.close()]);
        release();
        const outcome = await pending;
        expect(outcome).toBeInstanceOf(Error);
        expect(Date.now() - started).toBeLessThan(2500);
        expect(() => bus.publish('x', {})).toThrow(/closed/);
        await expect(bus.publishDurable('fills', 'fill.x.y', {}, 'z')).rejects.toThrow(/closed/);
        await expect(bus.request('cl.slow', {}, z.unknown())).rejects.toThrow(/closed/);
        await bus.close();
      });
    });
  });
}
