import { buckets, Instrument, lastValueKey } from '@perpetua/core';
import { Redis } from 'ioredis';
import { ArbDetectorService, LastValueHistory, RedisStreamHistory, arbStreamKey } from '@perpetua/service-arb-detector';
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
 * The arb detector. With Redis configured (service mode) its events are also
 * kept in a capped Redis stream for dashboards; in one process they stay in memory.
 */
export async function startArbDetector(config: PerpetuaConfig, venues: ResolvedVenues, deps: ServiceDeps & { redisUrl?: string }): Promise<RunningService & { service: ArbDetectorService }> {
  const a = config.arb;
  const onError = (err: unknown) => deps.logger.warn({ err }, 'keeping an opportunity event failed');
  let redis: Redis | undefined;
  let history;
  if (deps.redisUrl) {
    redis = new Redis(deps.redisUrl, config.redis.password === undefined ? {} : { password: config.redis.password });
    history = new RedisStreamHistory(new LastValueHistory(deps.bus, a.historySize, onError), redis, arbStreamKey(config.redis.keyPrefix), a.historySize, onError);
  }
  const service = new ArbDetectorService(
    { threshold: a.threshold, takerFees: await takerFees(config, venues, deps), maxQty: a.maxQty, depth: a.depth, staleAfterMs: a.staleAfterMs, historySize: a.historySize },
    { ...deps, ...(history ? { history } : {}) },
  );
  service.start();
  return {
    name: 'arb-detector',
    service,
    isReady: () => true,
    stop: async () => {
      service.stop();
      redis?.disconnect();
    },
  };
}
