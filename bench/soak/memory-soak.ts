/**
 * `npm run soak:memory -- [--minutes N] [--from-minute M] [--every S] [--write-docs]`: runs `perpetua start`
 * (the simulator and every service in one process, as `npm start` does) for N minutes (default 20), samples
 * its RSS (/proc/<pid>/status) and V8 heap in use (its /metrics) every S seconds (default 10), and judges
 * growth between minute M (default 5) and the end: the median of the minute from M against the median of
 * the last minute, both under 5% (issue #26, acceptance 3). Prints the verdict and a text plot; writes
 * the samples to .tmp/soak-memory/samples.json; with --write-docs also docs/memory-soak.svg and the
 * soak block of docs/PERFORMANCE.md. Exit code 1 when the growth is 5% or more.
 *
 * No heap snapshot is taken during the run: writing one doubles the process's RSS for good, which is
 * exactly what this measures.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { machineLine } from '../harness/report.js';
import { parseVmRssMb } from '../pipeline/pipeline-stats.js';
import { memoryGrowth, type GrowthVerdict, type MemorySample } from './memory-growth.js';
import { svgLineChart } from './svg-line-chart.js';
import { textLineChart } from './text-line-chart.js';
import { soakOptions, type SoakOptions } from './soak-options.js';
import { replaceDocBlock } from './doc-block.js';

const ROOT = resolve(import.meta.dirname, '../..');
const OUT_DIR = resolve(ROOT, '.tmp', 'soak-memory');
const LIMIT = 0.05;
const log = (line: string) => process.stderr.write(`soak: ${line}\n`);
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The log line `perpetua start` writes once every service runs, naming its /metrics URL. */
const StartedLine = z.object({ msg: z.literal('perpetua started (paper, in-process)'), metrics: z.string().url() });
const HEAP_USED = /^perpetua_nodejs_heap_size_used_bytes(?:\{[^}]*\})? ([0-9.e+]+)$/m;

async function heapUsedMb(metricsUrl: string): Promise<number | undefined> {
  try {
    const res = await fetch(metricsUrl, { signal: AbortSignal.timeout(5_000) });
    const m = HEAP_USED.exec(await res.text());
    return m ? Number(m[1]) / 2 ** 20 : undefined;
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

async function soak(opts: SoakOptions): Promise<{ samples: MemorySample[]; verdict: GrowthVerdict }> {
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
      tail = (tail + line + '\n').slice(-4_000);
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
  const pid = proc.pid!;
  const t0 = Date.now();
  const end = t0 + opts.minutes * 60_000;
  log(`perpetua start (pid ${pid}) up, metrics ${metricsUrl}; sampling every ${opts.everySec} s for ${opts.minutes} min`);
  const samples: MemorySample[] = [];
  let next = t0;
  while (Date.now() < end) {
    const [rss, heap] = [rssMb(pid), await heapUsedMb(metricsUrl)];
    if (rss === undefined) throw new Error(`perpetua start died after ${((Date.now() - t0) / 1000).toFixed(0)} s: ${tail}`);
    if (heap !== undefined) samples.push({ atSec: Math.round((Date.now() - t0) / 1000), rssMb: rss, heapMb: heap });
    if (samples.length % 30 === 0 && samples.length > 0) log(`${samples.at(-1)!.atSec} s: RSS ${rss.toFixed(0)} MB, heap ${heap?.toFixed(0)} MB`);
    next += opts.everySec * 1000;
    await pause(Math.max(0, next - Date.now())); // the sampling period, not a wait for a condition
  }
  proc.kill('SIGINT');
  await new Promise((r) => proc.once('exit', r));
  return { samples, verdict: memoryGrowth(samples, opts.fromMinute * 60, LIMIT) };
}

const pct = (g: number): string => `${g >= 0 ? '+' : ''}${(g * 100).toFixed(1)}%`;

function report(opts: SoakOptions, samples: readonly MemorySample[], v: GrowthVerdict): string {
  const mins = (s: MemorySample) => s.atSec / 60;
  const peak = Math.max(...samples.map((s) => s.rssMb));
  return [
    `Last run: ${new Date().toISOString().slice(0, 10)}, \`npm run soak:memory -- --minutes ${opts.minutes}\` on ${machineLine()}.`,
    `\`perpetua start\` (simulator, five gateways, arbitrage detector, risk, router, quoter, dashboard in one process, under tsx),`,
    `sampled every ${opts.everySec} s (${samples.length} samples). Growth from the median of minute ${opts.fromMinute} to the median of the last minute:`,
    '',
    '| series | minute ' + opts.fromMinute + ' | last minute | growth | target | |',
    '| --- | --- | --- | --- | --- | --- |',
    `| RSS | ${v.rss.fromMb.toFixed(1)} MB | ${v.rss.toMb.toFixed(1)} MB | ${pct(v.rss.growth)} | < +5% | ${v.rss.growth < LIMIT ? 'met' : 'MISSED'} |`,
    `| V8 heap in use | ${v.heap.fromMb.toFixed(1)} MB | ${v.heap.toMb.toFixed(1)} MB | ${pct(v.heap.growth)} | < +5% | ${v.heap.growth < LIMIT ? 'met' : 'MISSED'} |`,
    '',
    `Peak RSS ${peak.toFixed(0)} MB. Plot: [memory-soak.svg](memory-soak.svg).`,
    '',
    '```text',
    'RSS (MB) over minutes',
    textLineChart(samples.map((s) => ({ x: mins(s), y: s.rssMb })), { unit: 'MB' }),
    '',
    'V8 heap in use (MB) over minutes',
    textLineChart(samples.map((s) => ({ x: mins(s), y: s.heapMb })), { unit: 'MB' }),
    '```',
  ].join('\n');
}

async function main(): Promise<void> {
  const opts = soakOptions(process.argv.slice(2));
  const { samples, verdict } = await soak(opts);
  mkdirSync(OUT_DIR, { recursive: true });
  writeFileSync(resolve(OUT_DIR, 'samples.json'), `${JSON.stringify({ machine: machineLine(), opts, verdict, samples }, null, 2)}\n`);
  const text = report(opts, samples, verdict);
  process.stdout.write(`${text}\n`);
  if (opts.writeDocs) {
    const svg = svgLineChart(
      [
        { name: 'RSS', colour: '#1f77b4', points: samples.map((s) => ({ x: s.atSec / 60, y: s.rssMb })) },
        { name: 'V8 heap in use', colour: '#d62728', points: samples.map((s) => ({ x: s.atSec / 60, y: s.heapMb })) },
      ],
      { title: `perpetua start: memory over ${opts.minutes} minutes`, xLabel: 'minutes', yLabel: 'MB' },
    );
    writeFileSync(resolve(ROOT, 'docs/memory-soak.svg'), svg);
    replaceDocBlock(resolve(ROOT, 'docs/PERFORMANCE.md'), 'soak:memory', text);
    log('wrote docs/memory-soak.svg and the soak block of docs/PERFORMANCE.md');
  }
  log(`RSS ${pct(verdict.rss.growth)}, heap ${pct(verdict.heap.growth)} from minute ${opts.fromMinute}: ${verdict.met ? 'met' : 'MISSED'} (< 5%)`);
  process.exitCode = verdict.met ? 0 : 1;
}

main().then(
  () => process.exit(),
  (err: unknown) => {
    log(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(2);
  },
);
