import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { PerpetuaConfig } from '../perpetua-config.js';
import { ConfigurationError } from '../compose/configuration-error.js';
import { needsSimulator } from '../compose/resolve-venues.js';
import { planStack, tradingVenuesOf } from '../stack/stack-plan.js';
import { readStackState, writeStackState, type StackProcess, type StackState } from '../stack/stack-state.js';
import { findExecutable, freePort, isAlive, jsonLine, spawnDetached, stopProcess, waitForLog, waitForPort } from '../stack/local-process.js';
import { prometheusStackConfig, type ScrapeTarget } from '../stack/prometheus-stack-config.js';

export { parseScale } from '../stack/stack-plan.js';

export interface StackOptions {
  verb: 'up' | 'down' | 'status';
  config: PerpetuaConfig;
  scale: ReadonlyMap<string, number>;
  dir?: string;
  configFile?: string;
}

const READY_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 10_000;

/**
 * `perpetua stack up|down|status`: the deployment's topology (docker-compose.yml)
 * as local processes on free loopback ports, for machines without Docker:
 * nats-server with JetStream, redis-server with AOF, the simulator (when
 * sim.enabled), every service of DEPLOYED_SERVICES that this build can run,
 * and prometheus scraping them with the alert rules. State (pids, ports, logs)
 * lives in the run directory, so `down` and `status` find it.
 */
export async function runStack(o: StackOptions): Promise<number> {
  const dir = resolve(o.dir ?? '.perpetua/stack');
  switch (o.verb) {
    case 'up':
      return up(dir, o);
    case 'down':
      return down(dir);
    case 'status':
      return status(dir);
  }
}

function need(name: string, pkg: string): string {
  const path = findExecutable(name);
  if (!path) throw new ConfigurationError(`perpetua stack needs ${name}: apt-get install -y ${pkg}`);
  return path;
}

/** This program, as it was started (tsx bin or the esbuild bundle): the services run the same way. */
function selfCommand(): string[] {
  return [process.execPath, ...process.execArgv, process.argv[1]!];
}

/** deploy/prometheus/alerts.yml of the checkout this program runs from, if it is one. */
function alertRules(): string[] {
  let d = dirname(resolve(process.argv[1]!));
  for (let i = 0; i < 4; i++) {
    const f = join(d, 'deploy', 'prometheus', 'alerts.yml');
    if (existsSync(f)) return [f];
    d = dirname(d);
  }
  return [];
}

