import { natsBusOptions } from '../compose/nats-bus-options.js';
import { Fill } from '@perpetua/core';
import { NatsBus, type DurableStreamReader } from '@perpetua/bus';
import {
  MemoryStateStore, RedisStateStore, isTruncated, positionDifferences, rebuildState, type FillHistory, type FundingHistory, type PositionFieldDifference, type RebuildReport,
} from '@perpetua/state';
import { createLogger, createMetrics } from '@perpetua/telemetry';
import type { TradingAdapter } from '@perpetua/venues';
import type { PerpetuaConfig } from '../perpetua-config.js';
import { ConfigurationError } from '../compose/configuration-error.js';
import { createTradingAdapter } from '../compose/build-services.js';
import { resolveVenues } from '../compose/resolve-venues.js';

export interface StateRebuildOptions {
  config: PerpetuaConfig;
  /** Rebuild in memory only and print what would be written, with its differences from the store. */
  dryRun: boolean;
  /** Wipe this prefix's rebuildable keys first (else a non-empty store is refused). */
  force: boolean;
  /** Rebuild even though the stream's byte limit discarded its first fills (positions will miss them). */
  allowTruncated: boolean;
  /**
   * Live trading: funding is read from every configured venue's funding history from this venue time (ms):
   * when the deployment first started, less the routers' funding look-back (24 h by default). Unset:
   * funding is not rebuilt (the routers' funding bookers book their look-back again on their next poll).
   */
  fundingSinceMs?: number;
  /** Progress lines (stderr). */
  progress: (line: string) => void;
}

export interface StateRebuildResult {
  dryRun: boolean;
  prefix: string;
  /** Keys deleted by --force before the rebuild. */
  wiped: number;
  report: RebuildReport;
  /** Dry run: every field the rebuild would change in the store as it is. */
  differences?: PositionFieldDifference[];
}

/** A refusal the operator can act on (non-empty store, truncated stream): exit 1 with the message alone. */
export class StateRebuildRefused extends Error {
  override name = 'StateRebuildRefused';
}

/**
 * `perpetua state rebuild`: Redis's positions, PnL and fees again from the FILLS stream, booked through
 * the store's applyFill in stream order (see rebuildState). Funding travels on no stream (the routers
 * book it into the store from the venues' histories): with --funding-since it is read again from the
 * venues, as the routers' funding bookers read it. Risk must be stopped while it runs: fills it booked
 * into the emptied store ahead of the replay would be booked out of order.
 */
export async function runStateRebuild(o: StateRebuildOptions): Promise<StateRebuildResult> {
  const { config } = o;
  if (!config.nats.url) throw new ConfigurationError('perpetua state rebuild reads the FILLS stream: set NATS_URL');
  if (!config.redis.url) throw new ConfigurationError('perpetua state rebuild writes the state store: set REDIS_URL');
  if (o.fundingSinceMs !== undefined && config.trading.mode !== 'live') {
    throw new ConfigurationError('--funding-since reads the venues\' funding histories, which only live trading has (paper venues charge no funding)');
  }
  const bus = await NatsBus.connect(natsBusOptions(config, 'perpetua-state-rebuild'));
  const store = new RedisStateStore(config.redis.url, { prefix: config.redis.keyPrefix, password: config.redis.password });
  let adapters: TradingAdapter[] = [];
  try {
    const stream = await bus.durableStreamState('fills');
    if (isTruncated(stream) && !o.allowTruncated) {
      throw new StateRebuildRefused(
        `the FILLS stream no longer holds its first fills (it starts at sequence ${stream.firstSeq}; it keeps ${stream.maxMessages} fills, nats.fillsMaxMessages): ` +
          'a rebuild would miss them. Rebuild anyway with --allow-truncated and let the venue reconciliation correct the positions.',
      );
    }
    if (o.fundingSinceMs === undefined && config.trading.mode === 'live') {
      o.progress('funding is not rebuilt (no --funding-since): the routers\' funding bookers book only their look-back again');
    }
    const fills = fillHistory(bus);
    adapters = o.fundingSinceMs === undefined ? [] : await fundingAdapters(config, bus);
    const funding = o.fundingSinceMs === undefined ? undefined : { sources: adapters.map(fundingHistory), sinceMs: o.fundingSinceMs };
    const onProgress = (p: { fillsReplayed: number; duplicatesSkipped: number; streamSeq: number; lastSeq: number }) =>
      o.progress(`replayed ${p.fillsReplayed} fills (${p.duplicatesSkipped} duplicates), stream sequence ${p.streamSeq} of ${p.lastSeq}`);

    if (o.dryRun) {
      const memory = new MemoryStateStore();
      const report = await rebuildState({ fills, store: memory, onProgress, ...(funding ? { funding } : {}) });
      const differences = positionDifferences(await store.listPositions(), await memory.listPositions());
      return { dryRun: true, prefix: store.keys.prefix, wiped: 0, report, differences };
    }

    const existing = await store.rebuildableKeys();
    let wiped = 0;
    if (existing.length > 0) {
      if (!o.force) {
        throw new StateRebuildRefused(
          `the store under prefix "${store.keys.prefix}" already holds ${existing.length} keys of position state (${existing.slice(0, 3).join(', ')}${existing.length > 3 ? ', …' : ''}): ` +
            'refusing to rebuild over it. Stop risk, then --force deletes these keys (this prefix only; the halt, open orders and fences stay) and rebuilds.',
        );
      }
      wiped = await store.wipeRebuildable();
      o.progress(`wiped ${wiped} keys under "${store.keys.prefix}"`);
    }
    const report = await rebuildState({ fills, store, onProgress, ...(funding ? { funding } : {}) });
    return { dryRun: false, prefix: store.keys.prefix, wiped, report };
  } finally {
    await Promise.all(adapters.map((a) => a.close().catch(() => {})));
    await store.close();
    await bus.close();
  }
}

/** The FILLS stream from its first message, as rebuildState reads it. */
function fillHistory(bus: DurableStreamReader): FillHistory {
  return {
    async readFills(onFill) {
      let lastSeq = 0;
      const r = await bus.readDurable('fills', Fill, async (fill, meta) => onFill(fill, { streamSeq: meta.streamSeq, lastSeq }), {
        onStart: (state) => (lastSeq = state.lastSeq),
      });
      return { firstSeq: r.state.firstSeq, lastSeq: r.state.lastSeq, messages: r.state.messages, invalid: r.invalid };
    },
  };
}

/** Every configured venue's trading adapter, for its funding history (the account its router trades). */
async function fundingAdapters(config: PerpetuaConfig, bus: NatsBus): Promise<TradingAdapter[]> {
  const venues = await resolveVenues(config);
  const deps = { bus, logger: createLogger({ service: 'state-rebuild', level: 'warn', destination: process.stderr }), registry: createMetrics({ service: 'state-rebuild' }) };
  const out: TradingAdapter[] = [];
  for (const venue of Object.keys(config.venues)) out.push(await createTradingAdapter(config, venues, venue, deps));
  return out;
}

function fundingHistory(adapter: TradingAdapter): FundingHistory {
  return { venue: adapter.venue, account: adapter.account, fundingPayments: (sinceMs) => adapter.fundingPayments(sinceMs) };
}
