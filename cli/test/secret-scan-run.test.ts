import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { SimReady } from '@perpetua/sim/ready';
import { displayMask } from '@perpetua/service-dashboard';
import { SecretScanner, describeFindings, waitUntil, type SeededSecret } from '@perpetua/testkit';
import { BIN, ROOT } from './run-cli.js';
import { spawnUntilReady, type ReadyChild } from './spawn-ready.js';

/**
 * Issue #27, acceptance 4: known secrets seeded in the environment and the
 * config file, a live run of `perpetua start` on the simulator (every venue's
 * router signs: arb execution is on), and everything the run emits scanned:
 * every log line at debug level, /metrics of every endpoint, every dashboard
 * route's answer, the WebSocket push, the pages and their scripts, a recording
 * made with `perpetua record`, and every file the runs wrote. The venues'
 * secrets are the simulator's demo accounts' (so signing succeeds and the
 * signing paths run), the dashboard token and Redis password are fakes.
 * The simulator's own output is the venue's side and is not scanned.
 */
const FAKE = {
  dashboardToken: 'DASHTOKEN-fake-7c1e9a3b5d2f4e6a8c0b9d1e',
  redisPassword: 'REDISPASS-fake-3b8d1f6a9c2e5b7d0a4f6e8c',
};

const MALFORMED_STANDX_KEY = '0lOI-Malformed-StandxKey-not-base58-7e9c1a3e';
const OUT_OF_RANGE_GRVT_KEY = `0x${'f'.repeat(56)}5eedbeef`;

/** The dashboard routes the scan requests that the OpenAPI document does not list: the pages and the docs. */
const PAGE_ROUTES = ['/', '/assets/{file}', '/docs', '/docs/docs.js', '/docs/openapi.json'];

interface Collected {
  where: string;
  content: string | Uint8Array;
}

