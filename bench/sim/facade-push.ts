import { createSimWorld, FACADE_STARTERS, type RunningFacade, type SimWorldImpl } from '@perpetua/sim';
import type { BenchOptions } from '../harness/bench-options.js';
import { median, spreadOf, type Figure } from '../harness/figure.js';
import { bookStreamSpec } from './book-stream-spec.js';
import { PushClient, type PushCount } from './push-client.js';
import { RawPushServer } from './raw-push-server.js';
import { pumpWorld } from '../harness/pump-world.js';

const TOTAL_TARGET = 20_000;

/** Runs `pump` once to warm up, then `repetitions` times, and returns each run's book messages/s per client. */
async function measure(clients: PushClient[], pump: () => Promise<void>, opts: BenchOptions): Promise<{ rates: number[][]; samples: string[][] }> {
  const rates: number[][] = clients.map(() => []);
  let samples: string[][] = [];
  for (let rep = 0; rep <= opts.repetitions; rep++) {
    for (const c of clients) c.start();
    await new Promise((r) => setTimeout(r, 20)); // let 'start' reach the client threads
    const t0 = performance.now();
    await pump();
    const seconds = (performance.now() - t0) / 1000;
    const counts: PushCount[] = await Promise.all(clients.map((c) => c.stop()));
    if (rep === 0) {
      samples = counts.map((c) => c.samples);
      continue; // warm-up
    }
    counts.forEach((c, i) => rates[i]!.push(c.count / seconds));
  }
  return { rates, samples };
}

/** One world serving `venues` (BTC only), one client per façade: the simulator's and the raw server's push rates. */
async function pushRates(venues: string[], opts: BenchOptions): Promise<{ ours: number[][]; base: number[][] }> {
  const world = createSimWorld({ seed: 1, venues, assets: ['BTC'] });
  const facades: RunningFacade[] = [];
  const clients: PushClient[] = [];
  try {
    for (const v of venues) facades.push(await FACADE_STARTERS[v]!(world, '127.0.0.1'));
    for (const f of facades) clients.push(await PushClient.connect(bookStreamSpec(f.descriptor)));
    const ours = await measure(clients, () => pumpWorld(world, opts.windowMs), opts);
    for (const s of ours.samples) if (s.length === 0) throw new Error('a façade pushed no book message during warm-up');
    const raw = await RawPushServer.start();
    const rawClients: PushClient[] = [];
    try {
      for (const f of facades) rawClients.push(await PushClient.connect({ url: raw.url, marker: bookStreamSpec(f.descriptor).marker }));
      const base = await measure(rawClients, () => raw.pump(ours.samples, opts.windowMs), opts);
      return { ours: ours.rates, base: base.rates };
    } finally {
      await Promise.all(rawClients.map((c) => c.close()));
      await raw.close();
    }
  } finally {
    await Promise.all(clients.map((c) => c.close()));
    await Promise.all(facades.map((f) => f.close()));
  }
}

const LIMIT_NOTE =
  'one thread runs the world (all venues step together), the façade and its serialization; the client runs in a worker thread. The baseline is a bare ws server sending the same recorded frames one per event-loop turn. GRVT is left out: its protocol paces book deltas on a timer (50 ms at the fastest).';

/** Book updates/s each façade pushes to one client, and all façades at once, against the raw ws ceiling. */
export async function simPushFigures(opts: BenchOptions, log: (line: string) => void): Promise<Figure[]> {
  // GRVT publishes book deltas on a timer (50 ms at the fastest), by protocol: its push rate is not a throughput.
  const venues = Object.keys(FACADE_STARTERS).filter((v) => v !== 'grvt');
  const figures: Figure[] = [];
  for (const v of venues) {
    log(`sim push: ${v}`);
    const { ours, base } = await pushRates([v], opts);
    const o = median(ours[0]!);
    const b = median(base[0]!);
    figures.push({ name: `sim.push.${v}`, label: `sim ${v}: book updates pushed to one client`, unit: 'msg/s', ours: o, baseline: b, ratio: o / b, better: 'higher', spread: spreadOf(ours[0]!), target: 'report', met: null });
  }
  log('sim push: all venues at once');
  const { ours, base } = await pushRates(venues, opts);
  const totals = ours[0]!.map((_, rep) => ours.reduce((s, r) => s + r[rep]!, 0));
  const baseTotals = base[0]!.map((_, rep) => base.reduce((s, r) => s + r[rep]!, 0));
  const o = median(totals);
  const b = median(baseTotals);
  figures.push({
    name: 'sim.push.total',
    label: `sim, ${venues.length} façades at once: book updates pushed, total`,
    unit: 'msg/s',
    ours: o,
    baseline: b,
    ratio: o / b,
    better: 'higher',
    spread: spreadOf(totals),
    target: `>= ${TOTAL_TARGET.toLocaleString('en-US')} msg/s on one core`,
    met: o >= TOTAL_TARGET,
    note: LIMIT_NOTE,
  });
  return figures;
}
