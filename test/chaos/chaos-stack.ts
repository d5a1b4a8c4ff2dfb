import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startSimulator, type RunningSimulator } from '@perpetua/sim';
import { bundle } from '../../cli/build/bundle.js';
import { readStackState, writeStackState, type StackProcess, type StackState } from '../../cli/src/stack/stack-state.js';
import { isAlive, spawnDetached, waitForPort } from '../../cli/src/stack/local-process.js';
import { waitUntil } from '@perpetua/testkit';
import { groupOf, leadersOf } from '../support/stack-metrics.js';

/** What the chaos run trades: three venues quoted, arbitrage executing between them. */
export const CHAOS_VENUES = ['binanceusdm', 'bybit', 'okx'] as const;
export const CHAOS_SYMBOL = 'BTC-PERP';
/** The account name our state books under (strategy.account). */
export const BOOK_ACCOUNT = 'paper';
/** A gateway marks its book stale after this long without an update (gateway.staleAfterMs). */
export const STALE_AFTER_MS = 1_000;

/** Replicas: two gateways share binanceusdm, risk and binanceusdm's router run leader + standby. */
export const CHAOS_SCALE = ['gateway.binanceusdm=2', 'risk=2', 'order-router.binanceusdm=2'];

export function chaosConfig(): string {
  return [
    'venues:',
    ...CHAOS_VENUES.flatMap((v) => [`  ${v}:`, '    kind: ccxt', `    exchange: ${v}`, `    symbols: [${CHAOS_SYMBOL}]`]),
    'trading:',
    '  mode: live',
    'strategies:',
    ...CHAOS_VENUES.flatMap((v) => [
      `  - id: mm-${v}`,
      `    venue: ${v}`,
      `    symbol: ${CHAOS_SYMBOL}`,
      '    params:',
      '      kind: fixed-spread',
      '      spreadBps: 1',
      "      size: '0.01'",
    ]),
    'risk:',
    "  maxPosition: '5'",
    "  maxOrderSize: '0.1'",
    'arb:',
    '  execute: true',
    '  threshold: 0.002',
    'router:',
    '  reconcileIntervalMs: 10000',
    'gateway:',
    `  staleAfterMs: ${STALE_AFTER_MS}`,
    'telemetry:',
    '  logLevel: info',
    // Any free port: 8888 is the default of every other stack (npm test runs test/deploy/stack.test.ts beside this).
    'dashboard:',
    '  port: 0',
    '',
  ].join('\n');
}

/**
 * The process stack (`perpetua stack up`, its own nats-server and redis-server on free ports) trading on a
 * simulator this process holds, so the run reads the venues' own order logs and fills and injects faults
 * directly. This class also restarts what the run kills: the stack has no supervisor of its own.
 */
export class ChaosStack {
  private constructor(
    readonly dir: string,
    readonly entry: string,
    readonly sim: RunningSimulator,
    private stateNow: StackState,
  ) {}

  static async start(dir: string, seed: number, say: (line: string) => void): Promise<ChaosStack> {
    mkdirSync(dir, { recursive: true });
    const { entry } = await bundle(join(dir, 'dist'));
    const sim = await startSimulator({ seed });
    const config = join(dir, 'chaos.yaml');
    writeFileSync(config, chaosConfig());
    const stack = new ChaosStack(dir, entry, sim, undefined as unknown as StackState);
    say(`simulator ${sim.ready.admin}; stack up in ${join(dir, 'stack')}`);
    await stack.cli(['up', '--config', config, ...CHAOS_SCALE.flatMap((s) => ['--scale', s])]);
    stack.stateNow = readStackState(stack.stackDir)!;
    return stack;
  }

  get stackDir(): string {
    return join(this.dir, 'stack');
  }

  get state(): StackState {
    return this.stateNow;
  }

  /** The simulator's account of a venue (its demo credentials). */
  account(venue: string): string {
    return (this.sim.ready.venues[venue]!.credentials as { accountId: string }).accountId;
  }

  /** `perpetua stack …` asynchronously: the simulator answers from this process meanwhile. */
  async cli(args: string[]): Promise<string> {
    try {
      return (
        await promisify(execFile)(process.execPath, [this.entry, 'stack', ...args, '--dir', this.stackDir], {
          encoding: 'utf8',
          timeout: 240_000,
          env: { ...process.env, PERPETUA_SIM__ADMIN: this.sim.ready.admin! },
        })
      ).stdout;
    } catch (err) {
      const e = err as { code?: number | string; signal?: string; message: string; stdout?: string; stderr?: string };
      throw new Error(`perpetua stack ${args[0]} failed (${e.code ?? e.signal}): ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
    }
  }

  process(id: string): StackProcess {
    const p = this.stateNow.processes.find((q) => q.id === id);
    if (!p) throw new Error(`no process ${id} in the stack`);
    return p;
  }

  group(prefix: string): StackProcess[] {
    return groupOf(this.stateNow, prefix);
  }

  leaders(prefix: string): Promise<StackProcess[]> {
    return leadersOf(this.stateNow, prefix);
  }

  /** kill -9; returns when. */
  kill9(id: string): number {
    const p = this.process(id);
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // already gone: the invariants say so
    }
    return Date.now();
  }

  /** How many times the process said it was ready (its {"event":"ready"} lines). */
  readyCount(id: string): number {
    try {
      return readFileSync(this.process(id).log, 'utf8').split('\n').filter((l) => l.startsWith('{"event":"ready"')).length;
    } catch {
      return 0;
    }
  }

  /** Starts a killed process again with the command and environment the stack gave it, and waits until it is up. */
  async restart(id: string, timeoutMs = 60_000): Promise<void> {
    const p = this.process(id);
    if (isAlive(p.pid)) throw new Error(`${id} (pid ${p.pid}) is still running`);
    const readyBefore = this.readyCount(id);
    const env: NodeJS.ProcessEnv = { ...process.env };
    if (p.kind === 'service') {
      Object.assign(env, {
        NATS_URL: this.stateNow.nats,
        REDIS_URL: this.stateNow.redis,
        PERPETUA_SIM__ADMIN: this.sim.ready.admin!,
        PERPETUA_TELEMETRY__HTTP_PORT: new URL(p.http!).port,
        PERPETUA_TELEMETRY__HTTP_HOST: '127.0.0.1',
      });
    }
    const pid = spawnDetached(p.command[0]!, p.command.slice(1), p.log, env);
    this.stateNow = { ...this.stateNow, processes: this.stateNow.processes.map((q) => (q.id === id ? { ...q, pid } : q)) };
    writeStackState(this.stackDir, this.stateNow);
    if (p.kind === 'nats') return waitForPort(Number(new URL(this.stateNow.nats).port), pid, timeoutMs, 'nats-server', p.log);
    if (p.kind === 'redis') return waitForPort(Number(new URL(this.stateNow.redis).port), pid, timeoutMs, 'redis-server', p.log);
    await waitUntil(
      () => {
        if (!isAlive(pid)) throw new Error(`${id} exited on restart; its log (${p.log}) ends:\n${tailOf(p.log)}`);
        return this.readyCount(id) > readyBefore;
      },
      timeoutMs,
      () => `${id} ready after its restart; its log ends:\n${tailOf(p.log)}`,
      100,
    );
  }

  async down(): Promise<void> {
    if (this.stateNow?.processes.some((p) => isAlive(p.pid))) await this.cli(['down']).catch(() => undefined);
    await this.sim.close();
  }
}

export function tailOf(log: string, lines = 12): string {
  try {
    return readFileSync(log, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}
