/**
 * Gateway ingest: venue messages per second one real gateway process
 * (`perpetua service gateway --venue X`) turns into published books, per venue
 * protocol, and its CPU per venue message, with the simulator pushing as fast as
 * one thread allows.
 *
 * The world and the venue's façade run in this process, stepped by pumpWorld;
 * the façade's outgoing frames are counted at its fault seam (FrameCountingInjector).
 * The gateway's books are counted on a real nats-server by a separate process, and
 * each process's CPU is read from /proc. Baseline, on the same façade and pump: a
 * bare WebSocket client process subscribed to the same streams that only
 * JSON.parses each frame, connected to the same façade at the same time, so both
 * are sent the same frames at the same speed (which moves with the machine's load).
 */
import { resolve } from 'node:path';
import { z } from 'zod';
import { subjects } from '@perpetua/core';
import { createSimWorld, FACADE_STARTERS, startSimAdmin, type RunningFacade, type SimAdmin, type SimReady, type SimWorldImpl } from '@perpetua/sim';
import { startNats, type TestServer } from '@perpetua/testkit';
import type { BenchOptions } from '../harness/bench-options.js';
import { median, spreadOf, type Figure } from '../harness/figure.js';
import { pumpWorld } from '../harness/pump-world.js';
import { spawnReady, type ReadyProcess } from '../pipeline/child-process.js';
import { CountingProcess } from './counting-process.js';
import type { CountReply } from './counting-source.js';
import { FrameCountingInjector } from './frame-counter.js';
import { bareSubscription } from './ingest-subscription.js';
import { coresBusy, cpuMicrosPerMessage, framesInRate, ingestRate, outRate, type IngestWindow } from './ingest-stats.js';
import { processCpuNs } from './process-cpu.js';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = resolve(ROOT, 'bin/perpetua.mjs');
const SEED = 1;
const SYMBOL = 'BTC-PERP';
/** A consumer is drained when its count has not moved for this long after the pump stopped. */
const QUIET_MS = 250;
const DRAIN_MAX_MS = 30_000;

interface Protocol {
  venue: string;
  /** How the gateway speaks it: through ccxt, or our own adapter. */
  via: 'ccxt' | 'native';
  /** Venue config for the gateway, as PERPETUA_VENUES__<VENUE>__* variables. */
  env: Record<string, string>;
  /** Book deltas on a timer (GRVT): the rate is the protocol's, not a throughput. */
  paced: boolean;
}

const PROTOCOLS: readonly Protocol[] = [
  { venue: 'binanceusdm', via: 'ccxt', env: { KIND: 'ccxt', EXCHANGE: 'binanceusdm' }, paced: false },
  { venue: 'bybit', via: 'ccxt', env: { KIND: 'ccxt', EXCHANGE: 'bybit' }, paced: false },
  { venue: 'okx', via: 'ccxt', env: { KIND: 'ccxt', EXCHANGE: 'okx' }, paced: false },
  { venue: 'standx', via: 'native', env: { KIND: 'standx' }, paced: false },
  { venue: 'grvt', via: 'native', env: { KIND: 'grvt' }, paced: true },
];

const GatewayReady = z.object({ event: z.literal('ready'), service: z.literal('gateway'), pid: z.number() });
type Gateway = ReadyProcess<z.infer<typeof GatewayReady>>;

const now = () => performance.timeOrigin + performance.now();
const wait = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** One venue of a world on the logical clock, its façade with the counting seam, and the admin API the gateway reads /ready from. */
interface IngestSim {
  world: SimWorldImpl;
  frames: FrameCountingInjector;
  facade: RunningFacade;
  admin: SimAdmin;
  close(): Promise<void>;
}

async function startIngestSim(venue: string): Promise<IngestSim> {
  // The logical clock, as the sim push figure: each step is 100 ms of market, so every step changes the book.
  const world = createSimWorld({ seed: SEED, venues: [venue], assets: ['BTC'] });
  const frames = new FrameCountingInjector({ world });
  let facade: RunningFacade | undefined;
  let admin: SimAdmin | undefined;
  const close = async () => {
    frames.close();
    await admin?.close();
    await facade?.close();
  };
  try {
    facade = await FACADE_STARTERS[venue]!(world, '127.0.0.1');
    facade.attachFaults(frames);
    const ready: SimReady = { event: 'ready', seed: SEED, venues: { [venue]: facade.descriptor } };
    admin = await startSimAdmin({ injector: frames, world, host: '127.0.0.1', port: 0, ready: () => ({ ...ready, admin: admin?.url }) });
    return { world, frames, facade, admin, close };
  } catch (err) {
    await close();
    throw err;
  }
}

