import { Writable } from 'node:stream';
import { Registry } from 'prom-client';
import type { Logger } from 'pino';
import { BookMessage, VenueStatusMessage, patterns, subjects } from '@perpetua/core';
import { InProcessBus } from '@perpetua/bus';
import { createLogger } from '@perpetua/telemetry';
import { createMarketData, VenueConfig, type MarketDataAdapter } from '@perpetua/venues';
import type { SimReady, SimWorld } from '@perpetua/sim';
import { bindVenuesToSimulator } from '../../../cli/src/compose/sim-venues.js';
import { GatewayService, type GatewayConfig } from '../src/gateway-service.js';

/**
 * Real adapters, real simulator, real gateway on an in-process bus: what the
 * fault acceptance tests share. Everything a gateway publishes is recorded with
 * the time it arrived and the world step it arrived in, so a test can check
 * each book against the venue's true book of that step.
 */

export const SYMBOL = 'BTC-PERP';
export const DEPTH = 20;

/** The venues as a user would configure them; `bindVenuesToSimulator` points them at the façades. */
export const SIM_VENUES: Readonly<Record<string, VenueConfig>> = {
  binanceusdm: VenueConfig.parse({ kind: 'ccxt', exchange: 'binanceusdm', symbols: [SYMBOL] }),
  bybit: VenueConfig.parse({ kind: 'ccxt', exchange: 'bybit', symbols: [SYMBOL] }),
  okx: VenueConfig.parse({ kind: 'ccxt', exchange: 'okx', symbols: [SYMBOL] }),
  standx: VenueConfig.parse({ kind: 'standx', symbols: [SYMBOL] }),
  grvt: VenueConfig.parse({ kind: 'grvt', symbols: [SYMBOL] }),
};

export interface Recorded<T> {
  msg: T;
  at: number;
  /** `world.stepCount` when it arrived. */
  step: number;
}

type Levels = Array<[number, number]>;

/** The venue's true book, top `depth` levels, as numbers. */
export function engineTop(world: SimWorld, venue: string, depth = DEPTH): { bids: Levels; asks: Levels } {
  const b = world.venue(venue).book(SYMBOL, depth);
  const num = (side: ReadonlyArray<readonly [string, string]>): Levels => side.map(([p, q]) => [Number(p), Number(q)]);
  return { bids: num(b.bids), asks: num(b.asks) };
}

const sameLevels = (a: Levels, b: Levels): boolean => a.length === b.length && a.every(([p, q], i) => p === b[i]![0] && q === b[i]![1]);

/** Whether a published book is exactly the venue's true book (top `DEPTH`). */
export function equalsEngine(book: BookMessage, truth: { bids: Levels; asks: Levels }): boolean {
  return sameLevels(book.bids, truth.bids) && sameLevels(book.asks, truth.asks);
}

/** A short description of how a book differs from the truth, for failure messages. */
export function describeDiff(book: BookMessage | undefined, truth: { bids: Levels; asks: Levels }): string {
  if (!book) return 'no book';
  return `book seq ${book.seq} stale=${book.stale} bid ${JSON.stringify(book.bids.slice(0, 2))} ask ${JSON.stringify(book.asks.slice(0, 2))} (${book.bids.length}/${book.asks.length} levels); truth bid ${JSON.stringify(truth.bids.slice(0, 2))} ask ${JSON.stringify(truth.asks.slice(0, 2))} (${truth.bids.length}/${truth.asks.length} levels)`;
}

/** Polls every 10 ms; `what` may be a function describing the state at the time of failure. */
export { waitUntil as until } from '@perpetua/testkit';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A pino logger (the services' own) writing JSON lines into memory. */
export function memoryLogger(service: string): { logger: Logger; lines: () => Array<Record<string, unknown>> } {
  const raw: string[] = [];
  const logger = createLogger({
    service,
    level: 'info',
    destination: new Writable({
      write(chunk: Buffer, _enc, cb) {
        raw.push(chunk.toString());
        cb();
      },
    }),
  });
  return { logger, lines: () => raw.flatMap((chunk) => chunk.split('\n').filter((l) => l.trim() !== '')).map((l) => JSON.parse(l) as Record<string, unknown>) };
}

/** Current value of a counter series of the gateway's registry. */
export async function counterValue(registry: Registry, name: string, labels: Record<string, string>): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (!metric) return 0;
  const { values } = await metric.get();
  return values.filter((v) => Object.entries(labels).every(([k, want]) => v.labels[k] === want)).reduce((sum, v) => sum + v.value, 0);
}

export interface GatewayRig {
  bus: InProcessBus;
  registry: Registry;
  logs: () => Array<Record<string, unknown>>;
  gateways: Map<string, GatewayService>;
  books(venue: string): Array<Recorded<BookMessage>>;
  statuses(venue: string): Array<Recorded<VenueStatusMessage>>;
  lastGood(venue: string): BookMessage | undefined;
  stop(): Promise<void>;
}

export interface RigOptions {
  staleAfterMs?: number;
  /** Start the gateways (default true); false leaves that to the test (e.g. after injecting a fault). */
  start?: boolean;
}

/**
 * One gateway per venue, each on its real adapter. `adapters` gives an adapter
 * per venue; `rigForSim` builds them from the simulator's ready line.
 */
export async function gatewayRig(world: { stepCount: number }, adapters: Record<string, MarketDataAdapter>, opts: RigOptions = {}): Promise<GatewayRig> {
  const bus = new InProcessBus();
  const registry = new Registry();
  const { logger, lines } = memoryLogger('gateway-faults');
  const books = new Map<string, Array<Recorded<BookMessage>>>();
  const statuses = new Map<string, Array<Recorded<VenueStatusMessage>>>();
  const gateways = new Map<string, GatewayService>();
  const config: GatewayConfig = { symbols: [SYMBOL], depth: DEPTH, staleAfterMs: opts.staleAfterMs ?? 5_000, lastValueIntervalMs: 1_000 };
  for (const [venue, adapter] of Object.entries(adapters)) {
    books.set(venue, []);
    statuses.set(venue, []);
    bus.subscribe(patterns.booksOf(venue), BookMessage, (b) => void books.get(venue)!.push({ msg: b, at: Date.now(), step: world.stepCount }));
    bus.subscribe(subjects.status(venue), VenueStatusMessage, (s) => void statuses.get(venue)!.push({ msg: s, at: Date.now(), step: world.stepCount }));
    gateways.set(venue, new GatewayService(adapter, config, { bus, logger, registry }));
  }
  if (opts.start !== false) await Promise.all([...gateways.values()].map((g) => g.start()));
  return {
    bus,
    registry,
    logs: lines,
    gateways,
    books: (v) => books.get(v) ?? [],
    statuses: (v) => statuses.get(v) ?? [],
    lastGood: (v) => (books.get(v) ?? []).findLast((r) => !r.msg.stale)?.msg,
    async stop() {
      await Promise.allSettled([...gateways.values()].map((g) => g.stop()));
      await bus.close();
    },
  };
}

/** The real adapters of `venues`, configured exactly as `perpetua start` does with `sim.enabled`. */
export function simAdapters(ready: SimReady, venues: readonly string[]): Record<string, MarketDataAdapter> {
  const wanted = Object.fromEntries(venues.map((v) => [v, SIM_VENUES[v]!]));
  const bound = bindVenuesToSimulator(wanted, ready);
  return Object.fromEntries(venues.map((v) => [v, createMarketData(v, bound[v]!)]));
}
