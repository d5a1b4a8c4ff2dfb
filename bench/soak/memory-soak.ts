/**
 * `npm run soak:memory -- [--stack] [--minutes N] [--from-minute M] [--every S] [--write-docs]` (issue #26,
 * acceptance 3): runs `perpetua start` (the simulator and every service in one process, as `npm start` does,
 * under tsx) for N minutes (default 20), or with --stack the stack of separate processes (`perpetua stack up`
 * from the bundle of `npm run build`, as a container runs them), samples each process's RSS
 * (/proc/<pid>/status) and V8 heap in use (its /metrics) every S seconds (default 10), and judges growth
 * between minute M (default 5) and the end: the median of the minute from M against the median of the last
 * minute, both under 5%. With --stack each service's steady RSS (the last minute's median) is also held to
 * its target (80 MB; a gateway or router that loads ccxt, 120 MB). Prints the verdicts and text plots;
 * writes the samples to .tmp/soak-memory/; with --write-docs also docs/memory-soak[-stack].svg and the
 * soak block of docs/PERFORMANCE.md. Exit code 1 when a verdict is missed.
 *
 * No heap snapshot is taken during the run: writing one grows the process's RSS for good, which is exactly
 * what this measures.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { bundle } from '../../cli/build/bundle.js';
import { machineLine } from '../harness/report.js';
import { parseVmRssMb } from '../pipeline/pipeline-stats.js';
import { memoryGrowth, type GrowthVerdict, type MemorySample } from './memory-growth.js';
import { svgLineChart } from './svg-line-chart.js';
import { textLineChart } from './text-line-chart.js';
import { soakOptions, type SoakOptions } from './soak-options.js';
import { replaceDocBlock } from './doc-block.js';
import { rssTargetMb } from './rss-target.js';

const ROOT = resolve(import.meta.dirname, '../..');
const OUT_DIR = resolve(ROOT, '.tmp', 'soak-memory');
const BUNDLE_DIR = resolve(ROOT, '.tmp', 'soak-memory-bundle');
const STACK_DIR = resolve(ROOT, '.tmp', 'soak-memory-stack');
const LIMIT = 0.05;
const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf', '#000000', '#aec7e8'];
const log = (line: string) => process.stderr.write(`soak: ${line}\n`);
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One process under watch: its name, pid and /metrics URL. */
interface Watched {
  name: string;
  pid: number;
  metricsUrl: string;
}

interface Soaked {
  name: string;
  samples: MemorySample[];
  verdict: GrowthVerdict;
  /** Its RSS target in MB (stack mode), or undefined when it has none (the all-in-one process). */
  targetMb: number | undefined;
}

/** The log line `perpetua start` writes once every service runs, naming its /metrics URL. */
const StartedLine = z.object({ msg: z.literal('perpetua started (paper, in-process)'), metrics: z.string().url() });
const StackUp = z.object({
  event: z.literal('stack-up'),
  processes: z.array(z.object({ id: z.string(), pid: z.number(), http: z.string().optional() })),
});
const HEAP_USED = /^perpetua_nodejs_heap_size_used_bytes(?:\{[^}]*\})? ([0-9.e+]+)$/m;
const HEAP_LIVE = /^perpetua_nodejs_heap_live_bytes(?:\{[^}]*\})? ([0-9.e+]+)$/m;

/** Heap in use, and the live heap after the last major GC when reported (0 before the first: left out). */
async function heapMb(metricsUrl: string): Promise<{ used: number; live: number | undefined } | undefined> {
  try {
    const res = await fetch(metricsUrl, { signal: AbortSignal.timeout(5_000) });
    const text = await res.text();
    const used = HEAP_USED.exec(text);
    const live = Number(HEAP_LIVE.exec(text)?.[1] ?? 0);
    return used ? { used: Number(used[1]) / 2 ** 20, live: live > 0 ? live / 2 ** 20 : undefined } : undefined;
  } catch {
    return undefined; // a scrape that times out on a loaded machine skips one sample
  }
}

