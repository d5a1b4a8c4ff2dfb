import { D, dec, toText, ArbOpportunityMessage, Fill, BookMessage, RiskRejectMessage, patterns, subjects, type Decimal } from '@perpetua/core';
import { MemoryStateStore, unrealizedPnl } from '@perpetua/state';
import { createMetrics, startServiceHttp } from '@perpetua/telemetry';
import { createInProcessRuntime } from '../compose/in-process-runtime.js';
import type { PerpetuaConfig } from '../perpetua-config.js';
import { startSimulator, type RunningSimulator } from '@perpetua/sim';
import { startGateway, startOrderRouter, startQuoter, startRisk, type RunningService } from '../compose/build-services.js';
import { needsSimulator, resolveVenues } from '../compose/resolve-venues.js';
import { startArbDetector } from '../compose/start-arb-detector.js';
import { StatusLine } from '../status-line.js';
import { startDashboardService } from '../compose/start-dashboard.js';
import type { RunningDashboard } from '@perpetua/service-dashboard';

export interface StartOptions {
  config: PerpetuaConfig;
  durationSec?: number;
  json: boolean;
  /** The --config file (the dashboard's Configuration page edits it). */
  configFile?: string | undefined;
}

export interface RunSummary {
  event: 'summary';
  durationSec: number;
  venue: string;
  symbol: string;
  quotesPlaced: number;
  cancels: number;
  rejected: number;
  /** Places the venue's rate limit refused (held back and retried, not rejections). */
  rateLimited: number;
  /** The strategy venue's book resynchronisations (a sequence gap, a lost connection) and reconnections. */
  resyncs: number;
  reconnects: number;
  fills: number;
  /** Signed sum of the fills seen on the bus, computed independently of the position store. */
  fillsSignedQty: string;
  position: string;
  avgEntry: string;
  realizedPnl: string;
  unrealizedPnl: string;
  fees: string;
  lastMid: number | null;
  /** Last mid of the strategy's symbol on every venue with market data. */
  venues: Record<string, number>;
  riskRejects: number;
  /** Cross-venue opportunities the detector opened during the run. */
  arbOpportunities: number;
}

/**
 * `perpetua start`: every service in one process on the in-process bus and
 * memory state, paper trading; by default against the venue simulator, started
 * in-process (one gateway per simulated venue, the quoter on the strategy's
 * venue). Runs until Ctrl-C or --duration, then pulls its quotes, books the
 * last fills and prints a summary.
 */
