import { BookMessage } from '@perpetua/core';
import { decodeJson, encodeJson } from '@perpetua/bus';
import type { BenchOptions } from '../harness/bench-options.js';
import { median, spreadOf, type Figure } from '../harness/figure.js';
import { timeRuns } from '../harness/time-runs.js';
import { bookStream } from '../workloads/book-stream.js';

/** Normalized book messages (top 20 a side) as a gateway publishes them, from the seeded stream. */
function messages(count: number): string[] {
  const s = bookStream({ seed: 7, levels: 50, events: 0, depthMean: 5, tick: 0.1 });
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const shift = (i % 100) * 0.1;
    const msg: BookMessage = {
      venue: 'binanceusdm',
      symbol: 'BTC-PERP',
      seq: i + 1,
      venueSeq: 1_000_000 + i,
      bids: s.bids.slice(0, 20).map(([p, q]) => [Number((p + shift).toFixed(1)), q]),
      asks: s.asks.slice(0, 20).map(([p, q]) => [Number((p + shift).toFixed(1)), q]),
      tsExchange: 1_700_000_000_000 + i,
      tsReceived: 1_700_000_000_001 + i,
      tsPublished: 1_700_000_000_002 + i,
      stale: false,
      trace: { venue: 1_700_000_000_000 + i, 'gw.recv': 1_700_000_000_001 + i },
    };
    out.push(JSON.stringify(msg));
  }
  return out;
}

/**
 * What one hop costs a service per book message: decode (JSON.parse + the zod
 * schema, as the bus does on receipt) and encode (as it does on publish),
 * against JSON.parse and JSON.stringify alone on the same messages.
 */
export function bookMessageCostFigures(opts: BenchOptions, log: (line: string) => void): Figure[] {
  log('message: book decode + validate + encode');
  const input = messages(opts.quick ? 20_000 : 100_000);
  let sink = 0;
  const ours = timeRuns(
    opts.repetitions,
    () => undefined,
    () => {
      for (const text of input) {
        const d = decodeJson(text, BookMessage);
        if (!d.ok) throw new Error(d.error);
        sink += encodeJson(d.value).length;
      }
    },
  );
  const base = timeRuns(
    opts.repetitions,
    () => undefined,
    () => {
      for (const text of input) sink += JSON.stringify(JSON.parse(text) as unknown).length;
    },
  );
  if (sink === 0) throw new Error('message benchmark did no work');
  const perMsg = (runs: number[]) => runs.map((s) => (s / input.length) * 1e6);
  const o = median(perMsg(ours));
  const b = median(perMsg(base));
  return [
    {
      name: 'message.book',
      label: 'book message: decode + validate + encode, per message',
      unit: 'µs',
      ours: o,
      baseline: b,
      ratio: o / b,
      better: 'lower',
      spread: spreadOf(perMsg(ours)),
      target: 'report (zod cost over plain JSON)',
      met: null,
      note: 'top 20 levels a side; ours = decodeJson (JSON.parse + BookMessage zod schema) + encodeJson, as the bus does; baseline = JSON.parse + JSON.stringify.',
    },
  ];
}
