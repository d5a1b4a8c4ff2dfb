/**
 * The dashboard under load (acceptance 5 of the dashboard issue), from the production bundle:
 *  A. the dashboard service in its own process on NATS, fed books of five venues × two symbols at
 *     the gateways' pace, with 50 WebSocket clients: its peak RSS (target < 150 MB; baseline: its RSS
 *     before the clients);
 *  B. the all-in-one process (`perpetua start`: simulator, gateways, quoter, risk, router, dashboard):
 *     a quiet window, then the same clients for as long: RSS growth (target < 50 MB) and the quoter's
 *     tick-to-intent p99 from its histogram between scrapes (target: loaded ≤ 1.2 × quiet).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { WebSocket } from 'ws';
import { z } from 'zod';
import { NatsBus } from '@perpetua/bus';
import { subjects } from '@perpetua/core';
import { startNats } from '@perpetua/testkit';
import { bundle } from '../../cli/build/bundle.js';
import type { BenchOptions } from '../harness/bench-options.js';
import type { Figure } from '../harness/figure.js';
import { bucketDelta, histogramQuantile, observationCount, parseHistogramBuckets, type Buckets } from '../harness/histogram-quantile.js';
import { spawnReady } from '../pipeline/child-process.js';

const ROOT = resolve(import.meta.dirname, '../..');
const BUNDLE_DIR = resolve(ROOT, '.tmp', 'bench-dashboard-bundle');
const CLIENTS = 50;
const TICK_TO_INTENT = 'perpetua_quoter_tick_to_intent_seconds';
const VENUES = ['binanceusdm', 'bybit', 'okx', 'standx', 'grvt'];

const rssMb = (pid: number): number => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `n` WebSocket clients reading every frame. */
function clients(url: string, n: number): { close: () => void; frames: () => number } {
  let frames = 0;
  const sockets = Array.from({ length: n }, () => {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/ws`);
    ws.on('message', () => void frames++);
    ws.on('error', () => undefined);
    return ws;
  });
  return { close: () => sockets.forEach((s) => s.close()), frames: () => frames };
}

/** RSS once a second for `seconds` (a measurement's sampling rate, not a wait). */
async function sampleRss(pid: number, seconds: number): Promise<{ peak: number; mean: number }> {
  const values: number[] = [];
  for (let i = 0; i < seconds; i++) {
    values.push(rssMb(pid));
    await pause(1_000);
  }
  return { peak: Math.max(...values), mean: values.reduce((a, b) => a + b, 0) / values.length };
}

const Ready = z.object({ event: z.literal('ready'), url: z.string() });
const DashboardLine = z.object({ event: z.literal('dashboard'), url: z.string() });

async function serviceUnderLoad(entry: string, seconds: number, log: (l: string) => void): Promise<Figure> {
  const nats = await startNats();
  const bus = await NatsBus.connect({ url: nats.url, name: 'bench-dashboard-load' });
  const dash = await spawnReady('dashboard', process.execPath, [entry, 'dashboard'], Ready, { NATS_URL: nats.url, PERPETUA_DASHBOARD__PORT: '0', PERPETUA_TELEMETRY__LOG_LEVEL: 'warn' }, ROOT, 90_000);
  let seq = 0;
  const pump = setInterval(() => {
    const now = Date.now();
    for (const venue of VENUES)
      for (const symbol of ['BTC-PERP', 'ETH-PERP']) {
        const mid = (symbol === 'BTC-PERP' ? 100_000 : 3_000) * (1 + Math.sin(now / 10_000 + venue.length) * 0.001);
        const levels = (side: 1 | -1) => Array.from({ length: 20 }, (_, i) => [mid + side * (i + 1) * 0.5, 0.1 + i * 0.01] as [number, number]);
        bus.publish(subjects.book(venue, symbol), { venue, symbol, seq: ++seq, bids: levels(-1), asks: levels(1), tsExchange: now - 3, tsReceived: now - 1, tsPublished: now, stale: false });
      }
  }, 100);
  try {
    await pause(5_000);
    const before = rssMb(dash.pid);
    const c = clients(dash.ready.url, CLIENTS);
    const s = await sampleRss(dash.pid, seconds);
    const frames = c.frames();
    c.close();
    log(`dashboard service: RSS ${before.toFixed(0)} MB before, peak ${s.peak.toFixed(0)} MB with ${CLIENTS} clients for ${seconds} s (${frames} frames received)`);
    return {
      name: 'dashboard.service.rss',
      label: `dashboard service on NATS, ${CLIENTS} WebSocket clients, peak RSS (baseline: before the clients)`,
      unit: 'MB',
      ours: +s.peak.toFixed(1),
      baseline: +before.toFixed(1),
      ratio: +(s.peak / before).toFixed(3),
      better: 'lower',
      spread: 0,
      target: '< 150 MB',
      met: s.peak < 150,
      note: `${frames} frames to the clients in ${seconds} s`,
    };
  } finally {
    clearInterval(pump);
    await dash.stop();
    await bus.close();
    await nats.stop();
  }
}

async function scrape(url: string): Promise<Buckets> {
  const res = await fetch(`${url}/metrics`);
  return parseHistogramBuckets(await res.text(), TICK_TO_INTENT);
}

async function allInOneUnderLoad(entry: string, seconds: number, log: (l: string) => void): Promise<Figure[]> {
  const proc = await spawnReady('start', process.execPath, [entry, 'start', '--json'], DashboardLine, { PERPETUA_DASHBOARD__PORT: '0', PERPETUA_TELEMETRY__LOG_LEVEL: 'warn' }, ROOT, 120_000);
  try {
    const url = proc.ready.url;
    await pause(10_000); // gateways connected and quoting before the quiet window opens
    const s0 = await scrape(url);
    const quiet = await sampleRss(proc.pid, seconds);
    const s1 = await scrape(url);
    const c = clients(url, CLIENTS);
    const loaded = await sampleRss(proc.pid, seconds);
    const s2 = await scrape(url);
    const frames = c.frames();
    c.close();
    const quietWindow = bucketDelta(s1, s0);
    const loadedWindow = bucketDelta(s2, s1);
    const p99Quiet = histogramQuantile(quietWindow, 0.99);
    const p99Loaded = histogramQuantile(loadedWindow, 0.99);
    if (p99Quiet === undefined || p99Loaded === undefined) throw new Error(`all-in-one: no quote sets caused by books in a window (quiet ${observationCount(quietWindow)}, loaded ${observationCount(loadedWindow)})`);
    const growth = loaded.peak - quiet.peak;
    log(`all-in-one: RSS peak ${quiet.peak.toFixed(0)} MB quiet, ${loaded.peak.toFixed(0)} MB with ${CLIENTS} clients (${frames} frames)`);
    log(`all-in-one: quoter tick-to-intent p99 ${(p99Quiet * 1e3).toFixed(3)} ms quiet (${observationCount(quietWindow)} sets), ${(p99Loaded * 1e3).toFixed(3)} ms loaded (${observationCount(loadedWindow)} sets)`);
    return [
      {
        name: 'dashboard.allinone.rss',
        label: `npm start with ${CLIENTS} dashboard WebSocket clients, peak RSS (baseline: the same process, quiet window)`,
        unit: 'MB',
        ours: +loaded.peak.toFixed(1),
        baseline: +quiet.peak.toFixed(1),
        ratio: +(loaded.peak / quiet.peak).toFixed(3),
        better: 'lower',
        spread: 0,
        target: 'growth < 50 MB',
        met: growth < 50,
        note: `grew ${growth.toFixed(1)} MB; ${frames} frames to the clients in ${seconds} s`,
      },
      {
        name: 'dashboard.allinone.tick_to_intent_p99',
        label: `npm start: quoter tick-to-intent p99 with ${CLIENTS} dashboard clients (baseline: quiet window)`,
        unit: 'µs',
        ours: +(p99Loaded * 1e6).toFixed(1),
        baseline: +(p99Quiet * 1e6).toFixed(1),
        ratio: +(p99Loaded / p99Quiet).toFixed(3),
        better: 'lower',
        spread: 0,
        target: 'ratio < 1.2',
        met: p99Loaded / p99Quiet < 1.2,
        note: `from the ${TICK_TO_INTENT} histogram (1.25x buckets, interpolated) between scrapes; ${observationCount(quietWindow)} and ${observationCount(loadedWindow)} quote sets`,
      },
    ];
  } finally {
    await proc.stop();
  }
}

export async function dashboardLoadFigures(opts: BenchOptions, log: (line: string) => void): Promise<Figure[]> {
  const seconds = opts.quick ? 15 : 60;
  const built = await bundle(BUNDLE_DIR);
  log(`dashboard load: bundled in ${built.ms} ms; ${CLIENTS} clients, ${seconds} s windows`);
  const service = await serviceUnderLoad(built.entry, seconds, log);
  return [service, ...(await allInOneUnderLoad(built.entry, seconds, log))];
}