function startGateway(p: Protocol, natsUrl: string, adminUrl: string, cpuProfDir: string | undefined): Promise<Gateway> {
  const key = p.venue.toUpperCase();
  const env: NodeJS.ProcessEnv = {
    NATS_URL: natsUrl,
    PERPETUA_SIM__ADMIN: adminUrl,
    // The simulator serves this one venue and BTC only: configure only those.
    ...Object.fromEntries(Object.entries({ ...p.env, SYMBOLS: `[${SYMBOL}]` }).map(([k, v]) => [`PERPETUA_VENUES__${key}__${k}`, v])),
    PERPETUA_STRATEGY__VENUE: p.venue,
    PERPETUA_TELEMETRY__LOG_LEVEL: 'warn',
  };
  // A folder per process: its main thread and tsx's loader thread each write a profile there (the larger is the main one).
  const prof = cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', resolve(cpuProfDir, `gateway-${p.venue}`)] : [];
  return spawnReady(`gateway ${p.venue}`, process.execPath, [...prof, BIN, 'service', 'gateway', '--venue', p.venue], GatewayReady, env, ROOT, 90_000);
}

/** Waits until every consumer's count stops moving (their backlogs are drained); returns their last counts. */
async function drained(consumers: readonly CountingProcess[]): Promise<CountReply[]> {
  const deadline = Date.now() + DRAIN_MAX_MS;
  let last = await Promise.all(consumers.map((c) => c.count()));
  for (;;) {
    await wait(QUIET_MS);
    const next = await Promise.all(consumers.map((c) => c.count()));
    if (next.every((c, i) => c.all === last[i]!.all) || Date.now() > deadline) return next;
    last = next;
  }
}

/** A consumer of the façade: the process whose CPU is read, what counts its output, and its connections to the façade. */
interface Consumer {
  pid: number;
  out: CountingProcess;
  owns: (connectionId: number) => boolean;
}

/** One window: reset the counters, pump the world for `ms`, wait for every consumer to drain, read everything. */
async function measureWindow(sim: IngestSim, consumers: readonly Consumer[], ms: number): Promise<Array<IngestWindow & { streams: string[] }>> {
  for (const c of consumers) c.out.reset();
  await Promise.all(consumers.map((c) => c.out.count())); // the resets have been applied once these answer
  sim.frames.reset();
  const cpu0 = consumers.map((c) => processCpuNs(c.pid));
  const startMs = now();
  await pumpWorld(sim.world, ms);
  const endMs = now();
  const frames = consumers.map((c) => sim.frames.read(c.owns));
  const counts = await drained(consumers.map((c) => c.out));
  const cpuReadMs = now();
  return consumers.map((c, i) => ({
    startMs,
    endMs,
    out: counts[i]!.count,
    lastOutMs: counts[i]!.lastAt,
    framesIn: frames[i]!.market,
    bookFramesIn: frames[i]!.book,
    streams: frames[i]!.streams,
    cpuNs: processCpuNs(c.pid) - cpu0[i]!,
    cpuReadMs,
  }));
}

interface ProtocolRun {
  ours: IngestWindow[];
  base: IngestWindow[];
  /** Stream names the façade sent the gateway, and the bare client, when they differ (the comparison is then not like for like). */
  streamMismatch: string | undefined;
}

/**
 * The bare client connects first, so every connection that appears after it is
 * the gateway's; both then consume the same frames at the same time, and the
 * source's speed (which moves with the machine's load) is the same for both.
 */
async function runProtocol(p: Protocol, nats: TestServer, books: CountingProcess, opts: BenchOptions): Promise<ProtocolRun> {
  const sim = await startIngestSim(p.venue);
  let gateway: Gateway | undefined;
  let bare: CountingProcess | undefined;
  try {
    const sub = bareSubscription(sim.facade.descriptor);
    bare = await CountingProcess.start({ source: 'ws', url: sub.url, subscribe: sub.subscribe, marker: sub.bookMarker }, ROOT);
    const firstFrames = async (what: string, has: () => Promise<boolean>) => {
      const deadline = Date.now() + 60_000;
      while (!(await has())) {
        if (Date.now() > deadline) throw new Error(`${what} in 60 s${gateway ? `: ${gateway.stderr().slice(-2_000)}` : ''}`);
        await pumpWorld(sim.world, 100);
        await wait(100);
      }
    };
    bare.reset();
    await firstFrames(`the bare client on ${p.venue} got no book frame`, async () => (await bare!.count()).count > 0);
    const bareIds = new Set(sim.frames.connectionIds());

    gateway = await startGateway(p, nats.url, sim.admin.url, opts.cpuProfDir);
    // The gateway has a book once it publishes one (ccxt waits for diffs before its snapshot).
    books.reset();
    await firstFrames(`gateway ${p.venue} published no book`, async () => (await books.count()).count > 0);

    const consumers: Consumer[] = [
      { pid: gateway.ready.pid, out: books, owns: (id) => !bareIds.has(id) },
      { pid: bare.pid, out: bare, owns: (id) => bareIds.has(id) },
    ];
    const ours: IngestWindow[] = [];
    const base: IngestWindow[] = [];
    let streamMismatch: string | undefined;
    for (let rep = 0; rep <= opts.repetitions; rep++) {
      const [g, b] = await measureWindow(sim, consumers, opts.windowMs);
      if (g!.streams.join() !== b!.streams.join()) streamMismatch = `gateway got [${g!.streams.join(', ')}], bare client [${b!.streams.join(', ')}]`;
      if (rep === 0) continue; // warm-up
      ours.push(g!);
      base.push(b!);
    }
    return { ours, base, streamMismatch };
  } finally {
    await gateway?.stop(10_000);
    await bare?.stop();
    await sim.close();
  }
}

