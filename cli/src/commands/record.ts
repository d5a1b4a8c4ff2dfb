import { natsBusOptions } from '../compose/nats-bus-options.js';
import { InProcessBus, NatsBus, type Bus } from '@perpetua/bus';
import { MarketDataRecorder, RecordingWriter } from '@perpetua/recorder';
import { startSimulator, type RunningSimulator } from '@perpetua/sim';
import { createLogger, createMetrics } from '@perpetua/telemetry';
import type { PerpetuaConfig } from '../perpetua-config.js';
import { startGateway, type RunningService } from '../compose/build-services.js';
import { ConfigurationError } from '../compose/configuration-error.js';
import { needsSimulator, resolveVenues } from '../compose/resolve-venues.js';

export interface RecordOptions {
  config: PerpetuaConfig;
  out: string;
  /** Venues to record; all configured ones when empty. */
  venues: string[];
  durationSec?: number;
}

export interface RecordSummary {
  event: 'recorded';
  file: string;
  messages: number;
  counts: Record<string, number>;
  durationSec: number;
}

/**
 * `perpetua record`: writes the market-data stream to a file (gzip NDJSON) for
 * replay and backtests: the gateways' books, the venues' raw book changes
 * (md.depth), public trades, marks and funding, and statuses. On NATS
 * (NATS_URL) it records what the running gateways publish (md.depth only from
 * gateways with `gateway.publishDepth: true`); without a bus it runs the
 * gateways itself, with depth on, against the simulator unless sim.enabled is false.
 */
export async function runRecord(options: RecordOptions): Promise<RecordSummary> {
  const { config } = options;
  const logger = createLogger({ service: 'recorder', level: config.telemetry.logLevel, destination: process.stderr });
  const unknown = options.venues.filter((v) => !config.venues[v]);
  if (unknown.length > 0) throw new ConfigurationError(`--venues: ${unknown.join(', ')} not configured (configured: ${Object.keys(config.venues).join(', ')})`);
  const writer = new RecordingWriter(options.out);
  try {
    await writer.opened();
  } catch (err) {
    throw new ConfigurationError(`--out ${options.out}: ${err instanceof Error ? err.message : String(err)} (a recording is never overwritten)`);
  }
  let bus: Bus;
  let sim: RunningSimulator | undefined;
  const gateways: RunningService[] = [];
  const started = Date.now();
  if (config.nats.url) {
    bus = await NatsBus.connect(natsBusOptions(config, 'perpetua-recorder'));
  } else {
    bus = new InProcessBus();
    if (needsSimulator(config) && !config.sim.admin) sim = await startSimulator({ seed: config.sim.seed, stepMs: config.sim.stepMs, admin: false });
    const venues = await resolveVenues(config, sim?.ready);
    const deps = { bus, logger, registry: createMetrics({ service: 'recorder', defaultMetrics: false }) };
    // Our own gateways also publish the venues' raw book changes, so the recording has full depth for backtests.
    const withDepth = { ...config, gateway: { ...config.gateway, publishDepth: true } };
    for (const v of options.venues.length ? options.venues : Object.keys(venues)) gateways.push(await startGateway(withDepth, venues, v, deps));
  }
  const recorder = new MarketDataRecorder(bus, writer, { venues: options.venues });
  recorder.start();
  const progress = setInterval(() => process.stderr.write(`perpetua record: ${writer.written} messages to ${options.out}\n`), 5_000);
  await new Promise<void>((resolve) => {
    if (options.durationSec !== undefined) setTimeout(resolve, options.durationSec * 1000);
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  clearInterval(progress);
  for (const g of gateways) await g.stop();
  await bus.flush();
  recorder.stop();
  await writer.close();
  await bus.close();
  await sim?.close();
  return { event: 'recorded', file: options.out, messages: writer.written, counts: recorder.counts, durationSec: Math.round((Date.now() - started) / 100) / 10 };
}
