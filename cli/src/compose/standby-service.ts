import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { Gauge, type Registry } from 'prom-client';
import { LEASE_BUCKET, LEASE_TIMING, StandbyRunner, type LeaderTerm, type NatsBus, type StandbyRole } from '@perpetua/bus';
import type { Clock } from '@perpetua/core';
import type { RunningService } from './build-services.js';

export interface StandbyDeps {
  bus: NatsBus;
  logger: Logger;
  registry: Registry;
  clock: Clock;
}

/** Who holds a lease, as others see it: unique per process on a host. */
export function leaseHolder(): string {
  return `${hostname()}-${process.pid}`;
}

/**
 * A service with a hot standby (`perpetua service risk|order-router` on NATS):
 * the process starts connected and idle; it runs the service only while it
 * holds `key`'s lease, started with the leader's term so everything it writes
 * or sends is fenced. Each change of role is a JSON line on stdout
 * ({"event":"role",…}) and the perpetua_lease_leader gauge.
 */
export async function startStandby(name: string, key: string, deps: StandbyDeps, activate: (term: LeaderTerm) => Promise<RunningService>): Promise<RunningService> {
  const store = await deps.bus.leaseStore(LEASE_BUCKET, LEASE_TIMING.ttlMs);
  const existing = deps.registry.getSingleMetric('perpetua_lease_leader');
  const leader = existing instanceof Gauge ? (existing as Gauge<'lease'>) : new Gauge({ name: 'perpetua_lease_leader', help: '1 while this process holds the lease and runs (or is starting) the service; 0 on hot standby', labelNames: ['lease'], registers: [deps.registry] });
  leader.set({ lease: key }, 0);
  let running: RunningService | undefined;
  const onRole = (role: StandbyRole, token: number | undefined) => {
    // Leader from the moment it holds the lease and starts taking over (a router cancels what it does not own first).
    leader.set({ lease: key }, role === 'active' || role === 'promoting' ? 1 : 0);
    deps.logger.info({ service: name, lease: key, role, token }, role === 'active' ? 'leading' : role === 'standby' ? 'standing by' : role);
    process.stdout.write(`${JSON.stringify({ event: 'role', service: name, lease: key, role, token, pid: process.pid, ts: deps.clock.now() })}\n`);
  };
  const runner = new StandbyRunner({
    ...LEASE_TIMING,
    store,
    key,
    holder: leaseHolder(),
    now: () => deps.clock.now(),
    onRole,
    onError: (err) => deps.logger.error({ err, lease: key }, 'lease or service error'),
    activate: async (term) => {
      const r = await activate(term);
      running = r;
      return {
        stop: async () => {
          running = undefined;
          await r.stop();
        },
      };
    },
  });
  runner.start();
  return {
    name,
    // A standby is ready: up, connected, able to take over.
    isReady: () => running?.isReady() ?? true,
    stop: () => runner.stop(),
  };
}