function rssMb(pid: number): number | undefined {
  try {
    return parseVmRssMb(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** `perpetua start` under tsx, as `npm start` runs it; resolves once its services run. */
async function startAllInOne(): Promise<{ watched: Watched[]; stop: () => Promise<void> }> {
  const proc = spawn(process.execPath, ['bin/perpetua.mjs', 'start'], {
    cwd: ROOT,
    // Any free port for the dashboard and the metrics, so a soak runs beside another `npm start`.
    env: { ...process.env, PERPETUA_DASHBOARD__PORT: '0', PERPETUA_TELEMETRY__HTTP_PORT: '0' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  process.once('exit', () => proc.kill('SIGKILL'));
  let tail = '';
  const metricsUrl = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`perpetua start not up in 120 s: ${tail}`)), 120_000);
    proc.once('exit', (code) => fail(new Error(`perpetua start exited (${code}) before it was up: ${tail}`)));
    createInterface({ input: proc.stderr! }).on('line', (line) => {
      tail = `${tail}${line}\n`.slice(-4_000);
      try {
        const started = StartedLine.safeParse(JSON.parse(line));
        if (started.success) {
          clearTimeout(timer);
          ok(started.data.metrics);
        }
      } catch {
        // not a JSON log line
      }
    });
  });
  return {
    watched: [{ name: 'perpetua start', pid: proc.pid!, metricsUrl: `${metricsUrl}` }],
    stop: async () => {
      proc.kill('SIGINT');
      await new Promise((r) => proc.once('exit', r));
    },
  };
}

/** `perpetua stack up` from the bundle: each service (and the simulator) its own process on nats-server and redis-server. */
async function startStack(): Promise<{ watched: Watched[]; stop: () => Promise<void> }> {
  const built = await bundle(BUNDLE_DIR);
  log(`bundled in ${built.ms} ms; perpetua stack up in ${STACK_DIR}`);
  const run = (args: string[]) => spawnSync(process.execPath, [built.entry, 'stack', ...args, '--dir', STACK_DIR], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
  const stop = async () => void run(['down']);
  process.once('exit', () => void run(['down']));
  const up = run(['up']);
  const line = up.stdout.split('\n').find((l) => l.includes('"stack-up"'));
  if (up.status !== 0 || !line) throw new Error(`perpetua stack up failed (${up.status}): ${up.stderr.slice(-2_000)}`);
  const state = StackUp.parse(JSON.parse(line));
  // The services; the simulator stands in for the venues (it has no heap metric either): its growth is soaked in
  // the all-in-one run, where it runs with everything else.
  const watched = state.processes
    .filter((p) => p.http !== undefined && !['nats', 'redis', 'prometheus', 'sim'].includes(p.id))
    .map((p) => ({ name: p.id, pid: p.pid, metricsUrl: `${p.http}/metrics` }));
  return { watched, stop };
}

async function soak(opts: SoakOptions): Promise<Soaked[]> {
  const { watched, stop } = opts.stack ? await startStack() : await startAllInOne();
  const t0 = Date.now();
  const end = t0 + opts.minutes * 60_000;
  log(`${watched.map((w) => `${w.name} (pid ${w.pid})`).join(', ')} up; sampling every ${opts.everySec} s for ${opts.minutes} min`);
  const samples = new Map<string, MemorySample[]>(watched.map((w) => [w.name, []]));
  let next = t0;
  try {
    while (Date.now() < end) {
      const heaps = await Promise.all(watched.map((w) => heapMb(w.metricsUrl)));
      const atSec = Math.round((Date.now() - t0) / 1000);
      watched.forEach((w, i) => {
        const rss = rssMb(w.pid);
        if (rss === undefined) throw new Error(`${w.name} (pid ${w.pid}) died after ${atSec} s`);
        const heap = heaps[i];
        if (heap !== undefined) samples.get(w.name)!.push({ atSec, rssMb: rss, heapMb: heap.used, ...(heap.live === undefined ? {} : { liveHeapMb: heap.live }) });
      });
      if (Math.round((next - t0) / 1000) % 300 === 0) log(`${atSec} s: ${watched.map((w) => `${w.name} ${samples.get(w.name)!.at(-1)?.rssMb.toFixed(0) ?? '-'} MB`).join(', ')}`);
      next += opts.everySec * 1000;
      await pause(Math.max(0, next - Date.now())); // the sampling period, not a wait for a condition
    }
  } finally {
    await stop();
  }
  return watched.map((w) => {
    const s = samples.get(w.name)!;
    return { name: w.name, samples: s, verdict: memoryGrowth(s, opts.fromMinute * 60, LIMIT), targetMb: opts.stack ? rssTargetMb(w.name) : undefined };
  });
}

/** The live heap (after a major GC) at the first such sample from `fromSec` and at the last: garbage apart, what grew. */
function liveHeap(samples: readonly MemorySample[], fromSec: number): string {
  const live = samples.filter((s) => s.atSec >= fromSec && s.liveHeapMb !== undefined);
  const [a, b] = [live[0]?.liveHeapMb, live.at(-1)?.liveHeapMb];
  return a === undefined || b === undefined ? '-' : `${a.toFixed(1)} → ${b.toFixed(1)} MB`;
}

const pct = (g: number): string => `${g >= 0 ? '+' : ''}${(g * 100).toFixed(1)}%`;
const steadyMet = (s: Soaked): boolean => s.targetMb === undefined || s.verdict.rss.toMb <= s.targetMb;

function report(opts: SoakOptions, soaked: readonly Soaked[], svgName: string): string {
  const what = opts.stack
    ? '`perpetua stack up` (from the bundle of `npm run build`: each service its own process on nats-server and redis-server, the simulator in its own)'
    : '`perpetua start` (simulator, five gateways, arbitrage detector, risk, router, quoter and dashboard in one process, under tsx as `npm start` runs it)';
  const rows = soaked.map((s) => {
    const v = s.verdict;
    const target = s.targetMb === undefined ? '-' : `≤ ${s.targetMb} MB`;
    const met = v.met && steadyMet(s) ? 'met' : 'MISSED';
    return `| ${s.name} | ${v.rss.fromMb.toFixed(1)} → ${v.rss.toMb.toFixed(1)} MB | ${pct(v.rss.growth)} | ${v.heap.fromMb.toFixed(1)} → ${v.heap.toMb.toFixed(1)} MB | ${pct(v.heap.growth)} | ${liveHeap(s.samples, opts.fromMinute * 60)} | ${target} | ${met} |`;
  });
  const plots = soaked.flatMap((s) => [
    `${s.name}: RSS (MB) over minutes`,
    textLineChart(s.samples.map((x) => ({ x: x.atSec / 60, y: x.rssMb })), { unit: 'MB', height: opts.stack ? 5 : 10 }),
    ...(opts.stack ? [] : ['', `${s.name}: V8 heap in use (MB) over minutes`, textLineChart(s.samples.map((x) => ({ x: x.atSec / 60, y: x.heapMb })), { unit: 'MB' })]),
    '',
  ]);
  return [
    `Last run: ${new Date().toISOString().slice(0, 10)}, \`npm run soak:memory --${opts.stack ? ' --stack' : ''} --minutes ${opts.minutes}\` on ${machineLine()}.`,
    `${what}, sampled every ${opts.everySec} s. Growth from the median of minute ${opts.fromMinute} to the median of the last minute (target < +5% for both):`,
    '',
    `| process | RSS, minute ${opts.fromMinute} → end | growth | V8 heap in use | growth | live heap after a full GC (not judged) | steady RSS target | |`,
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    `Plot: [${svgName}](${svgName}).`,
    '',
    '```text',
    ...plots,
    '```',
  ].join('\n');
}

async function main(): Promise<void> {
  const opts = soakOptions(process.argv.slice(2));
  const soaked = await soak(opts);
  const svgName = opts.stack ? 'memory-soak-stack.svg' : 'memory-soak.svg';
  mkdirSync(OUT_DIR, { recursive: true });
  writeFileSync(resolve(OUT_DIR, opts.stack ? 'stack-samples.json' : 'samples.json'), `${JSON.stringify({ machine: machineLine(), opts, soaked }, null, 2)}\n`);
  const text = report(opts, soaked, svgName);
  process.stdout.write(`${text}\n`);
  if (opts.writeDocs) {
    const series = soaked.flatMap((s, i) => [
      { name: opts.stack ? s.name : 'RSS', colour: COLOURS[i % COLOURS.length]!, points: s.samples.map((x) => ({ x: x.atSec / 60, y: x.rssMb })) },
      ...(opts.stack ? [] : [{ name: 'V8 heap in use', colour: COLOURS[1]!, points: s.samples.map((x) => ({ x: x.atSec / 60, y: x.heapMb })) }]),
    ]);
    const title = opts.stack ? `perpetua stack: RSS per process over ${opts.minutes} minutes` : `perpetua start: memory over ${opts.minutes} minutes`;
    writeFileSync(resolve(ROOT, 'docs', svgName), svgLineChart(series, { title, xLabel: 'minutes', yLabel: 'MB', height: opts.stack ? 480 : 360 }));
    replaceDocBlock(resolve(ROOT, 'docs/PERFORMANCE.md'), opts.stack ? 'soak:memory-stack' : 'soak:memory', text);
    log(`wrote docs/${svgName} and its block of docs/PERFORMANCE.md`);
  }
  const missed = soaked.filter((s) => !s.verdict.met || !steadyMet(s));
  log(missed.length === 0 ? 'every process met its targets' : `MISSED: ${missed.map((s) => s.name).join(', ')}`);
  process.exitCode = missed.length === 0 ? 0 : 1;
}

main().then(
  () => process.exit(),
  (err: unknown) => {
    log(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(2);
  },
);