interface AppRun {
  proc: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** `perpetua <args>` in `cwd`, all of its output kept. */
function spawnApp(args: string[], env: NodeJS.ProcessEnv, cwd: string): AppRun {
  const proc = spawn(process.execPath, [BIN, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  return { proc, stdout: () => out, stderr: () => err, exited };
}

/** A child's lines as JSON, where they are JSON. */
function jsonLines(text: string): Record<string, unknown>[] {
  return text.split('\n').flatMap((line) => {
    try {
      const v: unknown = JSON.parse(line);
      return typeof v === 'object' && v !== null ? [v as Record<string, unknown>] : [];
    } catch {
      return [];
    }
  });
}

/** The sum of a metric's samples in Prometheus text. */
function metricSum(text: string, name: string): number {
  let sum = 0;
  for (const m of text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'gm'))) sum += Number(m[1]);
  return sum;
}

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

/** The dashboard's route registrations, from its sources: `app.get('/x', ...)` → GET /x, `:name` as {name}. */
function registeredDashboardRoutes(): string[] {
  const dir = join(ROOT, 'services/dashboard/src');
  const routes = new Set<string>();
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.ts'))) {
    const text = readFileSync(join(dir, f), 'utf8');
    for (const m of text.matchAll(/\bapp\.(get|post|put|delete|patch)\s*(?:<[^>]*>)?\(\s*['`]([^'`]+)['`]/g)) {
      routes.add(`${m[1]!.toUpperCase()} ${m[2]!.replace(/:(\w+)/g, '{$1}').replace(/\$\{(\w+)\}/g, '{$1}')}`);
    }
  }
  return [...routes].sort();
}

const samePath = (pattern: string, path: string): boolean => new RegExp(`^${pattern.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{\w+\}/g, '[^/]+')}$`).test(path);

describe('secret scan of a running stack', () => {
  let sim: ReadyChild<SimReady>;
  let app: AppRun | undefined;
  let work: string;
  let configFile: string;
  let seeded: SeededSecret[];
  let env: NodeJS.ProcessEnv;
  const collected: Collected[] = [];
  const frames: string[] = [];

  beforeAll(async () => {
    sim = await spawnUntilReady(['sim', '--seed', '11'], SimReady, {}, 60_000);
    const v = sim.ready.venues;
    const cred = <P extends string>(venue: string, protocol: P) => {
      const d = v[venue];
      if (d?.protocol !== protocol) throw new Error(`the simulator serves no ${venue}`);
      return d as Extract<SimReady['venues'][string], { protocol: P }>;
    };
    const binance = cred('binanceusdm', 'binanceusdm').credentials;
    const bybit = cred('bybit', 'bybit').credentials;
    const okx = cred('okx', 'okx').credentials;
    const standx = cred('standx', 'standx').credentials;
    const grvt = cred('grvt', 'grvt').credentials;
    const envSecrets: Record<string, string> = {
      PERPETUA_VENUES__BINANCEUSDM__API_KEY: binance.apiKey,
      PERPETUA_VENUES__BINANCEUSDM__SECRET: binance.secret,
      PERPETUA_VENUES__STANDX__TOKEN: standx.token,
      PERPETUA_VENUES__STANDX__PRIVATE_KEY: standx.privateKey,
      PERPETUA_VENUES__GRVT__API_KEY: grvt.apiKey,
      PERPETUA_VENUES__GRVT__SIGNER_PRIVATE_KEY: grvt.signerPrivateKey,
      PERPETUA_DASHBOARD__TOKEN: FAKE.dashboardToken,
      PERPETUA_REDIS__PASSWORD: FAKE.redisPassword,
    };
    const fileSecrets = { 'bybit apiKey': bybit.apiKey, 'bybit secret': bybit.secret, 'okx apiKey': okx.apiKey, 'okx secret': okx.secret, 'okx password': okx.password };
    seeded = [...Object.entries(envSecrets).map(([name, value]) => ({ name: `${name} (env)`, value })), ...Object.entries(fileSecrets).map(([name, value]) => ({ name: `${name} (config file)`, value }))];

    work = mkdtempSync(join(tmpdir(), 'perpetua-secret-scan-'));
    mkdirSync(join(work, 'home'));
    configFile = join(work, 'perpetua.yaml');
    const yaml = [
      'venues:',
      `  bybit: { apiKey: ${bybit.apiKey}, secret: ${bybit.secret} }`,
      `  okx: { apiKey: ${okx.apiKey}, secret: ${okx.secret}, password: ${okx.password} }`,
      '  binanceusdm: {}',
      '  standx: {}',
      '  grvt: {}',
      '',
    ].join('\n');
    writeFileSync(configFile, yaml, { mode: 0o600 });
    // The bus and Redis of the machine running the tests stay out of it: everything in-process.
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(NATS_URL|REDIS_URL|PERPETUA_)/.test(k)));
    env = {
      ...inherited,
      HOME: join(work, 'home'),
      PERPETUA_SIM__ADMIN: sim.ready.admin!,
      PERPETUA_TRADING__MODE: 'live',
      PERPETUA_ARB__EXECUTE: 'true',
      PERPETUA_DASHBOARD__PORT: '0',
      PERPETUA_TELEMETRY__LOG_LEVEL: 'debug',
      ...envSecrets,
    };
  }, 90_000);

  afterAll(async () => {
    if (app && app.proc.exitCode === null && app.proc.signalCode === null) {
      app.proc.kill('SIGKILL');
      await app.exited;
    }
    await sim?.stop();
  }, 60_000);

