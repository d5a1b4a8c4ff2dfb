import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium, type Browser, type Page } from 'playwright-core';
import { SimReady } from '@perpetua/sim/ready';

export const ROOT = resolve(import.meta.dirname, '../../..');
/** Screenshots of every page in both languages (git-ignored). */
export const SHOTS = join(ROOT, 'test-results/dashboard');

export interface Proc {
  proc: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  stop(): Promise<void>;
}

/** Spawns `perpetua <args>` and resolves once a stdout line satisfies `ready`. */
export function spawnPerpetua(args: string[], env: NodeJS.ProcessEnv, ready: (line: string) => boolean, timeoutMs = 120_000): Promise<Proc> {
  const proc = spawn(process.execPath, [join(ROOT, 'bin/perpetua.mjs'), ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  const stop = async () => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    proc.kill('SIGTERM');
    const t = setTimeout(() => proc.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(t);
  };
  return new Promise((done, fail) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      fail(new Error(`perpetua ${args.join(' ')} not ready in ${timeoutMs} ms: ${err.slice(-3000)}`));
    }, timeoutMs);
    void exited.then(() => fail(new Error(`perpetua ${args.join(' ')} exited before ready: ${err.slice(-3000)}`)));
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      out += `${line}\n`;
      if (ready(line)) {
        clearTimeout(timer);
        done({ proc, stdout: () => out, stderr: () => err, stop });
      }
    });
  });
}

export interface Stack {
  sim: Proc;
  simReady: SimReady;
  app: Proc;
  url: string;
  configFile: string;
  stop(): Promise<void>;
}

/**
 * The all-in-one process (`perpetua start`) trading live on a simulator run as
 * its own process, so the test can ask the simulator which of our orders rest.
 */
export async function startStack(env: NodeJS.ProcessEnv = {}, configYaml = ''): Promise<Stack> {
  let simReady: SimReady | undefined;
  const sim = await spawnPerpetua(['sim', '--seed', '11'], {}, (line) => {
    const r = SimReady.safeParse(safeJson(line));
    if (r.success) simReady = r.data;
    return r.success;
  });
  const dir = mkdtempSync(join(tmpdir(), 'perpetua-browser-'));
  const configFile = join(dir, 'perpetua.yaml');
  writeFileSync(configFile, configYaml, { mode: 0o600 });
  let url = '';
  const app = await spawnPerpetua(
    ['start', '--json', '--config', configFile],
    { PERPETUA_SIM__ADMIN: simReady!.admin!, PERPETUA_TRADING__MODE: 'live', PERPETUA_DASHBOARD__PORT: '0', PERPETUA_TELEMETRY__LOG_LEVEL: 'info', ...env },
    (line) => {
      const j = safeJson(line) as { event?: string; url?: string } | undefined;
      if (j?.event === 'dashboard' && typeof j.url === 'string') url = j.url;
      return url !== '';
    },
  );
  return {
    sim,
    simReady: simReady!,
    app,
    url,
    configFile,
    async stop() {
      await app.stop();
      await sim.stop();
    },
  };
}

function safeJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

/** Our orders resting on the simulated Binance USD-M, asked through its signed REST API. */
export async function openOrdersOnSim(ready: SimReady): Promise<number> {
  const v = ready.venues.binanceusdm;
  if (!v || v.protocol !== 'binanceusdm') throw new Error('the simulator serves no binanceusdm');
  const query = `timestamp=${Date.now()}&recvWindow=10000`;
  const signature = createHmac('sha256', v.credentials.secret).update(query).digest('hex');
  const res = await fetch(`${v.rest}/fapi/v1/openOrders?${query}&signature=${signature}`, { headers: { 'X-MBX-APIKEY': v.credentials.apiKey } });
  if (!res.ok) throw new Error(`openOrders: ${res.status} ${await res.text()}`);
  return ((await res.json()) as unknown[]).length;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** Every console error and every request to a host other than the dashboard's, for one page. */
export function watchPage(page: Page, base: string): { errors: string[]; foreign: string[] } {
  const host = new URL(base).host;
  const w = { errors: [] as string[], foreign: [] as string[] };
  page.on('console', (m) => {
    if (m.type() === 'error') w.errors.push(m.text());
  });
  page.on('pageerror', (e) => w.errors.push(e.message));
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.protocol !== 'data:' && u.host !== host) w.foreign.push(r.url());
  });
  return w;
}

export const PAGES = ['overview', 'arbitrage', 'venues', 'market-maker', 'configuration', 'controls'] as const;
