import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { Fill, D, dec, subjects, toText, type Decimal } from '@perpetua/core';
import { NatsBus } from '@perpetua/bus';
import { RedisStateStore } from '@perpetua/state';
import { startNats, startRedis, findBinary, holdsFor, uniquePrefix, waitUntil, type TestServer } from '@perpetua/testkit';

/**
 * Acceptance for the walking skeleton: gateway, quoter, risk and order-router
 * as four separate processes on real nats-server and redis-server. Fills reach
 * Redis exactly once; a router killed with SIGKILL and restarted loses no fill
 * and counts none twice.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/perpetua.mjs');
const Ready = z.object({ event: z.literal('ready'), service: z.string(), http: z.string().url(), pid: z.number() });

interface Child {
  name: string;
  proc: ChildProcess;
  ready: z.infer<typeof Ready>;
  stderr: () => string;
}

let nats: TestServer;
let redis: TestServer;
let dir: string;
let prefix: string;
const children: Child[] = [];

function spawnService(name: string, configFile: string): Promise<Child> {
  const proc = spawn(process.execPath, [BIN, 'service', name, '--config', configFile], {
    cwd: ROOT,
    env: { ...process.env, NATS_URL: nats.url, REDIS_URL: redis.url, PERPETUA_REDIS__KEY_PREFIX: prefix },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => {
    err = (err + d.toString()).slice(-20_000);
  });
  return new Promise((resolveChild, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} not ready in 20 s: ${err}`)), 20_000);
    proc.once('exit', (code) => reject(new Error(`${name} exited with ${code}: ${err}`)));
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      const parsed = Ready.safeParse(safeJson(line));
      if (parsed.success) {
        clearTimeout(timer);
        const child = { name, proc, ready: parsed.data, stderr: () => err };
        children.push(child);
        resolveChild(child);
      }
    });
  });
}

function safeJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

async function stopChild(c: Child, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (c.proc.exitCode !== null || c.proc.signalCode !== null) return;
  const exited = new Promise((r) => c.proc.once('exit', r));
  c.proc.kill(signal);
  const timer = setTimeout(() => c.proc.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Every fill stored in the FILLS stream, read with a fresh durable consumer. */
async function streamFills(bus: NatsBus, expectedAtLeast: number): Promise<Fill[]> {
  const fills: Fill[] = [];
  const sub = await bus.consumeDurable('fills', `audit-${Date.now()}`, Fill, async (f) => void fills.push(f));
  try {
    await waitUntil(() => fills.length >= expectedAtLeast, 5_000, () => `the stream's fills (${fills.length} of at least ${expectedAtLeast})`, 50);
    // The stream is quiet once the services are stopped: any fill beyond those booked shows up within this window
    // (one the audit below would count as booked none or twice).
    const n = fills.length;
    await holdsFor(() => fills.length === n, 300, () => `no more fills in the stream than the ${n} read (now ${fills.length})`);
  } finally {
    sub.unsubscribe();
  }
  return fills;
}

beforeAll(async () => {
  [nats, redis] = await Promise.all([startNats(), startRedis()]);
  dir = mkdtempSync(join(tmpdir(), 'perpetua-skeleton-'));
  prefix = `${uniquePrefix('skel')}:`;
}, 60_000);

afterAll(async () => {
  for (const c of children) await stopChild(c, 'SIGKILL');
  await nats?.stop();
  await redis?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('walking skeleton across processes', () => {
  it('books every fill exactly once, through a router crash', async () => {
    const configFile = join(dir, 'perpetua.yaml');
    // A busy paper market so fills come quickly.
    writeFileSync(
      configFile,
      ['venues:', '  paper:', '    kind: paper', '    stepMs: 50', '    volatilityBps: 2', '    tradesPerStep: 2', 'strategy:', '  venue: paper', '  params:', '    kind: fixed-spread', '    spreadBps: 1', "    size: '0.01'", 'telemetry:', '  logLevel: warn', ''].join('\n'),
    );
    const risk = await spawnService('risk', configFile);
    let router = await spawnService('order-router', configFile);
    await spawnService('quoter', configFile);
    await spawnService('gateway', configFile);

    const observer = await NatsBus.connect({ url: nats.url, name: 'test-observer' });
    const store = new RedisStateStore(redis.url, { prefix });
    try {
      const position = () => store.getPosition('paper', 'paper', 'BTC-PERP');
      await waitUntil(async () => ((await position())?.fills ?? 0) >= 5, 30_000, 'five fills booked in Redis', 200);

      // Every service exposes Prometheus metrics that promtool accepts.
      const promtool = findBinary('promtool');
      for (const c of children) {
        const text = await (await fetch(`${c.ready.http}/metrics`)).text();
        expect(text).toContain('perpetua_');
        if (promtool) execFileSync(promtool, ['check', 'metrics'], { input: text });
        expect((await fetch(`${c.ready.http}/healthz`)).status).toBe(200);
      }
      if (!promtool) console.warn('promtool not found: /metrics exposition NOT checked by promtool (apt-get install prometheus)');

      // Crash the router mid-run and start a new one.
      await stopChild(router, 'SIGKILL');
      const before = (await position())?.fills ?? 0;
      router = await spawnService('order-router', configFile);
      await waitUntil(async () => ((await position())?.fills ?? 0) >= before + 3, 30_000, 'fills after the router restart', 200);

      // Stop everything gracefully, then audit.
      for (const c of [...children].reverse()) await stopChild(c);
      const booked = (await position())!;
      const fills = await streamFills(observer, booked.fills);
      const ids = fills.map((f) => `${f.venue}:${f.fillId}`);
      expect(new Set(ids).size).toBe(ids.length); // the stream holds each fill once
      let signed: Decimal = D.ZERO;
      for (const f of fills) signed = f.side === 'buy' ? D.add(signed, dec(f.qty)) : D.sub(signed, dec(f.qty));
      expect(booked.fills).toBe(fills.length); // every stored fill booked, none twice
      expect(booked.qty).toBe(toText(signed)); // position = signed sum of fills
      const log = await store.fillLog('paper', 'paper', 'BTC-PERP');
      expect(new Set(log).size).toBe(log.length);
      expect(log.length).toBe(fills.length);

      // Replaying every fill (as a restarted router adopting its fills would) changes nothing.
      for (const f of fills) {
        const ack = await observer.publishDurable('fills', subjects.fill(f.venue, f.symbol), f, `${f.venue}:${f.fillId}`);
        expect(ack.duplicate).toBe(true);
        expect((await store.applyFill(f)).applied).toBe(false);
      }
      expect((await position())!.qty).toBe(toText(signed));
      expect(risk.proc.exitCode).toBe(0);
    } finally {
      await observer.close();
      await store.close();
    }
  }, 120_000);
});
