/**
 * Tick to order and service memory, from one run: a simulated Binance USD-M
 * (world + façade in this process), nats-server and redis-server, and the four
 * services as `perpetua service` child processes trading live on the façade.
 *
 * Latency: the router (telemetry.publishOrderTraces) publishes each sent order's
 * trace with its client order id; the façade's REST seam stamps each order's
 * arrival by newClientOrderId; joined, arrival − trace.venue is the tick to order.
 * trace.venue is ccxt's book timestamp, the depth message's `E`, which the façade
 * sets to the world's wall-clock time of the book change (one event-loop turn
 * before the frame is written), so the whole path is on this machine's clock.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { z } from 'zod';
import { patterns, RouterOrderTrace, routerOrderTraceSubject, subjects, type Trace } from '@perpetua/core';
import { createSimWorld, FaultInjector, SimFaultMetrics, startBinanceFacade, startSimAdmin, type BinanceFacade, type SimAdmin, type SimReady } from '@perpetua/sim';
import { startNats, startRedis, uniquePrefix, type TestServer } from '@perpetua/testkit';
import type { BenchOptions } from '../harness/bench-options.js';
import { median, spreadOf, type Figure } from '../harness/figure.js';
import { spawnReady, type ReadyProcess } from './child-process.js';
import { binanceOrderRequestKey, orderRequestKey, hopBreakdown, orderTiming, parseVmRssMb, percentile, percentiles, steadyTail, type OrderTiming } from './pipeline-stats.js';
import { relayLatencies } from './relay-baseline.js';
import { bundle } from '../../cli/build/bundle.js';

const ROOT = resolve(import.meta.dirname, '../..');
/** The services run from the production bundle (npm run build), built into .tmp/ for this run: what a deployment runs, without tsx. */
const BUNDLE_DIR = resolve(ROOT, '.tmp', 'bench-bundle');
const VENUE = 'binanceusdm';
const SYMBOL = 'BTC-PERP';
const SEED = 7;
const SERVICES = ['gateway', 'quoter', 'risk', 'order-router'] as const;
type ServiceName = (typeof SERVICES)[number];
/** Memory targets of the issue, MB: the gateway carries ccxt. */
const RSS_TARGET_MB: Record<ServiceName, number> = { gateway: 160, quoter: 80, risk: 80, 'order-router': 80 };

const ServiceReady = z.object({ event: z.literal('ready'), service: z.string(), venue: z.string(), http: z.string(), pid: z.number() });
type ServiceChild = ReadyProcess<z.infer<typeof ServiceReady>>;

interface Plan {
  /** Measurement window, after the warm-up. */
  windowMs: number;
  warmupMs: number;
  rssEveryMs: number;
  /** Longest the baseline may publish for. */
  baselineMaxMs: number;
}

const planFor = (opts: BenchOptions): Plan =>
  // Full: the services have run 5 minutes under the simulator when the window ends (warm-up + window).
  opts.quick ? { windowMs: 40_000, warmupMs: 5_000, rssEveryMs: 2_000, baselineMaxMs: 15_000 } : { windowMs: 290_000, warmupMs: 10_000, rssEveryMs: 5_000, baselineMaxMs: 20_000 };

const wait = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The simulator, as `perpetua sim` would run it but for one venue, with a recording hook on the façade's REST seam. */
interface BenchSim {
  admin: SimAdmin;
  /** Order request (client order id, price, qty) → façade arrival (epoch ms). */
  arrivals: Map<string, number>;
  close(): Promise<void>;
}

