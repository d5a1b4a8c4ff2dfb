import { resolve } from 'node:path';
import { connect } from '@nats-io/transport-node';
import { z } from 'zod';
import { spawnReady, type ReadyProcess } from './child-process.js';

const RelayReady = z.object({ event: z.literal('ready'), pid: z.number() });
const RELAY = resolve(import.meta.dirname, 'nats-relay.ts');
const WARMUP = 50;

export interface BaselineRun {
  natsUrl: string;
  /** Unique per run: the hops' subjects are <prefix>.0 … <prefix>.<n>. */
  subjectPrefix: string;
  /** Bytes of the message on each hop, hop 0 (published here) to hop n (received here): n relays. */
  sizes: readonly number[];
  count: number;
  /** Messages per second published at hop 0. */
  rate: number;
  cwd: string;
}

/**
 * The baseline of tick-to-order: the same number of processes as the pipeline,
 * each a bare relay (subscribe hop i, republish to hop i+1), timed here from
 * publishing at hop 0 to receiving at the last hop. Returns each message's ms.
 */
export async function relayLatencies(run: BaselineRun): Promise<number[]> {
  const n = run.sizes.length - 1;
  const subject = (i: number) => `${run.subjectPrefix}.${i}`;
  const relays: Array<ReadyProcess<z.infer<typeof RelayReady>>> = [];
  const pub = await connect({ servers: run.natsUrl, name: 'bench-baseline-pub' });
  const sub = await connect({ servers: run.natsUrl, name: 'bench-baseline-sub' });
  try {
    const started = await Promise.allSettled(
      Array.from({ length: n }, (_, i) =>
        spawnReady(
          `relay ${i + 1}`,
          process.execPath,
          ['--import', 'tsx', RELAY, '--url', run.natsUrl, '--in', subject(i), '--out', subject(i + 1), '--size', String(run.sizes[i + 1])],
          RelayReady,
          {},
          run.cwd,
          60_000,
        ),
      ),
    );
    for (const s of started) if (s.status === 'fulfilled') relays.push(s.value);
    const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;

    const total = WARMUP + run.count;
    const sentAt = new Float64Array(total);
    const latencies: number[] = [];
    let received = 0;
    let allIn: () => void = () => {};
    const done = new Promise<void>((r) => (allIn = r));
    sub.subscribe(subject(n), {
      callback: (err, msg) => {
        if (err) return;
        const at = performance.now();
        const id = new DataView(msg.data.buffer, msg.data.byteOffset, 8).getFloat64(0);
        if (id >= WARMUP) latencies.push(at - sentAt[id]!);
        if (++received === total) allIn();
      },
    });
    await sub.flush();

    const payload = new Uint8Array(run.sizes[0]!);
    const view = new DataView(payload.buffer);
    const gapMs = 1000 / run.rate;
    const t0 = performance.now();
    for (let id = 0; id < total; id++) {
      // Paced on an absolute schedule, so a late timer does not slow the rate down.
      const due = t0 + id * gapMs;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      view.setFloat64(0, id);
      sentAt[id] = performance.now();
      pub.publish(subject(0), payload);
    }
    await pub.flush();
    await Promise.race([done, new Promise((r) => setTimeout(r, 5_000))]);
    if (latencies.length < run.count * 0.99) throw new Error(`baseline: only ${latencies.length} of ${run.count} messages came through the relays`);
    return latencies;
  } finally {
    await Promise.all(relays.map((r) => r.stop()));
    await pub.close();
    await sub.close();
  }
}
