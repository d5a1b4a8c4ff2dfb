import { readFileSync } from 'node:fs';
import type { RedisStateStore } from '@perpetua/state';
import type { SimFill } from '@perpetua/sim';
import { waitUntil } from '@perpetua/testkit';
import { isAlive } from '../../cli/src/stack/local-process.js';
import { BOOK_ACCOUNT, CHAOS_SYMBOL, CHAOS_VENUES, tailOf, type ChaosStack } from './chaos-stack.js';

export interface Violation {
  invariant: string;
  /** The step (its faults) after which it did not hold. */
  after: string;
  evidence: string;
}

/** How long the system has to come back to every invariant after a fault ended. */
export const CONVERGE_MS = 30_000;
/** Quoting stops within this of the book going stale; the kill switch empties every venue within this. */
export const STOP_WITHIN_MS = 1_000;

/**
 * The fill id our state books a venue fill under (ccxt's fillIdOf: symbol, the venue's trade id, liquidity). Bybit's
 * wire trade id is the execution's UUID, which its façade derives from the engine's fillId (facades/bybit/wire-ids.ts).
 */
function fillId(venue: string, f: SimFill): string {
  if (venue !== 'bybit') return `${CHAOS_SYMBOL}:${f.tradeId}:${f.liquidity}`;
  const hex = BigInt(f.fillId).toString(16).padStart(16, '0');
  return `${CHAOS_SYMBOL}:e0000001-0000-4000-${hex.slice(0, 4)}-${hex.slice(4)}:${f.liquidity}`;
}

/** A probe answers undefined when its invariant holds, else the evidence. */
type Probe = () => Promise<string | undefined> | string | undefined;

/**
 * The run's invariants, each a probe polled until it holds or CONVERGE_MS passes (then a violation with the last
 * evidence). Counts every check it runs.
 */
export class Invariants {
  readonly checks = new Map<string, number>();
  readonly violations: Violation[] = [];
  /** Log lines already scanned, per log. */
  private readonly scanned = new Map<string, number>();

  constructor(
    private readonly stack: ChaosStack,
    private readonly store: RedisStateStore,
  ) {}

  private count(invariant: string): void {
    this.checks.set(invariant, (this.checks.get(invariant) ?? 0) + 1);
  }

  fail(invariant: string, after: string, evidence: string): void {
    this.count(invariant);
    this.violations.push({ invariant, after, evidence });
  }

  pass(invariant: string): void {
    this.count(invariant);
  }

  /** Polls the probe until it holds; false (and a violation) if it still does not after timeoutMs. */
  async converge(invariant: string, after: string, probe: Probe, timeoutMs = CONVERGE_MS): Promise<boolean> {
    this.count(invariant);
    let evidence: string | undefined;
    try {
      await waitUntil(
        async () => {
          try {
            evidence = await probe();
          } catch (err) {
            evidence = `probe failed: ${err instanceof Error ? err.message : String(err)}`;
          }
          return evidence === undefined;
        },
        timeoutMs,
        invariant,
        100,
      );
      return true;
    } catch {
      this.violations.push({ invariant, after, evidence: evidence ?? '(no evidence)' });
      return false;
    }
  }

  /** Every venue fill booked exactly once, nothing else booked. */
  fillsProbe(venue: string): Probe {
    return async () => {
      const truth = this.stack.sim.world.venue(venue).fills(this.stack.account(venue), { symbol: CHAOS_SYMBOL, limit: 1_000_000 }).map((f) => fillId(venue, f));
      const log = await this.store.fillLog(venue, BOOK_ACCOUNT, CHAOS_SYMBOL);
      const booked = new Map<string, number>();
      for (const id of log) booked.set(id, (booked.get(id) ?? 0) + 1);
      const twice = [...booked].filter(([, n]) => n > 1).map(([id]) => id);
      const missing = truth.filter((id) => !booked.has(id));
      const truthSet = new Set(truth);
      const unknown = [...booked.keys()].filter((id) => !truthSet.has(id));
      if (twice.length + missing.length + unknown.length === 0) return undefined;
      return `${venue}: ${truth.length} venue fills, ${log.length} booked; booked twice ${JSON.stringify(twice.slice(0, 5))}; not booked ${JSON.stringify(missing.slice(0, 5))}; booked but not on the venue ${JSON.stringify(unknown.slice(0, 5))}`;
    };
  }