async function startBenchSim(): Promise<BenchSim> {
  const world = createSimWorld({ seed: SEED, clock: 'wall', stepMs: 100, venues: [VENUE] });
  const arrivals = new Map<string, number>();
  let facade: BinanceFacade | undefined;
  let admin: SimAdmin | undefined;
  // Admin only serves /ready to the services; no fault is attached to the façade, so the seam is ours.
  const faults = new FaultInjector({ world, metrics: new SimFaultMetrics() });
  const close = async () => {
    world.stop();
    faults.close();
    await admin?.close();
    await facade?.close();
  };
  try {
    facade = await startBinanceFacade({
      world,
      host: '127.0.0.1',
      tap: {
        rest: (req) => {
          const id = binanceOrderRequestKey(req.method, req.path, req.query, req.body);
          if (id !== undefined) arrivals.set(id, Date.now());
          return { kind: 'pass' };
        },
      },
    });
    const f = facade;
    const ready: SimReady = {
      event: 'ready',
      seed: SEED,
      venues: { [VENUE]: { protocol: 'binanceusdm', rest: f.restUrl, ws: f.wsUrl, credentials: { ...f.credentials, accountId: f.accountId } } },
    };
    admin = await startSimAdmin({ injector: faults, world, host: '127.0.0.1', port: 0, ready: () => ({ ...ready, admin: admin?.url }) });
    world.start(100);
    return { admin, arrivals, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** Sizes of the messages on the bus (bytes) and the routers' order traces. */
class BusTap {
  readonly sizes = { book: [] as number[], intent: [] as number[], command: [] as number[] };
  readonly traces = new Map<string, Trace>();
  invalidTraces = 0;

  private constructor(private readonly nc: NatsConnection) {}

  static async open(url: string): Promise<BusTap> {
    const tap = new BusTap(await connect({ servers: url, name: 'bench-pipeline-tap' }));
    const keep = (into: number[]) => (len: number) => void (into.length < 100_000 && into.push(len));
    tap.count(subjects.book(VENUE, SYMBOL), keep(tap.sizes.book));
    tap.count(patterns.allQuoteIntents, keep(tap.sizes.intent));
    tap.count(subjects.orderCommand(VENUE), keep(tap.sizes.command));
    const decoder = new TextDecoder();
    tap.nc.subscribe(routerOrderTraceSubject(VENUE), {
      callback: (err, msg) => {
        if (err) return;
        let raw: unknown;
        try {
          raw = JSON.parse(decoder.decode(msg.data));
        } catch {
          raw = undefined;
        }
        const parsed = RouterOrderTrace.safeParse(raw);
        const t = parsed.success ? parsed.data : undefined;
        if (t?.price !== undefined && t.qty !== undefined) tap.traces.set(orderRequestKey(t.clientOrderId, t.price, t.qty), t.trace);
        else tap.invalidTraces++;
      },
    });
    await tap.nc.flush();
    return tap;
  }

  private count(subject: string, add: (len: number) => void): void {
    this.nc.subscribe(subject, { callback: (err, msg) => void (err || add(msg.data.length)) });
  }

  close(): Promise<void> {
    return this.nc.close();
  }
}

function startService(entry: string, name: ServiceName, env: NodeJS.ProcessEnv, cpuProfDir: string | undefined): Promise<ServiceChild> {
  // --cpu-prof-dir: each service writes a V8 CPU profile into its own folder when it exits (after SIGTERM, not SIGKILL).
  const prof = cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', resolve(cpuProfDir, name)] : [];
  const args = [...prof, entry, 'service', name, ...(name === 'gateway' || name === 'order-router' ? ['--venue', VENUE] : [])];
  // Start-up on a loaded machine takes a while.
  return spawnReady(name, process.execPath, args, ServiceReady, env, ROOT, 90_000);
}

function readRssMb(pid: number): number | undefined {
  try {
    return parseVmRssMb(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return undefined; // gone
  }
}

interface PipelineRun {
  timings: Array<OrderTiming & { arrival: number }>;
  rss: Map<ServiceName, number[]>;
  sizes: { book: number; intent: number; command: number };
  windowSeconds: number;
  unmatched: number;
}

/** Runs the stack for the warm-up and the window; returns the joined order timings and RSS samples. */
async function runPipeline(entry: string, plan: Plan, nats: TestServer, redis: TestServer, log: (line: string) => void, cpuProfDir: string | undefined): Promise<PipelineRun> {
  const sim = await startBenchSim();
  let tap: BusTap | undefined;
  const children: ServiceChild[] = [];
  try {
    tap = await BusTap.open(nats.url);
    const env: NodeJS.ProcessEnv = {
      NATS_URL: nats.url,
      REDIS_URL: redis.url,
      PERPETUA_SIM__ADMIN: sim.admin.url,
      PERPETUA_SIM__SEED: String(SEED),
      // The simulator here serves Binance only: configure that one venue.
      PERPETUA_VENUES__BINANCEUSDM__KIND: 'ccxt',
      PERPETUA_VENUES__BINANCEUSDM__EXCHANGE: VENUE,
      // ccxt's own spacing (50 ms x weight 4 per Binance order) would be most of the figure; the engine is measured without it.
      PERPETUA_VENUES__BINANCEUSDM__ENABLE_RATE_LIMIT: 'false',
      PERPETUA_STRATEGY__VENUE: VENUE,
      PERPETUA_STRATEGY__SYMBOL: SYMBOL,
      PERPETUA_STRATEGY__ACCOUNT: 'demo',
      PERPETUA_TRADING__MODE: 'live',
      PERPETUA_REDIS__KEY_PREFIX: `${uniquePrefix('bench')}:`,
      PERPETUA_TELEMETRY__LOG_LEVEL: 'warn',
      PERPETUA_TELEMETRY__PUBLISH_ORDER_TRACES: 'true',
    };
    const t0 = Date.now();
    const started = await Promise.allSettled(SERVICES.map((s) => startService(entry, s, env, cpuProfDir)));
    for (const s of started) if (s.status === 'fulfilled') children.push(s.value);
    const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
    const traces = tap.traces;
    const joined = () => [...traces.keys()].some((id) => sim.arrivals.has(id));
    const deadline = Date.now() + 90_000;
    while (!joined()) {
      if (Date.now() > deadline) throw new Error(`no order went through the pipeline in 90 s (orders at the façade: ${sim.arrivals.size}, traces: ${traces.size}); router: ${children.find((c) => c.name === 'order-router')?.stderr().slice(-1_000) ?? ''}`);
      for (const c of children) if (readRssMb(c.pid) === undefined) throw new Error(`${c.name} died: ${c.stderr().slice(-2_000)}`);
      await wait(200);
    }
    log(`tick to order: quoting ${((Date.now() - t0) / 1000).toFixed(0)} s after spawning; warm-up ${plan.warmupMs / 1000} s, window ${plan.windowMs / 1000} s`);
    await wait(plan.warmupMs);

    const rss = new Map<ServiceName, number[]>(SERVICES.map((s) => [s, []]));
    const from = Date.now();
    const to = from + plan.windowMs;
    while (Date.now() < to) {
      for (const c of children) {
        const mb = readRssMb(c.pid);
        if (mb === undefined) throw new Error(`${c.name} died during the window: ${c.stderr().slice(-2_000)}`);
        rss.get(c.name as ServiceName)!.push(mb);
      }
      await wait(Math.min(plan.rssEveryMs, Math.max(0, to - Date.now())));
    }
    await wait(1_000); // traces of orders that arrived just before the end

    const timings: PipelineRun['timings'] = [];
    let unmatched = 0;
    for (const [id, arrival] of sim.arrivals) {
      if (arrival < from || arrival > to) continue;
      const trace = traces.get(id);
      const t = trace && orderTiming(trace, arrival);
      if (t) timings.push({ ...t, arrival });
      else unmatched++;
    }
    const med = (xs: number[]) => (xs.length > 0 ? median(xs) : 0);
    return {
      timings,
      rss,
      sizes: { book: med(tap.sizes.book), intent: med(tap.sizes.intent), command: med(tap.sizes.command) },
      windowSeconds: (to - from) / 1000,
      unmatched,
    };
  } finally {
    await Promise.all(children.map((c) => c.stop(10_000)));
    await tap?.close();
    await sim.close();
  }
}

/** A percentile of each third of the window (by arrival): the spread of a single run. */
function thirds(timings: PipelineRun['timings'], q: number): number[] {
  const sorted = [...timings].sort((a, b) => a.arrival - b.arrival);
  const n = Math.floor(sorted.length / 3);
  if (n === 0) return [percentile(sorted.map((t) => t.total), q)];
  return [0, 1, 2].map((i) => percentile(sorted.slice(i * n, i === 2 ? sorted.length : (i + 1) * n).map((t) => t.total), q));
}

const ms = (x: number) => x.toFixed(x >= 10 ? 1 : 2);

/** tick-to-order p50/p99/p99.9 against raw NATS relays, and each service's steady RSS against its target. */
export async function pipelineFigures(opts: BenchOptions, log: (line: string) => void): Promise<Figure[]> {
  const plan = planFor(opts);
  log('tick to order: nats-server, redis-server, simulator, 4 services');
  const nats = await startNats();
  let redis: TestServer | undefined;
  try {
    redis = await startRedis();
    const built = await bundle(BUNDLE_DIR);
    log(`tick to order: services bundled (npm run build) in ${built.ms} ms`);
    const run = await runPipeline(built.entry, plan, nats, redis, log, opts.cpuProfDir);
    if (run.timings.length < 20) throw new Error(`tick to order: only ${run.timings.length} orders joined to their traces in the window (${run.unmatched} unmatched)`);
    const ours = percentiles(run.timings.map((t) => t.total));
    const hops = hopBreakdown(run.timings);
    const rate = run.timings.length / run.windowSeconds;
    log(`tick to order: ${ours.n} orders (${rate.toFixed(1)}/s), ${run.unmatched} unmatched; p50 ${ms(ours.p50)} ms, p99 ${ms(ours.p99)} ms, p99.9 ${ms(ours.p999)} ms`);
    for (const h of hops) log(`  ${h.hop.padEnd(20)} p50 ${ms(h.p50).padStart(7)}  p99 ${ms(h.p99).padStart(7)}  p99.9 ${ms(h.p999).padStart(7)} ms`);

    // Baseline: as many messages at the same rate (faster if that would take longer than baselineMaxMs), the real sizes per hop.
    const { book, intent, command } = run.sizes;
    const sizes = [book, book, intent, command, command].map((s) => Math.max(8, Math.round(s)));
    const count = ours.n;
    const baseRate = Math.max(rate, count / (plan.baselineMaxMs / 1000));
    log(`tick to order baseline: 4 relay processes, ${count} messages at ${baseRate.toFixed(1)}/s, sizes ${sizes.join('/')} B`);
    const baseLat = await relayLatencies({ natsUrl: nats.url, subjectPrefix: `bench.relay.${uniquePrefix('r')}`, sizes, count, rate: baseRate, cwd: ROOT });
    const base = percentiles(baseLat);
    log(`tick to order baseline: p50 ${ms(base.p50)} ms, p99 ${ms(base.p99)} ms, p99.9 ${ms(base.p999)} ms`);

    const breakdown = hops.map((h) => `${h.hop} ${ms(h.p50)}/${ms(h.p99)}`).join(', ');
    const note =
      `${ours.n} orders in ${run.windowSeconds.toFixed(0)} s (${rate.toFixed(1)}/s), from the depth message's E (the simulator's book change) to the order request at the façade; ` +
      `gateway, quoter, risk and router each a process on one nats-server. Per hop, p50/p99 ms: ${breakdown}. ` +
      `'router.recv' is stamped when the router starts on a set, so waiting behind the set in progress counts in risk→router; ` +
      `router→façade holds, per slot and with the slots in parallel, one amend of the resting order (joined by client id, price and qty), or a cancel (awaited) then a new order; ` +
      `ccxt's own rate limiter is off for this run (enableRateLimit: false; at Binance's weights it would add ~50 ms x 4 per order). ` +
      `Baseline: 4 bare relay processes republishing raw bytes (${sizes.join('/')} B per hop) over 5 NATS hops, same count, ${baseRate.toFixed(0)}/s.`;
    const latencyFigure = (name: string, label: string, q: number, o: number, b: number, target: string, limit: number | null, withNote: boolean): Figure => ({
      name,
      label,
      unit: 'ms',
      ours: o,
      baseline: b,
      ratio: o / b,
      better: 'lower',
      spread: spreadOf(thirds(run.timings, q)),
      target,
      met: limit === null ? null : o / b <= limit,
      ...(withNote ? { note } : {}),
    });
    const figures: Figure[] = [
      latencyFigure('pipeline.tick_to_order.p50', 'tick to order (4 processes on NATS), p50', 0.5, ours.p50, base.p50, '<= 2x baseline', 2, true),
      latencyFigure('pipeline.tick_to_order.p99', 'tick to order (4 processes on NATS), p99', 0.99, ours.p99, base.p99, '<= 3x baseline', 3, false),
      latencyFigure('pipeline.tick_to_order.p999', 'tick to order (4 processes on NATS), p99.9', 0.999, ours.p999, base.p999, 'report', null, false),
    ];
    for (const s of SERVICES) {
      const samples = run.rss.get(s)!;
      const steady = steadyTail(samples);
      const target = RSS_TARGET_MB[s];
      figures.push({
        name: `memory.${s}`,
        label: `memory: ${s}${s === 'gateway' ? ' (ccxt)' : ''}, steady RSS after ${run.windowSeconds.toFixed(0)} s`,
        unit: 'MB',
        ours: steady,
        baseline: target,
        ratio: steady / target,
        better: 'lower',
        spread: spreadOf(samples.slice(Math.floor((samples.length * 2) / 3))),
        target: `<= ${target} MB`,
        met: steady <= target,
        ...(s === 'gateway'
          ? {
              note:
                `VmRSS of each service process, sampled every ${plan.rssEveryMs / 1000} s, the median of the last third of the window; the baseline column is the target. ` +
                'Services run from the bundle of npm run build (no tsx loader thread); the venue-facing ones load the one ccxt exchange they use (ccxt ~30 MB of it).',
            }
          : {}),
      });
    }
    return figures;
  } finally {
    await redis?.stop();
    await nats.stop();
  }
}
