import { natsBusOptions } from '../compose/nats-bus-options.js';
import { ArbOpportunityMessage, ArbStatsMessage, BboMessage, VenueStatusMessage, patterns, subjects } from '@perpetua/core';
import { InProcessBus, NatsBus, type Bus } from '@perpetua/bus';
import { startSimulator, type RunningSimulator } from '@perpetua/sim';
import { createLogger, createMetrics } from '@perpetua/telemetry';
import type { PerpetuaConfig } from '../perpetua-config.js';
import { startGateway, type RunningService } from '../compose/build-services.js';
import { ConfigurationError } from '../compose/configuration-error.js';
import { needsSimulator, resolveVenues } from '../compose/resolve-venues.js';
import { startArbDetector } from '../compose/start-arb-detector.js';
import { MonitorState } from '../monitor/monitor-state.js';
import { renderMonitor } from '../monitor/render-monitor.js';

export interface MonitorOptions {
  config: PerpetuaConfig;
  intervalSec: number;
  /** Percent; undefined = the detector's threshold. */
  minProfitPct?: number;
  symbols: string[];
  durationSec?: number;
  /** Start a simulator in-process even if the config turns it off. */
  sim: boolean;
}

/**
 * `perpetua monitor`: the terminal view of every venue's book top and the
 * cross-venue opportunities. With NATS_URL it watches what the running
 * gateways and arb detector publish; otherwise it runs them itself (on the
 * simulator by default, or with --sim). On a terminal it redraws in place;
 * piped, it prints one plain block per refresh.
 */
export async function runMonitor(o: MonitorOptions): Promise<void> {
  let config = o.config;
  if (o.minProfitPct !== undefined) config = { ...config, arb: { ...config.arb, threshold: o.minProfitPct / 100 } };
  if (o.sim) config = { ...config, sim: { ...config.sim, enabled: true, admin: undefined } };
  const unknown = o.symbols.filter((s) => !/^[A-Z0-9]{1,15}-PERP$/.test(s));
  if (unknown.length > 0) throw new ConfigurationError(`--symbols: ${unknown.join(', ')} are not canonical symbols like BTC-PERP`);
  const logger = createLogger({ service: 'monitor', level: 'warn', destination: process.stderr });
  let bus: Bus;
  let sim: RunningSimulator | undefined;
  const running: RunningService[] = [];
  const state = new MonitorState();
  const watch = (b: Bus) => {
    b.subscribe(patterns.allBbo, BboMessage, (x) => state.onBbo(x));
    b.subscribe(patterns.allArbOpportunities, ArbOpportunityMessage, (x) => state.onOpportunity(x));
    b.subscribe(subjects.arbStats(), ArbStatsMessage, (x) => state.onStats(x));
    b.subscribe(patterns.allStatus, VenueStatusMessage, (x) => state.onStatus(x));
  };
  if (config.nats.url && !o.sim) {
    bus = await NatsBus.connect(natsBusOptions(config, 'perpetua-monitor'));
    watch(bus);
  } else {
    bus = new InProcessBus();
    watch(bus); // before the gateways start, so their first statuses are seen
    if (needsSimulator(config) && !config.sim.admin) sim = await startSimulator({ seed: config.sim.seed, stepMs: config.sim.stepMs, admin: false });
    const venues = await resolveVenues(config, sim?.ready);
    const deps = { bus, logger, registry: createMetrics({ service: 'monitor', defaultMetrics: false }) };
    for (const v of Object.keys(venues)) running.push(await startGateway(config, venues, v, deps));
    running.push(await startArbDetector({ ...config, arb: { ...config.arb } }, venues, { ...deps }));
  }

  const startedAt = Date.now();
  const tty = process.stdout.isTTY === true;
  const draw = () => {
    const lines = renderMonitor(state, { minProfitPct: config.arb.threshold * 100, symbols: o.symbols, now: Date.now(), startedAt });
    process.stdout.write(tty ? `\x1b[H\x1b[2J${lines.join('\n')}\n` : `${lines.join('\n')}\n\n`);
  };
  const timer = setInterval(draw, o.intervalSec * 1000);
  await new Promise<void>((resolve) => {
    if (o.durationSec !== undefined) setTimeout(resolve, o.durationSec * 1000);
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  clearInterval(timer);
  draw();
  for (const r of running) await r.stop();
  await bus.close();
  await sim?.close();
}