  it('finds no seeded secret in any log line, metric, API answer, WebSocket frame, page, recording or file of a live run', async () => {
    const run = spawnApp(['start', '--json', '--config', configFile], env, work);
    app = run;
    const lines = () => jsonLines(run.stdout());
    const logs = () => jsonLines(run.stderr());
    await waitUntil(() => lines().some((l) => l.event === 'dashboard') && logs().some((l) => typeof l.metrics === 'string') || run.proc.exitCode !== null, 120_000, () => `the dashboard and the metrics endpoint: ${run.stderr().slice(-2000)}`);
    expect(run.proc.exitCode, run.stderr().slice(-3000)).toBeNull();
    const dash = String(lines().find((l) => l.event === 'dashboard')!.url);
    const metricsUrl = String(logs().find((l) => typeof l.metrics === 'string')!.metrics);
    const bearer = { authorization: `Bearer ${FAKE.dashboardToken}` };

    const ws = new WebSocket(`${dash.replace('http', 'ws')}/ws`, { headers: bearer });
    ws.on('message', (d) => frames.push(String(d)));

    // Trading on the simulator: quotes placed and filled through the signed venue APIs.
    let metricsText = '';
    await waitUntil(
      async () => {
        metricsText = await (await fetch(metricsUrl)).text();
        return metricSum(metricsText, 'perpetua_router_orders_placed_total') > 0 && metricSum(metricsText, 'perpetua_router_fills_total') > 0;
      },
      120_000,
      () => `quotes and fills (placed ${metricSum(metricsText, 'perpetua_router_orders_placed_total')}, fills ${metricSum(metricsText, 'perpetua_router_fills_total')}): ${run.stderr().slice(-2000)}`,
      250,
    );
    collected.push({ where: `GET ${metricsUrl} (services)`, content: metricsText });

    const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = bearer): Promise<Response> => {
      const res = await fetch(`${dash}${path}`, { method, headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      const bytes = new Uint8Array(await res.clone().arrayBuffer());
      const head: string[] = [];
      res.headers.forEach((value, name) => head.push(`${name}: ${value}`));
      collected.push({ where: `${method} ${path} → ${res.status}`, content: bytes }, { where: `${method} ${path} headers`, content: head.join('\n') });
      return res;
    };

    // The pages: the app's HTML, every script and stylesheet it loads (and they load), the API docs.
    const assets = new Set<string>();
    const pending = ['/'];
    while (pending.length > 0) {
      const path = pending.pop()!;
      const text = await (await call('GET', path)).text();
      for (const m of text.matchAll(/\/assets\/[\w.-]+/g)) if (!assets.has(m[0])) assets.add(m[0]), pending.push(m[0]);
    }
    expect(assets.size).toBeGreaterThan(0);
    for (const p of ['/docs', '/docs/docs.js']) await call('GET', p);
    const spec = (await (await call('GET', '/docs/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };

    // Every route the dashboard registers is requested: the OpenAPI document's and the pages.
    const requested = new Set<string>([...PAGE_ROUTES.map((p) => `GET ${p}`), ...Object.entries(spec.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`))]);
    // A registration may name a segment by a variable (`/${verb}`): it matches either way round.
    const covers = (q: string, r: string) => q.split(' ')[0] === r.split(' ')[0] && (samePath(q.split(' ')[1]!, r.split(' ')[1]!) || samePath(r.split(' ')[1]!, q.split(' ')[1]!));
    const unlisted = registeredDashboardRoutes().filter((r) => ![...requested].some((q) => covers(q, r)));
    expect(unlisted, 'dashboard routes the scan does not request').toEqual([]);

    // The configuration page's data: file secrets shown masked, and kept in the file through an edit that sends the masks back.
    const shown = (await (await call('GET', '/api/config')).json()) as { venues: Record<string, Record<string, unknown>> };
    const bybitSeeded = seeded.filter((s) => s.name.startsWith('bybit '));
    expect(shown.venues.bybit).toMatchObject({ apiKey: displayMask(bybitSeeded[0]!.value), secret: displayMask(bybitSeeded[1]!.value) });
    expect(shown.venues.okx).toMatchObject({ password: displayMask(seeded.find((s) => s.name.startsWith('okx password'))!.value) });
    const put = await call('PUT', '/api/config/venues/bybit', { ...shown.venues.bybit, kind: 'ccxt', exchange: 'bybit' });
    expect(put.status).toBe(200);

    const id = 'mm-btc';
    for (const [path, ops] of Object.entries(spec.paths)) {
      const concrete = path.replace('{name}', 'no-such-venue').replace('{id}', id);
      for (const method of Object.keys(ops).map((m) => m.toUpperCase())) {
        if (path === '/ws' || (method === 'PUT' && path === '/api/config/venues/{name}')) continue;
        if (path === '/api/login') {
          const res = await call('POST', path, { token: FAKE.dashboardToken }, {});
          const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
          await call('GET', '/api/snapshot', undefined, { cookie });
          await call('POST', path, { token: 'wrong-token-for-the-scan' }, {});
          continue;
        }
        const body = method === 'GET' || method === 'DELETE' ? undefined : path.endsWith('/kill') || path.endsWith('/reset') ? { reason: 'secret scan', confirm: true } : path.endsWith('/params') ? { params: { spreadBps: 'not a number' } } : {};
        await call(method, concrete, body);
      }
    }
    await call('POST', '/api/control/reset', { reason: 'secret scan: trading resumes', confirm: true });
    // Unauthenticated answers too (a refusal must not echo anything).
    await call('GET', '/api/config', undefined, {});
    await call('GET', '/metrics', undefined, {});

    // The push keeps coming while the edits and controls run.
    await waitUntil(() => frames.length >= 20, 30_000, () => `20 WebSocket frames (got ${frames.length})`, 50);
    ws.close();
    collected.push({ where: `GET ${metricsUrl} (services, last)`, content: await (await fetch(metricsUrl)).text() });

    run.proc.kill('SIGTERM');
    const code = await run.exited;
    expect(code, run.stderr().slice(-3000)).toBe(0);
    expect(jsonLines(run.stdout()).some((l) => l.event === 'summary')).toBe(true);
    collected.push({ where: 'perpetua start stdout', content: run.stdout() }, { where: 'perpetua start stderr (logs, debug)', content: run.stderr() }, ...frames.map((f, i) => ({ where: `ws frame ${i}`, content: f })));

    // A recording of the same venues, with the same credentials configured.
    const recording = join(work, 'md.ndjson.gz');
    const rec = spawnApp(['record', '--out', recording, '--duration', '3', '--config', configFile], env, work);
    expect(await rec.exited, rec.stderr().slice(-3000)).toBe(0);
    collected.push({ where: 'perpetua record stdout', content: rec.stdout() }, { where: 'perpetua record stderr (logs, debug)', content: rec.stderr() });

    // Every file the runs wrote: the config file and its previous version hold the secrets, mode 0600; nothing else may.
    const holders = [configFile, `${configFile}.prev`];
    const written = filesUnder(work).filter((f) => !holders.includes(f));
    expect(written).toContain(recording);
    for (const f of written) collected.push({ where: `file ${f.slice(work.length + 1)}`, content: readFileSync(f) });
    for (const f of holders) {
      expect(existsSync(f), f).toBe(true);
      expect(statSync(f).mode & 0o777, f).toBe(0o600);
    }
    expect(readFileSync(configFile, 'utf8')).toContain(bybitSeeded[1]!.value);

    const scanner = new SecretScanner(seeded);
    for (const c of collected) scanner.scan(c.where, c.content);
    // Enough was scanned to mean something: debug logs, frames, metrics, pages.
    expect(logs().some((l) => l.level === 'debug'), 'debug log lines').toBe(true);
    expect(scanner.stats.sources).toBeGreaterThan(50);
    expect(describeFindings(scanner.findings)).toBe('');
  }, 300_000);

  it('finds no secret in what the runs say when every venue refuses the credentials (the error paths of signing)', async () => {
    const wrong: Record<string, string> = {
      PERPETUA_VENUES__BINANCEUSDM__API_KEY: 'WRONGKEY-binance-5d1c9e7a3f2b4d6e8a0c2b4d',
      PERPETUA_VENUES__BINANCEUSDM__SECRET: 'WRONGSECRET-binance-8b2d4f6a1c3e5d7f9a0b',
      PERPETUA_VENUES__STANDX__TOKEN: 'WRONGTOKEN-standx-2e4a6c8e0a2c4e6a8c0e2a4c',
      // Base58, as a StandX key is: the adapter decodes and signs with it before the venue refuses.
      PERPETUA_VENUES__STANDX__PRIVATE_KEY: '4WrongStandxPrivateKey9pQ8rS7tU6vW5xY4zA3bC2',
      PERPETUA_VENUES__GRVT__API_KEY: 'WRONGKEY-grvt-9c7e5a3c1e9a7c5e3a1c9e7a',
      PERPETUA_VENUES__GRVT__SIGNER_PRIVATE_KEY: `0x${'c0ffee5eed'.repeat(6)}beef`,
    };
    const inFile = { 'bybit apiKey': 'WRONGKEY-bybit-3f5b7d9f1b3d5f7b9d1f3b5d', 'bybit secret': 'WRONGSECRET-bybit-6a8c0e2a4c6e8a0c2e4a6c8e', 'okx apiKey': 'WRONGKEY-okx-1d3f5b7d9f1b3d5f7b9d1f3b', 'okx secret': 'WRONGSECRET-okx-7b9d1f3b5d7f9b1d3f5b7d9f', 'okx password': 'WRONGPASS-okx-0e2a4c6e8a0c2e4a' };
    const secrets: SeededSecret[] = [...Object.entries(wrong).map(([name, value]) => ({ name: `${name} (env)`, value })), ...Object.entries(inFile).map(([name, value]) => ({ name: `${name} (config file)`, value })), { name: 'dashboard token (env)', value: FAKE.dashboardToken }, { name: 'malformed StandX private key (env)', value: MALFORMED_STANDX_KEY }, { name: 'GRVT signer key above the curve order (env)', value: OUT_OF_RANGE_GRVT_KEY }];
    // The simulator's GRVT API key, so the login succeeds and the signer key is what is refused.
    const grvtDescriptor = sim.ready.venues.grvt;
    if (grvtDescriptor?.protocol !== 'grvt') throw new Error('the simulator serves no grvt');
    const grvtApiKey = grvtDescriptor.credentials.apiKey;
    const dir = mkdtempSync(join(tmpdir(), 'perpetua-secret-scan-wrong-'));
    const file = join(dir, 'perpetua.yaml');
    writeFileSync(
      file,
      ['venues:', `  bybit: { apiKey: ${inFile['bybit apiKey']}, secret: ${inFile['bybit secret']} }`, `  okx: { apiKey: ${inFile['okx apiKey']}, secret: ${inFile['okx secret']}, password: ${inFile['okx password']} }`, '  binanceusdm: {}', '  standx: {}', '  grvt: {}', ''].join('\n'),
      { mode: 0o600 },
    );
    const wrongEnv = { ...env, ...wrong, HOME: join(work, 'home') };
    const scanner = new SecretScanner(secrets);

    // `perpetua test`: each venue's auth check fails, and says why.
    const probe = spawnApp(['test', '--config', file], wrongEnv, dir);
    const pc = await probe.exited;
    // Exit 1 naming the venues that failed (or, now and then, a crash in ccxt closing a refused socket: its stack is scanned too).
    expect(pc, probe.stderr().slice(-3000)).toBe(1);
    expect(probe.stdout() + probe.stderr()).toMatch(/failed|Error/);
    scanner.scan('perpetua test stdout', probe.stdout());
    scanner.scan('perpetua test stderr', probe.stderr());

    // `perpetua start`, live, trading on each venue in turn: its router's login, reconcile or orders are refused;
    // whatever it logs (or the stack of the start it fails) is scanned.
    for (const venue of ['binanceusdm', 'bybit', 'okx', 'standx', 'grvt']) {
      const run = spawnApp(['start', '--json', '--duration', '4', '--config', file], { ...wrongEnv, PERPETUA_STRATEGY__VENUE: venue, PERPETUA_ARB__EXECUTE: 'false' }, dir);
      await run.exited;
      expect(run.stderr().length).toBeGreaterThan(0);
      scanner.scan(`perpetua start (wrong keys, trading on ${venue}) stdout`, run.stdout());
      scanner.scan(`perpetua start (wrong keys, trading on ${venue}) stderr`, run.stderr());
    }
    // A StandX key that is not base58 at all: the signer refuses it before any request.
    const malformed = spawnApp(['start', '--json', '--duration', '4', '--config', file], { ...wrongEnv, PERPETUA_STRATEGY__VENUE: 'standx', PERPETUA_ARB__EXECUTE: 'false', PERPETUA_VENUES__STANDX__PRIVATE_KEY: MALFORMED_STANDX_KEY }, dir);
    expect(await malformed.exited).not.toBe(0);
    expect(malformed.stderr()).toMatch(/not valid base58/);
    scanner.scan('perpetua start (malformed StandX key) stdout', malformed.stdout());
    scanner.scan('perpetua start (malformed StandX key) stderr', malformed.stderr());
    // A GRVT signer key above the curve order: refused before any signature (the curve library's refusal prints the key as an integer).
    const outOfRange = spawnApp(['start', '--json', '--duration', '4', '--config', file], { ...wrongEnv, PERPETUA_STRATEGY__VENUE: 'grvt', PERPETUA_ARB__EXECUTE: 'false', PERPETUA_VENUES__GRVT__API_KEY: grvtApiKey, PERPETUA_VENUES__GRVT__SIGNER_PRIVATE_KEY: OUT_OF_RANGE_GRVT_KEY }, dir);
    expect(await outOfRange.exited).not.toBe(0);
    expect(outOfRange.stderr()).toMatch(/signerPrivateKey is not a secp256k1 private key/);
    scanner.scan('perpetua start (GRVT key above the curve order) stdout', outOfRange.stdout());
    scanner.scan('perpetua start (GRVT key above the curve order) stderr', outOfRange.stderr());
    for (const f of filesUnder(dir).filter((f) => f !== file)) scanner.scan(`file ${f}`, readFileSync(f));

    expect(describeFindings(scanner.findings)).toBe('');
  }, 180_000);
});
