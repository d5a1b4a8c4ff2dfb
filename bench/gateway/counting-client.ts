/**
 * A bare message counter in its own process, so its CPU is its own (read from /proc by the bench).
 *
 * - source "ws": the baseline of the gateway ingest figure. Connects to a façade, sends the subscribe
 *   messages and JSON.parses every frame, nothing else; counts all frames and those holding `marker`.
 * - source "nats": counts the messages on a subject (what the gateway published), without parsing.
 *
 * Prints {"event":"ready","pid":…} once subscribed. Commands on stdin, one per line: "reset" sets the
 * counts to 0; "count" prints {"event":"count","count":n,"all":n,"lastAt":epoch ms of the last message}.
 * Exits on SIGTERM or when stdin ends (the bench died).
 *
 *   node --import tsx bench/gateway/counting-client.ts '{"source":"ws","url":"ws://…","marker":"depth"}'
 */
import { createInterface } from 'node:readline';
import { connect } from '@nats-io/transport-node';
import WebSocket from 'ws';
import { CountingSource } from './counting-source.js';

let count = 0;
let all = 0;
let lastAt = 0;
const seen = (isCounted: boolean) => {
  all++;
  if (isCounted) count++;
  lastAt = performance.timeOrigin + performance.now();
};

async function subscribe(source: CountingSource): Promise<() => Promise<void>> {
  if (source.source === 'nats') {
    const nc = await connect({ servers: source.url, name: 'bench-gateway-book-counter' });
    nc.subscribe(source.subject, { callback: (err) => void (err || seen(true)) });
    await nc.flush();
    return () => nc.close();
  }
  const ws = new WebSocket(source.url);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  ws.on('message', (data: WebSocket.RawData) => {
    const text = data.toString();
    JSON.parse(text);
    seen(text.includes(source.marker));
  });
  for (const s of source.subscribe) ws.send(s);
  return async () => ws.close();
}

async function main(): Promise<void> {
  const source = CountingSource.parse(JSON.parse(process.argv[2] ?? ''));
  const close = await subscribe(source);
  process.stdout.write(`${JSON.stringify({ event: 'ready', pid: process.pid })}\n`);
  const done = new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    const lines = createInterface({ input: process.stdin });
    lines.on('line', (line) => {
      if (line === 'reset') {
        count = 0;
        all = 0;
        lastAt = 0;
      } else if (line === 'count') process.stdout.write(`${JSON.stringify({ event: 'count', count, all, lastAt })}\n`);
    });
    lines.once('close', resolve);
  });
  await done;
  await close();
  process.exit(0);
}

main().catch((err: unknown) => {
  process.stderr.write(`counting-client: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
