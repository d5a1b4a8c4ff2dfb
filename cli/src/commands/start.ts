import { D, dec, toText, Fill, BookMessage, RiskRejectMessage, patterns, subjects, type Decimal } from '@perpetua/core';
import { InProcessBus } from '@perpetua/bus';
import { MemoryStateStore, unrealizedPnl } from '@perpetua/state';
import { createLogger, createMetrics, startServiceHttp } from '@perpetua/telemetry';
import type { PerpetuaConfig } from '../perpetua-config.js';
import { startGateway, startOrderRouter, startQuoter, startRisk, type RunningService } from '../compose/build-services.js';
import { StatusLine } from '../status-line.js';

export interface StartOptions {
  config: PerpetuaConfig;
  durationSec?: number;
  json: boolean;
}

export interface RunSummary {
  event: 'summary';
  durationSec: number;
  venue: string;
  symbol: string;
  quotesPlaced: number;
  cancels: number;
  rejected: number;
  fills: number;
  /** Signed sum of the fills seen on the bus, computed independently of the position store. */
  fillsSignedQty: string;
  position: string;
  avgEntry: string;
  realizedPnl: string;
  unrealizedPnl: string;
  fees: string;
  lastMid: number | null;
  riskRejects: number;
}

/**
 * `perpetua start`: every service in one process on the in-process bus and
 * memory state, paper trading. Runs until Ctrl-C or --duration, then pulls its
 * quotes, books the last fills and prints a summary.
 */
export async function runStart(options: StartOptions): Promise<RunSummary> {
  const { config } = options;
  const logger = createLogger({ service: 'perpetua', level: config.telemetry.logLevel, destination: process.stderr });
  const registry = createMetrics({ service: 'perpetua' });
  const bus = new InProcessBus({
    onInvalid: (i) => logger.warn({ subject: i.subject, error: i.error }, 'invalid message dropped'),
    onHandlerError: (subject, err) => logger.error({ subject, err }, 'handler failed'),
  });
  const store = new MemoryStateStore();
  const deps = { bus, logger, registry };
  const started = Date.now();
  const { venue, symbol, account } = config.strategy;

  let fillsSeen = 0;
  let signed: Decimal = D.ZERO;
  bus.subscribe(patterns.allFills, Fill, (f) => {
    fillsSeen++;
    signed = f.side === 'buy' ? D.add(signed, dec(f.qty)) : D.sub(signed, dec(f.qty));
  });
  let riskRejects = 0;
  bus.subscribe(subjects.riskReject(), RiskRejectMessage, () => void riskRejects++);
  // Held in an object: TypeScript does not see assignments made inside callbacks.
  const market: { lastMid: number | null } = { lastMid: null };
  bus.subscribe(patterns.booksOf(venue), BookMessage, (b) => {
    const bid = b.bids[0];
    const ask = b.asks[0];
    if (b.symbol === symbol && bid && ask && !b.stale) market.lastMid = (bid[0] + ask[0]) / 2;
  });

  const services: RunningService[] = [];
  const risk = await startRisk(config, { ...deps, store });
  services.push(risk);
  const router = await startOrderRouter(config, venue, { ...deps, store, cancelOnStop: true });
  services.push(router);
  services.push(await startQuoter(config, deps));
  const gateways: RunningService[] = [];
  for (const name of Object.keys(config.venues)) gateways.push(await startGateway(config, name, deps));
  services.push(...gateways);

  const http = await startServiceHttp({
    port: config.telemetry.httpPort,
    host: config.telemetry.httpHost,
    registry,
    isReady: () => services.every((s) => s.isReady()),
    logger,
  });
  logger.info({ metrics: `${http.url}/metrics`, venue, symbol }, 'perpetua started (paper, in-process)');

  const status = new StatusLine(process.stderr);
  const statusTimer = setInterval(async () => {
    const p = await store.getPosition(venue, account, symbol);
    status.render(
      `${symbol} mid ${market.lastMid?.toFixed(1) ?? '-'} | pos ${p?.qty ?? '0'} | fills ${fillsSeen} | placed ${router.service.stats.placed} | rPnL ${short(p?.realizedPnl)} | fees ${short(p?.fees)}`,
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

  // Stop market data first, then pull every quote, then let risk book the last fills.
  for (const g of gateways) await g.stop();
  await services.find((s) => s.name === 'quoter')?.stop();
  await router.stop();
  await waitFor(async () => (await store.getPosition(venue, account, symbol))?.fills === fillsSeen || fillsSeen === 0, 5000);
  await risk.stop();
  await http.close();

  const p = await store.getPosition(venue, account, symbol);
  const summary: RunSummary = {
    event: 'summary',
    durationSec: Math.round((Date.now() - started) / 100) / 10,
    venue,
    symbol,
    quotesPlaced: router.service.stats.placed,
    cancels: router.service.stats.cancelled,
    rejected: router.service.stats.rejected,
    fills: fillsSeen,
    fillsSignedQty: toText(signed),
    position: p?.qty ?? '0',
    avgEntry: p?.avgEntry ?? '0',
    realizedPnl: p?.realizedPnl ?? '0',
    unrealizedPnl: p && market.lastMid !== null ? toText(unrealizedPnl(p, dec(market.lastMid.toFixed(8)))) : '0',
    fees: p?.fees ?? '0',
    lastMid: market.lastMid,
    riskRejects,
  };
  await bus.close();
  await store.close();
  return summary;
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
