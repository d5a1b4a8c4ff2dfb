import { RiskRejectMessage, StrategyStatsMessage, StrategyYieldMessage, patterns, subjects } from '@perpetua/core';
import { startServiceHttp } from '@perpetua/telemetry';
import { createInProcessRuntime } from '../compose/in-process-runtime.js';
import { startSimulator, type RunningSimulator } from '@perpetua/sim';
import type { PerpetuaConfig } from '../perpetua-config.js';
import { startGateway, startOrderRouter, startQuoter, startRisk, type RunningService } from '../compose/build-services.js';
import { needsSimulator, resolveVenues } from '../compose/resolve-venues.js';
import { StatusLine } from '../status-line.js';
import { runTerminalDashboard } from '../tui/terminal-dashboard.js';

export interface MmOptions {
  config: PerpetuaConfig;
  durationSec?: number;
  /** Draw the terminal dashboard on stdout (in place on a terminal) instead of the status line. */
  tui?: boolean;
}

/** One strategy's figures at the end of a run: its last stats and, where the tracker ran, its maker-yield standing. */
export interface MmStrategyResult {
  stats: StrategyStatsMessage | null;
  yield: StrategyYieldMessage | null;
}

export interface MmSummary {
  event: 'mm';
  mode: 'paper' | 'live';
  durationSec: number;
  strategies: Record<string, MmStrategyResult>;
  riskRejects: number;
}

/**
 * `perpetua mm`: the configured strategies, with what they need, in one
 * process (in-process bus, memory state): the gateways of their venues, risk,
 * a router per venue (paper unless trading.mode is live) and the quoter; on
 * the simulator unless it is turned off. A status line each second; at the
 * end (Ctrl-C or --duration) the quotes are pulled and the last figures
 * returned.
 */
export async function runMm(options: MmOptions): Promise<MmSummary> {
  const { config } = options;
  const { logger, registry, bus, store } = createInProcessRuntime(config, 'perpetua-mm');
  const deps = { bus, logger, registry };
  const started = Date.now();
  // The terminal dashboard listens from the start, so it sees each venue's status as its gateway connects.
  let endTui = (): void => undefined;
  const tui = options.tui ? runTerminalDashboard({ bus, store, out: process.stdout, until: new Promise<void>((r) => (endTui = r)) }) : undefined;

  const stats = new Map<string, StrategyStatsMessage>();
  const standings = new Map<string, StrategyYieldMessage>();
  bus.subscribe(patterns.allStrategyStats, StrategyStatsMessage, (s) => void stats.set(s.strategy, s));
  for (const s of config.strategies) bus.subscribe(subjects.strategyYield(s.id), StrategyYieldMessage, (y) => void standings.set(y.strategyId, y));
  let riskRejects = 0;
  bus.subscribe(subjects.riskReject(), RiskRejectMessage, () => void riskRejects++);

  let sim: RunningSimulator | undefined;
  if (needsSimulator(config) && !config.sim.admin) {
    sim = await startSimulator({ seed: config.sim.seed, stepMs: config.sim.stepMs, host: '127.0.0.1' });
    logger.info({ admin: sim.ready.admin }, 'venue simulator started in-process');
  }
  const venues = await resolveVenues(config, sim?.ready);
  const used = [...new Set(config.strategies.map((s) => s.venue))];

  const services: RunningService[] = [];
  const gateways: RunningService[] = [];
  for (const name of used) gateways.push(await startGateway(config, venues, name, deps));
  services.push(...gateways);
  const risk = await startRisk(config, { ...deps, store });
  services.push(risk);
  const routers = used.map((v) => startOrderRouter(config, venues, v, { ...deps, store, cancelOnStop: true }));
  services.push(...routers);
  await Promise.all(routers.map((r) => r.started));
  const quoter = startQuoter(config, { ...deps, store });
  services.push(quoter);
  await quoter.started;

  const http = await startServiceHttp({ port: config.telemetry.httpPort, host: config.telemetry.httpHost, registry, isReady: () => services.every((s) => s.isReady()), logger });
  logger.info({ metrics: `${http.url}/metrics`, strategies: config.strategies.map((s) => s.id), mode: config.trading.mode }, 'perpetua mm started');

  const status = new StatusLine(process.stderr);
  const statusTimer = setInterval(() => tui === undefined && status.render(config.strategies.map((s) => statusText(s.id, stats.get(s.id), standings.get(s.id))).join(' ‖ ')), 1000);
  statusTimer.unref();

  await new Promise<void>((resolve) => {
    if (options.durationSec !== undefined) setTimeout(resolve, options.durationSec * 1000);
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  clearInterval(statusTimer);
  status.clear();
  endTui();
  await tui;

  // The figures as they stood when the run ended, before the quotes are pulled.
  const strategies: Record<string, MmStrategyResult> = {};
  for (const s of config.strategies) strategies[s.id] = { stats: stats.get(s.id) ?? null, yield: standings.get(s.id) ?? null };
  await quoter.stop();
  for (const r of routers) await r.stop();
  for (const g of gateways) await g.stop();
  await risk.stop();
  await http.close();
  await sim?.close();
  await bus.close();
  await store.close();
  return { event: 'mm', mode: config.trading.mode, durationSec: Math.round((Date.now() - started) / 100) / 10, strategies, riskRejects };
}

function statusText(id: string, s: StrategyStatsMessage | undefined, y: StrategyYieldMessage | undefined): string {
  if (!s) return `${id}: starting`;
  const spread = s.quotedSpreadBps === null ? '-' : s.quotedSpreadBps.toFixed(1);
  const captured = s.avgCapturedSpreadBps === null ? '-' : s.avgCapturedSpreadBps.toFixed(1);
  const uptime = y ? ` | up ${y.hour.uptimePct.toFixed(1)}% x${y.hour.multiplier}` : '';
  return (
    `${id} ${s.symbol}@${s.venue} mid ${s.mid?.toFixed(2) ?? '-'} | pos ${s.position} | pnl ${s.totalPnl.toFixed(2)} (r ${s.realizedPnl.toFixed(2)} u ${s.unrealizedPnl.toFixed(2)} fees ${s.fees.toFixed(2)})` +
    ` | vol ${s.volumeBase} | fills ${s.fills} rate ${(s.fillRate * 100).toFixed(0)}% | spread ${spread} bps captured ${captured} | requotes ${s.requotes}${s.paused ? ' | PAUSED' : ''}${uptime}`
  );
}