  /** The booked position equals the venue's. */
  positionProbe(venue: string): Probe {
    return async () => {
      const venueQty = Number(this.stack.sim.world.venue(venue).position(this.stack.account(venue), CHAOS_SYMBOL).qty);
      const booked = Number((await this.store.getPosition(venue, BOOK_ACCOUNT, CHAOS_SYMBOL))?.qty ?? '0');
      return Math.abs(venueQty - booked) < 1e-9 ? undefined : `${venue}: venue position ${venueQty}, booked ${booked}`;
    };
  }

  /** Every order resting on the venue is one our state (the router's saved open orders) owns, and every order it owns rests. */
  ordersProbe(venue: string): Probe {
    return async () => {
      const resting = this.stack.sim.world.venue(venue).openOrders(this.stack.account(venue)).map((o) => o.clientOrderId ?? `(no client id) ${o.orderId}`);
      const owned = (await this.store.loadOpenOrders(venue, BOOK_ACCOUNT)).map((o) => o.clientOrderId);
      const ownedSet = new Set(owned);
      const restingSet = new Set(resting);
      const unowned = resting.filter((id) => !ownedSet.has(id));
      const lost = owned.filter((id) => !restingSet.has(id));
      if (unowned.length + lost.length === 0) return undefined;
      return `${venue}: resting but not in our state ${JSON.stringify(unowned.slice(0, 5))}; in our state but not resting ${JSON.stringify(lost.slice(0, 5))}`;
    };
  }

  /** Quoting: the venue has an order of ours resting. */
  quotingProbe(venue: string): Probe {
    return () => (this.stack.sim.world.venue(venue).openOrders(this.stack.account(venue), CHAOS_SYMBOL).length > 0 ? undefined : `${venue}: no quote resting`);
  }

  /** Every process of the stack runs (the run restarts what it kills: one that died on its own is a violation). */
  processesProbe(): Probe {
    return () => {
      const dead = this.stack.state.processes.filter((p) => !isAlive(p.pid));
      return dead.length === 0 ? undefined : dead.map((p) => `${p.id} (pid ${p.pid}) is not running; its log ends:\n${tailOf(p.log, 6)}`).join('\n');
    };
  }

  /** No log line since the last scan tells of an unhandled rejection or an uncaught exception. */
  scanLogs(after: string): void {
    const pattern = /unhandled ?rejection|uncaught ?exception|UnhandledPromiseRejection|Unhandled error event/i;
    const found: string[] = [];
    for (const p of this.stack.state.processes) {
      let lines: string[];
      try {
        lines = readFileSync(p.log, 'utf8').split('\n');
      } catch {
        continue;
      }
      const from = this.scanned.get(p.log) ?? 0;
      this.scanned.set(p.log, lines.length);
      for (const l of lines.slice(from)) if (pattern.test(l)) found.push(`${p.id}: ${l.slice(0, 300)}`);
    }
    if (found.length === 0) this.pass('no unhandled rejection in any log');
    else this.fail('no unhandled rejection in any log', after, found.slice(0, 5).join('\n'));
  }

  /** Every invariant after a step, together: resolves with how long they took to hold (undefined when one did not). */
  async afterStep(after: string): Promise<number | undefined> {
    const t0 = Date.now();
    const results = await Promise.all([
      this.converge('every process runs', after, this.processesProbe()),
      ...CHAOS_VENUES.flatMap((v) => [
        this.converge('every fill booked exactly once', after, this.fillsProbe(v)),
        this.converge('booked position equals the venue', after, this.positionProbe(v)),
        this.converge('no order unowned, none of ours lost', after, this.ordersProbe(v)),
        this.converge('quoting resumes', after, this.quotingProbe(v)),
      ]),
    ]);
    this.scanLogs(after);
    return results.every(Boolean) ? Date.now() - t0 : undefined;
  }
}
