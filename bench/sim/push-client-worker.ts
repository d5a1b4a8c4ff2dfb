/**
 * One market-data client in its own thread, so the simulator's thread is the one
 * core being measured. Counts the book messages it receives between 'start' and
 * 'stop' and keeps a few as samples for the baseline.
 */
import { parentPort, workerData } from 'node:worker_threads';
import WebSocket from 'ws';
import { z } from 'zod';

const Spec = z.object({ url: z.string(), subscribe: z.string().optional(), marker: z.string() });
const Command = z.enum(['start', 'stop', 'close']);
const spec = Spec.parse(workerData);
const port = parentPort!;

let counting = false;
let count = 0;
let bytes = 0;
const samples: string[] = [];
const ws = new WebSocket(spec.url);
ws.on('open', () => {
  if (spec.subscribe) ws.send(spec.subscribe);
  port.postMessage({ type: 'open' });
});
ws.on('message', (data: WebSocket.RawData) => {
  const text = data.toString();
  if (!text.includes(spec.marker)) return;
  if (samples.length < 50) samples.push(text);
  if (!counting) return;
  count++;
  bytes += text.length;
});
ws.on('error', (err) => port.postMessage({ type: 'error', message: String(err) }));
port.on('message', (raw: unknown) => {
  const cmd = Command.parse(raw);
  if (cmd === 'start') {
    count = 0;
    bytes = 0;
    counting = true;
  } else if (cmd === 'stop') {
    counting = false;
    port.postMessage({ type: 'count', count, bytes, samples });
  } else {
    ws.close();
    port.close();
  }
});