async function up(dir: string, o: StackOptions): Promise<number> {
  const existing = readStackState(dir);
  if (existing && existing.processes.some((p) => isAlive(p.pid))) throw new ConfigurationError(`a stack is already running from ${dir}: perpetua stack down --dir ${dir} first`);
  const nats = need('nats-server', 'nats-server');
  const redis = need('redis-server', 'redis-server');
  const prometheus = need('prometheus', 'prometheus');
  rmSync(dir, { recursive: true, force: true });
  for (const sub of ['logs', 'nats', 'redis', 'prometheus']) mkdirSync(join(dir, sub), { recursive: true });

  const venues = Object.keys(o.config.venues);
  const tradingVenues = tradingVenuesOf({ venues, arbExecutes: o.config.arb.execute, strategyVenues: o.config.strategies.map((s) => s.venue) });
  const plan = planStack({ venues, tradingVenues, scale: o.scale });
  const [natsPort, natsMonitor, redisPort, promPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const state: StackState = {
    startedAt: new Date().toISOString(),
    nats: `nats://127.0.0.1:${natsPort}`,
    redis: `redis://127.0.0.1:${redisPort}`,
    processes: [],
    skipped: plan.skipped,
  };
  const started = (p: StackProcess) => {
    state.processes.push(p);
    writeStackState(dir, state);
  };
  const log = (id: string) => join(dir, 'logs', `${id.replace('#', '-')}.log`);
  const say = (line: string) => process.stderr.write(`perpetua stack: ${line}\n`);

  try {
    const natsCmd = [nats, '-a', '127.0.0.1', '-p', String(natsPort), '-m', String(natsMonitor), '-js', '-sd', join(dir, 'nats')];
    started({ id: 'nats', kind: 'nats', pid: spawnDetached(natsCmd[0]!, natsCmd.slice(1), log('nats'), process.env), command: natsCmd, log: log('nats'), http: `http://127.0.0.1:${natsMonitor}` });
    const redisCmd = [redis, '--bind', '127.0.0.1', '--port', String(redisPort), '--dir', join(dir, 'redis'), '--appendonly', 'yes', '--save', '', '--daemonize', 'no'];
    started({ id: 'redis', kind: 'redis', pid: spawnDetached(redisCmd[0]!, redisCmd.slice(1), log('redis'), process.env), command: redisCmd, log: log('redis') });
    await waitForPort(natsPort, state.processes[0]!.pid, READY_TIMEOUT_MS, 'nats-server', log('nats'));
    await waitForPort(redisPort, state.processes[1]!.pid, READY_TIMEOUT_MS, 'redis-server', log('redis'));
    say(`nats ${state.nats}, redis ${state.redis}`);

    const self = selfCommand();
    const config = o.configFile ? ['--config', resolve(o.configFile)] : [];
    const env: NodeJS.ProcessEnv = { ...process.env, NATS_URL: state.nats, REDIS_URL: state.redis };
    const targets: ScrapeTarget[] = [];
    if (needsSimulator(o.config) && !o.config.sim.admin) {
      const simCmd = [...self, 'sim', '--seed', String(o.config.sim.seed)];
      const pid = spawnDetached(simCmd[0]!, simCmd.slice(1), log('sim'), env);
      const ready = await waitForLog(log('sim'), pid, jsonLine((v) => (isObject(v) && v.event === 'ready' && typeof v.admin === 'string' ? v.admin : undefined)), READY_TIMEOUT_MS, 'the simulator');
      state.simAdmin = ready;
      started({ id: 'sim', kind: 'sim', pid, command: simCmd, log: log('sim'), http: ready });
      env.PERPETUA_SIM__ADMIN = ready;
      targets.push({ job: 'sim', address: new URL(ready).host, labels: { instance: 'sim' } });
      say(`simulator ${ready}`);
    }

    // Services start together (each waits for what it needs over NATS); each gets its own metrics port.
    const pending = await Promise.all(
      plan.services.map(async (s) => {
        const port = await freePort();
        const cmd = [...self, 'service', s.service, ...(s.venue ? ['--venue', s.venue] : []), ...config];
        const childEnv = { ...env, PERPETUA_TELEMETRY__HTTP_PORT: String(port), PERPETUA_TELEMETRY__HTTP_HOST: '127.0.0.1' };
        const pid = spawnDetached(cmd[0]!, cmd.slice(1), log(s.id), childEnv);
        started({ id: s.id, kind: 'service', pid, command: cmd, log: log(s.id), http: `http://127.0.0.1:${port}` });
        return { s, pid, port };
      }),
    );
    for (const { s, pid, port } of pending) {
      await waitForLog(log(s.id), pid, jsonLine((v) => (isObject(v) && v.event === 'ready' ? true : undefined)), READY_TIMEOUT_MS, `service ${s.id}`);
      targets.push({ job: s.service, address: `127.0.0.1:${port}`, labels: { instance: s.id } });
    }
    say(`${plan.services.length} services up${plan.skipped.length ? `; skipped ${plan.skipped.map((k) => `${k.service} (${k.reason})`).join(', ')}` : ''}`);

    const promConfig = join(dir, 'prometheus', 'prometheus.yml');
    writeFileSync(promConfig, prometheusStackConfig(targets, alertRules()));
    const promCmd = [prometheus, `--config.file=${promConfig}`, `--storage.tsdb.path=${join(dir, 'prometheus', 'data')}`, `--web.listen-address=127.0.0.1:${promPort}`, '--web.enable-lifecycle'];
    const promPid = spawnDetached(promCmd[0]!, promCmd.slice(1), log('prometheus'), process.env);
    state.prometheus = `http://127.0.0.1:${promPort}`;
    started({ id: 'prometheus', kind: 'prometheus', pid: promPid, command: promCmd, log: log('prometheus'), http: state.prometheus });
    await waitForPort(promPort, promPid, READY_TIMEOUT_MS, 'prometheus', log('prometheus'));
    say(`prometheus ${state.prometheus}`);
  } catch (err) {
    say(`up failed, stopping what started: ${err instanceof Error ? err.message : String(err)}`);
    await down(dir);
    return 1;
  }
  process.stdout.write(`${JSON.stringify({ event: 'stack-up', dir, ...summary(state) })}\n`);
  return 0;
}

function summary(state: StackState) {
  return {
    nats: state.nats,
    redis: state.redis,
    prometheus: state.prometheus,
    simAdmin: state.simAdmin,
    processes: state.processes.map((p) => ({ id: p.id, pid: p.pid, alive: isAlive(p.pid), http: p.http, log: p.log })),
    skipped: state.skipped,
  };
}

/** Services first (they flush and cancel on SIGTERM), then prometheus, the simulator, redis and nats. */
async function down(dir: string): Promise<number> {
  const state = readStackState(dir);
  if (!state) {
    process.stderr.write(`perpetua stack: nothing to stop in ${dir}\n`);
    return 0;
  }
  const order = ['service', 'prometheus', 'sim', 'redis', 'nats'] as const;
  const stopped: Record<string, string> = {};
  for (const kind of order) {
    const group = state.processes.filter((p) => p.kind === kind);
    const results = await Promise.all(group.map((p) => stopProcess(p.pid, STOP_GRACE_MS)));
    group.forEach((p, i) => (stopped[p.id] = results[i]!));
  }
  const left = state.processes.filter((p) => isAlive(p.pid));
  process.stdout.write(`${JSON.stringify({ event: 'stack-down', dir, stopped, left: left.map((p) => p.pid) })}\n`);
  if (left.length === 0) writeStackState(dir, { ...state, processes: [] });
  return left.length === 0 ? 0 : 1;
}

async function status(dir: string): Promise<number> {
  const state = readStackState(dir);
  if (!state || state.processes.length === 0) {
    process.stdout.write(`${JSON.stringify({ event: 'stack-status', dir, running: false })}\n`);
    return 1;
  }
  const health = await Promise.all(state.processes.map(async (p) => (p.kind === 'service' && p.http ? await healthz(p.http) : undefined)));
  const processes = state.processes.map((p, i) => ({ id: p.id, pid: p.pid, alive: isAlive(p.pid), ...(health[i] === undefined ? {} : { healthy: health[i] }), http: p.http }));
  const ok = processes.every((p) => p.alive && p.healthy !== false);
  process.stdout.write(`${JSON.stringify({ event: 'stack-status', dir, running: true, ok, prometheus: state.prometheus, processes, skipped: state.skipped })}\n`);
  return ok ? 0 : 1;
}

async function healthz(base: string): Promise<boolean> {
  try {
    return (await fetch(new URL('/healthz', base), { signal: AbortSignal.timeout(2_000) })).ok;
  } catch {
    return false;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}