export async function runStart(options: StartOptions): Promise<RunSummary> {
  const { config } = options;
  const { logger, registry, bus, store } = createInProcessRuntime(config, 'perpetua');
  const deps = { bus, logger, registry };
  const started = Date.now();
  const { venue, symbol, account } = config.strategy;

  let fillsSeen = 0;
  let signed: Decimal = D.ZERO;
  bus.subscribe(patterns.allFills, Fill, (f) => {
    fillsSeen++;
    signed = f.side === 'buy' ? D.add(signed, dec(f.qty)) : D.sub(signed, dec(f.qty));
  });
  let sim: RunningSimulator | undefined;
  if (needsSimulator(config) && !config.sim.admin) {
    sim = await startSimulator({ seed: config.sim.seed, stepMs: config.sim.stepMs, host: '127.0.0.1' });
    logger.info({ admin: sim.ready.admin, venues: Object.keys(sim.ready.venues) }, 'venue simulator started in-process');
  }
  const venues = await resolveVenues(config, sim?.ready);
  let riskRejects = 0;
  bus.subscribe(subjects.riskReject(), RiskRejectMessage, () => void riskRejects++);
  // Mid of the strategy's symbol on every venue: the status line shows them moving together.
  const mids = new Map<string, number>();
  bus.subscribe(patterns.allBooks, BookMessage, (b) => {
    const bid = b.bids[0];
    const ask = b.asks[0];
    if (b.symbol === symbol && bid && ask && !b.stale) mids.set(b.venue, (bid[0] + ask[0]) / 2);
  });

  const services: RunningService[] = [];
  // The dashboard first, so it sees every venue's status as the gateways connect.
  const dashboard = await startDashboardIfFree(config, { ...deps, store, configFile: options.configFile, isReady: () => services.length > 0 && services.every((s) => s.isReady()) });
  if (dashboard) process.stdout.write(options.json ? `${JSON.stringify({ event: 'dashboard', url: dashboard.url })}\n` : `Dashboard: ${dashboard.url}\n`);
  // Gateways first: they publish the instruments the router and the quoter snap to.
  const gateways: RunningService[] = [];
  for (const name of Object.keys(venues)) gateways.push(await startGateway(config, venues, name, deps));
  services.push(...gateways);
  const arb = await startArbDetector(config, venues, deps);
  services.push(arb);
  let arbOpened = 0;
  bus.subscribe(patterns.allArbOpportunities, ArbOpportunityMessage, (o) => {
    if (o.event === 'opened') arbOpened++;
  });
  const risk = await startRisk(config, { ...deps, store });
  services.push(risk);
  const router = startOrderRouter(config, venues, venue, { ...deps, store, cancelOnStop: true });
  services.push(router);
  // Arbitrage execution trades on every venue: each needs its router.
  const arbRouters = config.arb.execute ? Object.keys(venues).filter((v) => v !== venue).map((v) => startOrderRouter(config, venues, v, { ...deps, store, cancelOnStop: true })) : [];
  services.push(...arbRouters);
  const routerService = await router.started;
  await Promise.all(arbRouters.map((r) => r.started));
  const quoter = startQuoter(config, { ...deps, store });
  services.push(quoter);
  await quoter.started;

  const http = await startServiceHttp({
    port: config.telemetry.httpPort,
    host: config.telemetry.httpHost,
    registry,
    isReady: () => services.every((s) => s.isReady()),
    logger,
  });
  logger.info({ metrics: `${http.url}/metrics`, venue, symbol, venues: Object.keys(venues) }, 'perpetua started (paper, in-process)');

  const status = new StatusLine(process.stderr);
  const statusTimer = setInterval(async () => {
    const p = await store.getPosition(venue, account, symbol);
    const others = [...mids].filter(([v]) => v !== venue).map(([v, m]) => `${v} ${m.toFixed(1)}`);
    status.render(
      `${symbol} ${venue} ${mids.get(venue)?.toFixed(1) ?? '-'}${others.length ? ` (${others.join(', ')})` : ''} | pos ${p?.qty ?? '0'} | fills ${fillsSeen} | placed ${routerService.stats.placed} | rPnL ${short(p?.realizedPnl)} | fees ${short(p?.fees)}`,
    );
  }, 1000);

  await new Promise<void>((resolve) => {
    const done = () => resolve();
    if (options.durationSec !== undefined) setTimeout(done, options.durationSec * 1000);
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  clearInterval(statusTimer);
  status.clear();
  await dashboard?.close();

  // Stop market data first, then pull every quote, then let risk book the last fills.
  for (const g of gateways) await g.stop();
  await arb.stop();
  await quoter.stop();
  await router.stop();
  for (const r of arbRouters) await r.stop();
  await waitFor(async () => (await store.getPosition(venue, account, symbol))?.fills === fillsSeen || fillsSeen === 0, 5000);
  await risk.stop();
  await http.close();
  await sim?.close();

  const p = await store.getPosition(venue, account, symbol);
  const mid = mids.get(venue);
  const lastMid = mid === undefined ? null : Number(mid.toFixed(8));
  const summary: RunSummary = {
    event: 'summary',
    durationSec: Math.round((Date.now() - started) / 100) / 10,
    venue,
    symbol,
    quotesPlaced: routerService.stats.placed,
    cancels: routerService.stats.cancelled,
    rejected: routerService.stats.rejected,
    rateLimited: routerService.stats.rateLimited,
    resyncs: await counterOf(registry, 'perpetua_gateway_resyncs_total', venue),
    reconnects: await counterOf(registry, 'perpetua_gateway_reconnects_total', venue),
    fills: fillsSeen,
    fillsSignedQty: toText(signed),
    position: p?.qty ?? '0',
    avgEntry: p?.avgEntry ?? '0',
    realizedPnl: p?.realizedPnl ?? '0',
    unrealizedPnl: p && lastMid !== null ? toText(unrealizedPnl(p, dec(lastMid.toFixed(8)))) : '0',
    fees: p?.fees ?? '0',
    lastMid,
    venues: Object.fromEntries([...mids].map(([v, m]) => [v, Number(m.toFixed(8))])),
    riskRejects,
    arbOpportunities: arbOpened,
  };
  await bus.close();
  await store.close();
  return summary;
}

/** A counter's value for one venue (0 when never registered or incremented). */
async function counterOf(registry: ReturnType<typeof createMetrics>, name: string, venue: string): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (!metric) return 0;
  const { values } = await metric.get();
  return values.filter((v) => v.labels.venue === venue).reduce((sum, v) => sum + v.value, 0);
}

/**
 * The dashboard beside the services; a dashboard port already taken (another
 * `npm start` on this machine) costs the dashboard, not the run.
 */
async function startDashboardIfFree(
  config: PerpetuaConfig,
  o: Parameters<typeof startDashboardService>[1] & { store: MemoryStateStore; configFile: string | undefined; isReady: () => boolean },
): Promise<RunningDashboard | undefined> {
  try {
    return await startDashboardService(config, o, { configFile: o.configFile, store: o.store, isReady: o.isReady });
  } catch (err) {
    if ((err as { code?: string }).code !== 'EADDRINUSE') throw err;
    o.logger.warn({ port: config.dashboard.port }, `dashboard not started: port ${config.dashboard.port} is in use (set dashboard.port, e.g. PERPETUA_DASHBOARD__PORT=0 for any free port)`);
    return undefined;
  }
}

function short(v: string | undefined): string {
  return v === undefined ? '0' : Number(v).toFixed(2);
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return false;
}
