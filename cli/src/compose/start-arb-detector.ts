import { buckets, Instrument, lastValueKey } from '@perpetua/core';
import { Redis } from 'ioredis';
import { ArbDetectorService, ArbExecutor, LastValueHistory, RedisStreamHistory, arbStreamKey } from '@perpetua/service-arb-detector';
import type { PerpetuaConfig } from '../perpetua-config.js';
import type { ResolvedVenues, RunningService, ServiceDeps } from './build-services.js';

/**
 * Taker fee per venue for the detector: configured for the arb, else the venue's
 * configured fee, else what the venue's gateway published with its instruments.
 * A venue with none of these gets the detector's pessimistic default.
 */
async function takerFees(config: PerpetuaConfig, venues: ResolvedVenues, deps: ServiceDeps): Promise<Record<string, number>> {
  const fees: Record<string, number> = {};
  for (const [name, v] of Object.entries(venues)) {
    const configured = config.arb.takerFees[name] ?? ('takerFee' in v ? v.takerFee : undefined);
    if (configured !== undefined) {
      fees[name] = configured;
      continue;
    }
    const inst = await deps.bus.getLast(buckets.instruments, lastValueKey(name, v.symbols[0]!), Instrument).catch(() => undefined);
    if (inst) fees[name] = inst.takerFee;
  }
  return fees;
}

/**
 * The arb detector, and with `arb.execute` its executor (which trades through risk and
 * every venue's router, so those must run). With Redis configured (service mode) its events are also
 * kept in a capped Redis stream for dashboards; in one process they stay in memory.
 */
export async function startArbDetector(config: PerpetuaConfig, venues: ResolvedVenues, deps: ServiceDeps & { redisUrl?: string }): Promise<RunningService & { service: ArbDetectorService; executor?: ArbExecutor }> {
  const a = config.arb;
  const onError = (err: unknown) => deps.logger.warn({ err }, 'keeping an opportunity event failed');
  let redis: Redis | undefined;
  let history;
  if (deps.redisUrl) {
    redis = new Redis(deps.redisUrl, config.redis.password === undefined ? {} : { password: config.redis.password });
    // Without a listener ioredis prints every reconnect failure as an unhandled error event; the history's onError reports failed writes.
    redis.on('error', () => undefined);
    history = new RedisStreamHistory(new LastValueHistory(deps.bus, a.historySize, onError), redis, arbStreamKey(config.redis.keyPrefix), a.historySize, onError);
  }
  const service = new ArbDetectorService(
    { threshold: a.threshold, takerFees: await takerFees(config, venues, deps), maxQty: a.maxQty, depth: a.depth, staleAfterMs: a.staleAfterMs, historySize: a.historySize },
    { ...deps, ...(history ? { history } : {}) },
  );
  service.start();
  let executor: ArbExecutor | undefined;
  if (a.execute) {
    const e = a.execution;
    const instruments = new Map<string, Instrument>();
    executor = new ArbExecutor(
      { ...e, account: config.strategy.account },
      {
        ...deps,
        instrument: async (venue, symbol) => {
          const key = lastValueKey(venue, symbol);
          const known = instruments.get(key) ?? (await deps.bus.getLast(buckets.instruments, key, Instrument).catch(() => undefined));
          if (known) instruments.set(key, known);
          return known;
        },
      },
    );
    executor.start();
  }
  return {
    name: 'arb-detector',
    service,
    ...(executor ? { executor } : {}),
    isReady: () => true,
    stop: async () => {
      await executor?.stop();
      service.stop();
      redis?.disconnect();
    },
  };
}
