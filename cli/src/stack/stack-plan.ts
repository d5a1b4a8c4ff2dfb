import { DEPLOYED_SERVICES, SERVICE_PLACEMENT, isServiceName, type ServiceName } from '../compose/service-names.js';

/** One process of the stack: `perpetua service <service> [--venue V]`, the replica-th of its group. */
export interface PlannedService {
  /** The group: `gateway.binanceusdm`, `risk`, `order-router.bybit`. */
  group: string;
  /** The process: the group, with `#2`, `#3` for further replicas. */
  id: string;
  service: ServiceName;
  venue?: string;
}

export interface StackPlan {
  services: PlannedService[];
  /** Deployed services this build cannot run (no `perpetua service <name>`), with why. */
  skipped: { service: string; reason: string }[];
}

export interface PlanInput {
  venues: readonly string[];
  /** Venues that trade (a router each): the strategy's, and every venue when arbitrage executes. */
  tradingVenues: readonly string[];
  /** Replicas per group (`gateway.binanceusdm` → 2); 0 leaves a group out. */
  scale: ReadonlyMap<string, number>;
  /** The names `perpetua service` accepts (SERVICE_NAMES, injectable for tests). */
  isRunnable?: (name: string) => boolean;
}

const MAX_REPLICAS = 16;

/**
 * The venues that trade, a router each: every venue when arbitrage executes, else every strategy's venue
 * (not only the first strategy's: a quoter hosting strategies on three venues needs three routers).
 */
export function tradingVenuesOf(input: { venues: readonly string[]; arbExecutes: boolean; strategyVenues: readonly string[] }): string[] {
  if (input.arbExecutes) return [...input.venues];
  return [...new Set(input.strategyVenues)];
}

/** `--scale gateway.binanceusdm=2` (repeatable) into group → replicas. */
export function parseScale(args: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const arg of args) {
    const m = /^([a-z-]+(?:\.[A-Za-z0-9_-]+)?)=(\d+)$/.exec(arg);
    if (!m) throw new Error(`--scale expects GROUP=N (e.g. gateway.binanceusdm=2), got "${arg}"`);
    const n = Number(m[2]);
    if (n > MAX_REPLICAS) throw new Error(`--scale ${arg}: at most ${MAX_REPLICAS} replicas`);
    out.set(m[1]!, n);
  }
  return out;
}

/** The processes `perpetua stack up` starts, in start order. Pure. */
export function planStack(input: PlanInput): StackPlan {
  const runnable = input.isRunnable ?? isServiceName;
  const services: PlannedService[] = [];
  const skipped: StackPlan['skipped'] = [];
  const groups = new Set<string>();
  for (const name of DEPLOYED_SERVICES) {
    if (!runnable(name)) {
      skipped.push({ service: name, reason: `this build has no \`perpetua service ${name}\`` });
      continue;
    }
    const service = name as ServiceName;
    const placement = SERVICE_PLACEMENT[name];
    const venues = placement === 'per-venue' ? input.venues : placement === 'per-trading-venue' ? input.tradingVenues : [undefined];
    for (const venue of venues) {
      const group = venue === undefined ? name : `${name}.${venue}`;
      groups.add(group);
      const replicas = input.scale.get(group) ?? 1;
      for (let i = 1; i <= replicas; i++) services.push({ group, id: i === 1 ? group : `${group}#${i}`, service, ...(venue === undefined ? {} : { venue }) });
    }
  }
  for (const group of input.scale.keys())
    if (!groups.has(group)) throw new Error(`--scale ${group}: no such service group (the stack runs ${[...groups].join(', ')})`);
  return { services, skipped };
}
