/**
 * One hop of the baseline: subscribes to `--in`, republishes every message to
 * `--out` as raw bytes of `--size` (its first 8 bytes, the message id, kept).
 * No parsing, no validation: the transport's cost between two processes alone.
 * Prints {"event":"ready"} once subscribed; exits on SIGTERM or when stdin ends
 * (the bench died).
 *
 *   node --import tsx bench/pipeline/nats-relay.ts --url nats://… --in a --out b --size 900
 */
import { parseArgs } from 'node:util';
import { connect } from '@nats-io/transport-node';
import { z } from 'zod';

const Args = z.object({
  url: z.string().url(),
  in: z.string().min(1),
  out: z.string().min(1),
  size: z.coerce.number().int().min(8).max(1 << 20),
});

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { url: { type: 'string' }, in: { type: 'string' }, out: { type: 'string' }, size: { type: 'string' } } });
  const args = Args.parse(values);
  const nc = await connect({ servers: args.url, name: `bench-relay ${args.in}` });
  nc.subscribe(args.in, {
    callback: (err, msg) => {
      if (err) return;
      const data = msg.data;
      if (data.length === args.size) return void nc.publish(args.out, data);
      const out = new Uint8Array(args.size);
      out.set(data.subarray(0, 8));
      nc.publish(args.out, out);
    },
  });
  await nc.flush();
  process.stdout.write(`${JSON.stringify({ event: 'ready', pid: process.pid })}\n`);
  const done = new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.stdin.once('end', resolve);
    process.stdin.resume();
  });
  await done;
  await nc.drain();
  process.exit(0);
}

main().catch((err: unknown) => {
  process.stderr.write(`nats-relay: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