const fmt = (x: number, digits = 0) => x.toLocaleString('en-US', { maximumFractionDigits: digits });
const pct = (x: number) => (x > 0 && x < 0.01 ? '<1%' : `${fmt(x * 100)}%`);

/** Venue messages ingested per second and CPU per venue message of one gateway process, per venue protocol, against a bare client. */
export async function gatewayIngestFigures(opts: BenchOptions, log: (line: string) => void): Promise<Figure[]> {
  const figures: Figure[] = [];
  const nats = await startNats();
  let books: CountingProcess | undefined;
  try {
    for (const p of PROTOCOLS) {
      await books?.stop();
      // One counter per protocol, on that venue's book subject only.
      books = await CountingProcess.start({ source: 'nats', url: nats.url, subject: subjects.book(p.venue, SYMBOL) }, ROOT);
      log(`gateway ingest: ${p.venue} (${p.via})`);
      const { ours, base, streamMismatch } = await runProtocol(p, nats, books, opts);
      if (streamMismatch) log(`  WARNING ${p.venue}: the baseline did not parse the same streams as the gateway: ${streamMismatch}`);
      const ingest = ours.map(ingestRate);
      const baseIngest = base.map(ingestRate);
      const cpu = ours.map(cpuMicrosPerMessage);
      const baseCpu = base.map(cpuMicrosPerMessage);
      const sent = median(ours.map(framesInRate));
      const published = median(ours.map(outRate));
      const bookShare = median(ours.map((w) => w.bookFramesIn / Math.max(1, w.framesIn)));
      const perBookFrame = median(ours.map((w) => w.out / Math.max(1, w.bookFramesIn)));
      const busy = median(ours.map(coresBusy));
      log(
        `  ${p.venue}: sent ${fmt(sent)} venue msg/s (${pct(bookShare)} books), ingested ${fmt(median(ingest))}/s, published ${fmt(published)} books/s ` +
          `(${fmt(perBookFrame * 100)}% of book frames), busy ${fmt(busy, 2)} cores, CPU ${fmt(median(cpu), 1)} µs/msg; ` +
          `bare client ingested ${fmt(median(baseIngest))}/s (${fmt(median(base.map(outRate)))} book frames/s), busy ${fmt(median(base.map(coresBusy)), 2)} cores, CPU ${fmt(median(baseCpu), 1)} µs/msg`,
      );
      const what = p.paced
        ? `${fmt(published)} books/s published: GRVT paces book deltas on a timer (100 ms, the gateway's subscription), so no rate is reported; the trades stream is most of the messages`
        : `${fmt(published)} books/s published on NATS, ${fmt(perBookFrame * 100)}% of the book frames` +
          (p.via === 'ccxt' ? " (ccxt's delivery loop drains the frames queued on the socket at once and the book watcher wakes once per drain, so books are coalesced)" : ' (one per book frame)');
      if (!p.paced)
        figures.push({
          name: `gateway.ingest.${p.venue}.rate`,
          label: `gateway ${p.venue} (${p.via}): venue msgs ingested/s, sim at full speed`,
          unit: 'msg/s',
          ours: median(ingest),
          baseline: median(baseIngest),
          ratio: median(ingest) / median(baseIngest),
          better: 'higher',
          spread: spreadOf(ingest),
          target: 'report',
          met: null,
          ...(p.venue === PROTOCOLS[0]!.venue
            ? {
                note:
                  'one `perpetua service gateway --venue X` process per protocol, on a real nats-server; the world and the façade step as fast as one thread allows in the bench process, and their market frames to the gateway are counted at the façade\'s fault seam. ' +
                  'Ingested = frames sent in the window / time until the last book was published (a backlog drained after the window counts), so ~1x means it keeps up with the source. ' +
                  'Baseline: a bare ws client process subscribed to the same streams (checked) that only JSON.parses each frame, connected at the same time, so both are sent the same frames. ' +
                  'CPU = the process\'s run time over all its threads (/proc/<pid>/task/*/schedstat) from the window start until drained, per venue message sent.',
              }
            : {}),
        });
      figures.push({
        name: `gateway.ingest.${p.venue}.cpu`,
        label: `gateway ${p.venue} (${p.via}): CPU per venue message`,
        unit: 'µs',
        ours: median(cpu),
        baseline: median(baseCpu),
        ratio: median(cpu) / median(baseCpu),
        better: 'lower',
        spread: spreadOf(cpu),
        target: 'report',
        met: null,
        note: `${fmt(sent)} venue msg/s sent (${pct(bookShare)} book frames, the rest trades, marks, tickers); ${what}; the gateway was ${fmt(busy * 100)}% busy (one core = 100%); at this cost one core would take ~${fmt(Math.round(1e6 / median(cpu) / 1000))}k msg/s.`,
      });
    }
    return figures;
  } finally {
    await books?.stop();
    await nats.stop();
  }
}
