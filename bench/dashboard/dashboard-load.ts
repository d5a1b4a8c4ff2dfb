/**
 * Acceptance 5 of the dashboard issue, as a script (60 s per phase: too long for `npm test`):
 *   npx tsx bench/dashboard/dashboard-load.ts [--seconds 60] [--clients 50]
 * A. the dashboard service in its own process on NATS, fed by a synthetic publisher (books of
 *    four venues × two symbols at the gateways' pace, strategy stats, opportunities), with
 *    `--clients` WebSocket clients for `--seconds`: its peak RSS must stay under 150 MB;
 * B. the all-in-one process (`perpetua start`, live market data from the in-process simulator):
 *    its RSS with the same clients against its RSS over the same time without them (< 50 MB more).
 * Prints one JSON object per phase.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { WebSocket } from 'ws';
import { NatsBus } from '@perpetua/bus';
import { subjects } from '@perpetua/core';
import { startNats } from '@perpetua/testkit';

const ROOT = resolve(import.meta.dirname, '../..');
const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const SECONDS = arg('seconds', 60);
const CLIENTS = arg('clients', 50);

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

function spawnUntil(args: string[], env: NodeJS.ProcessEnv, match: (j: Record<string, unknown>) => string | undefined): Promise<{ proc: ChildProcess; value: string }> {
  const proc = spawn(process.execPath, [join(ROOT, 'bin/perpetua.mjs'), ...args], { cwd: ROOT, env: { ...process.env, PERPETUA_TELEMETRY__LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((done, fail) => {
    proc.once('exit', (c) => fail(new Error(`perpetua ${args.join(' ')} exited with ${c}`)));
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      try {
        const v = match(JSON.parse(line) as Record<string, unknown>);
        if (v !== undefined) done({ proc, value: v });
      } catch {
        // not JSON
      }
    });
  });
}

/** `n` WebSocket clients reading every frame; returns a closer and the frame count. */
function clients(url: string, n: number): { close: () => void; frames: () => number } {
  let frames = 0;
  const sockets = Array.from({ length: n }, () => {
    const ws = new WebSocket(`${url.replace('http', 'ws')}/ws`);
    ws.on('message', () => void frames++);
    ws.on('error', () => undefined);
    return ws;
  });
  return { close: () => sockets.forEach((s) => s.close()), frames: () => frames };
}

async function sample(pid: number, seconds: number): Promise<{ peak: number; mean: number }> {
  const values: number[] = [];
  for (let i = 0; i < seconds; i++) {
    values.push(rssMb(pid));
    await new Promise((r) => setTimeout(r, 1000));
  }
  return { peak: Math.max(...values), mean: values.reduce((a, b) => a + b, 0) / values.length };
}

async function phaseA(): Promise<void> {
  const nats = await startNats();
  const bus = await NatsBus.connect({ url: nats.url, name: 'dashboard-load' });
  const { proc, value: url } = await spawnUntil(['dashboard'], { NATS_URL: nats.url, PERPETUA_DASHBOARD__PORT: '0' }, (j) => (j.event === 'ready' ? String(j.url) : undefined));
  const venues = ['binanceusdm', 'bybit', 'standx', 'grvt'];
  let seq = 0;
  const pump = setInterval(() => {
    const now = Date.now();
    for (const venue of venues)
      for (const symbol of ['BTC-PERP', 'ETH-PERP']) {
        const mid = (symbol === 'BTC-PERP' ? 100_000 : 3_000) * (1 + Math.sin(now / 10_000 + venue.length) * 0.001);
        const levels = (side: 1 | -1) => Array.from({ length: 20 }, (_, i) => [mid + side * (i + 1) * 0.5, 0.1 + i * 0.01] as [number, number]);
        bus.publish(subjects.book(venue, symbol), { venue, symbol, seq: ++seq, bids: levels(-1), asks: levels(1), tsExchange: now - 3, tsReceived: now - 1, tsPublished: now, stale: false });
      }
  }, 100);
  const after = await (async () => {
    await new Promise((r) => setTimeout(r, 5000));
    const before = rssMb(proc.pid!);
    const c = clients(url, CLIENTS);
    const s = await sample(proc.pid!, SECONDS);
    const frames = c.frames();
    c.close();
    return { before, ...s, frames };
  })();
  clearInterval(pump);
  process.stdout.write(`${JSON.stringify({ phase: 'A: dashboard service on NATS', clients: CLIENTS, seconds: SECONDS, rssBeforeMb: +after.before.toFixed(1), rssPeakMb: +after.peak.toFixed(1), framesReceived: after.frames, limitMb: 150, pass: after.peak < 150 })}\n`);
  proc.kill('SIGTERM');
  await bus.close();
  await nats.stop();
}

async function phaseB(): Promise<void> {
  const { proc, value: url } = await spawnUntil(['start', '--json'], { PERPETUA_DASHBOARD__PORT: '0' }, (j) => (j.event === 'dashboard' ? String(j.url) : undefined));
  await new Promise((r) => setTimeout(r, 10_000)); // warm: gateways connected, quoting
  const quiet = await sample(proc.pid!, SECONDS);
  const c = clients(url, CLIENTS);
  const loaded = await sample(proc.pid!, SECONDS);
  const frames = c.frames();
  c.close();
  proc.kill('SIGTERM');
  const growth = loaded.peak - quiet.peak;
  process.stdout.write(`${JSON.stringify({ phase: 'B: all-in-one', clients: CLIENTS, seconds: SECONDS, rssQuietPeakMb: +quiet.peak.toFixed(1), rssLoadedPeakMb: +loaded.peak.toFixed(1), growthMb: +growth.toFixed(1), framesReceived: frames, limitMb: 50, pass: growth < 50 })}\n`);
}

await phaseA();
await phaseB();
process.exit(0);
