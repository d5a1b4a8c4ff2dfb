import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { NatsBus } from '@perpetua/bus';
import { RedisStateStore } from '@perpetua/state';
import { waitUntil } from '@perpetua/testkit';
import { isAlive } from '../../cli/src/stack/local-process.js';
import { BookWatch } from './book-watch.js';
import { parseChaosOptions } from './chaos-options.js';
import { CHAOS_SYMBOL, CHAOS_VENUES, ChaosStack, STALE_AFTER_MS } from './chaos-stack.js';
import { chaosTable, type ChaosSummary } from './chaos-table.js';
import { faultLabel, faultSchedule, type ChaosFault, type KillTarget } from './fault-plan.js';
import { Invariants, STOP_WITHIN_MS } from './invariants.js';
import { killSwitchCheck } from './kill-switch-check.js';
import { SeededRandom } from './seeded-random.js';

/**
 * `npm run chaos -- --minutes N --seed S`: the process stack quoting on three venues (arbitrage executing
 * between them) against the simulator, under a seeded schedule of faults (one at a time, then several at
 * once), with the invariants checked after every step and at the end. Prints the table; exit 1 on any violation.
 */
const ROOT = resolve(import.meta.dirname, '../..');
/** Time kept back at the end for the kill switch, the last checks and stopping the stack. */
const FINAL_RESERVE_MS = 40_000;
/** A step is started only with at least this much time left before the reserve. */
const STEP_BUDGET_MS = 20_000;

const say = (line: string) => process.stderr.write(`chaos: ${line}\n`);

async function main(): Promise<number> {
  const opts = parseChaosOptions(process.argv.slice(2));
  const started = Date.now();
  const endBy = started + opts.minutes * 60_000 - FINAL_RESERVE_MS;
  const dir = resolve(opts.dir ?? join(ROOT, '.tmp', `chaos-${process.pid}`));
  const rnd = new SeededRandom(opts.seed ^ 0x9e3779b9);
  const summary: ChaosSummary = { seed: opts.seed, minutes: opts.minutes, steps: 0, faults: new Map(), checks: new Map(), violations: [], recovery: new Map() };
  let stack: ChaosStack | undefined;
  let bus: NatsBus | undefined;
  let store: RedisStateStore | undefined;
  try {
    stack = await ChaosStack.start(dir, opts.seed, say);
    const s = stack;
    say(`stack up in ${((Date.now() - started) / 1000).toFixed(0)} s: ${s.state.processes.map((p) => p.id).join(', ')}`);
    bus = await NatsBus.connect({ url: s.state.nats, name: 'chaos-observer' });
    const books = new BookWatch(bus, CHAOS_VENUES);
    summary.arbEpisodes = books.arbEpisodes;
    store = new RedisStateStore(s.state.redis, { prefix: 'perpetua:' });
    const inv = new Invariants(s, store);
    summary.checks = inv.checks;
    summary.violations = inv.violations;

    // Trading before the first fault: every venue quoted, and the invariants hold.
    await inv.afterStep('start-up');

    for (const step of faultSchedule(opts.seed)) {
      if (Date.now() + STEP_BUDGET_MS > endBy) break;
      const label = step.map(faultLabel).join(' + ');
      summary.steps++;
      say(`step ${summary.steps}: ${label}`);
      const ended = await Promise.all(step.map((f) => inject(s, inv, books, rnd, f, step.length === 1, label)));
      for (const f of step) summary.faults.set(faultLabel(f), (summary.faults.get(faultLabel(f)) ?? 0) + 1);
      const endedAt = Math.max(...ended);
      const took = await inv.afterStep(label);
      const recovered = took === undefined ? undefined : Date.now() - endedAt;
      say(`  ${recovered === undefined ? 'NOT recovered' : `recovered ${recovered} ms after the fault ended`}; ${inv.violations.length} violations so far`);
      if (recovered !== undefined) for (const f of step) summary.recovery.set(faultLabel(f), [...(summary.recovery.get(faultLabel(f)) ?? []), recovered]);
    }

    // The end: the kill switch empties every venue within 1 s, and nothing is placed after it.
    await killSwitchCheck(s, inv, bus, say);
    // Final audit: fills, positions, orders (none resting, none owned), processes, logs.
    await Promise.all([
      inv.converge('every process runs', 'the end', inv.processesProbe()),
      ...CHAOS_VENUES.flatMap((v) => [
        inv.converge('every fill booked exactly once', 'the end', inv.fillsProbe(v)),
        inv.converge('booked position equals the venue', 'the end', inv.positionProbe(v)),
        inv.converge('no order unowned, none of ours lost', 'the end', inv.ordersProbe(v)),
      ]),
    ]);
    inv.scanLogs('the end');
  } catch (err) {
    summary.violations.push({ invariant: 'the run completes', after: `step ${summary.steps}`, evidence: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  } finally {
    await bus?.close().catch(() => undefined);
    await store?.close().catch(() => undefined);
    await stack?.down().catch((err: unknown) => say(`stopping the stack: ${String(err)}`));
  }
  process.stdout.write(`${chaosTable(summary)}\n`);
  const ok = summary.violations.length === 0;
  if (ok && !opts.keep) rmSync(dir, { recursive: true, force: true });
  else say(`logs kept in ${dir}`);
  return ok ? 0 : 1;
}

/** Resolves a kill target to one process of the stack now. */
async function victim(s: ChaosStack, rnd: SeededRandom, target: KillTarget): Promise<string> {
  const leaderOrAny = async (prefix: string, leader: boolean) => {
    const group = s.group(prefix);
    const leaders = await s.leaders(prefix);
    const pool = leader ? leaders : group.filter((p) => !leaders.includes(p));
    return (pool[0] ?? rnd.pick(group)).id;
  };
  switch (target) {
    case 'nats':
    case 'redis':
    case 'quoter':
    case 'arb-detector':
    case 'dashboard':
      return target;
    case 'gateway (shared)':
      return rnd.pick(s.group('gateway.binanceusdm')).id;
    case 'gateway (sole)':
      return rnd.pick(['gateway.bybit', 'gateway.okx']);
    case 'risk leader':
      return leaderOrAny('risk', true);
    case 'risk standby':
      return leaderOrAny('risk', false);
    case 'router leader':
      return leaderOrAny('order-router.binanceusdm', true);
    case 'router standby':
      return leaderOrAny('order-router.binanceusdm', false);
    case 'router (sole)':
      return rnd.pick(['order-router.bybit', 'order-router.okx']);
  }
}

/** Until the injector has retired the fault (its duration over). */
async function retired(s: ChaosStack, id: string, ms: number): Promise<number> {
  await waitUntil(() => s.sim.faults.get(id) === undefined, ms + 5_000, `fault ${id} retired`, 20);
  return Date.now();
}

let faultSeq = 0;

/** Injects one fault; resolves with when it ended (a killed process: when it was killed; it is running again by then). */
async function inject(s: ChaosStack, inv: Invariants, books: BookWatch, rnd: SeededRandom, f: ChaosFault, alone: boolean, label: string): Promise<number> {
  const id = `chaos-${++faultSeq}`;
  switch (f.kind) {
    case 'kill': {
      const target = await victim(s, rnd, f.target);
      const pid = s.process(target).pid;
      const killedAt = s.kill9(target);
      await waitUntil(() => !isAlive(pid), 5_000, `${target} gone after kill -9`, 10);
      await s.restart(target);
      say(`  ${target} killed and running again in ${Date.now() - killedAt} ms`);
      return killedAt;
    }
    case 'ws_drop':
      s.sim.faults.inject({ id, kind: 'ws_drop', venue: f.venue });
      return Date.now();
    case 'seq_skip':
      s.sim.faults.inject({ id, kind: 'seq_skip', venue: f.venue });
      return Date.now();
    case 'price_jump':
      s.sim.faults.inject({ id, kind: 'price_jump', asset: 'BTC', fraction: f.fraction });
      return Date.now();
    case 'http_error':
      s.sim.faults.inject({ id, kind: 'http_error', venue: f.venue, status: f.status, durationMs: f.ms });
      return retired(s, id, f.ms);
    case 'http_timeout':
      s.sim.faults.inject({ id, kind: 'http_timeout', venue: f.venue, durationMs: f.ms, acted: f.acted });
      return retired(s, id, f.ms);
    case 'basis':
      s.sim.faults.inject({ id, kind: 'basis', venue: f.venue, asset: 'BTC', bps: f.bps, durationMs: f.ms });
      return retired(s, id, f.ms);
    case 'clock_skew': {
      // Alone, the skew is its own check: signed requests within the venue's window go on being taken.
      const actions = alone ? venueActions(s, f.venue) : undefined;
      s.sim.faults.inject({ id, kind: 'clock_skew', venue: f.venue, ms: f.skewMs, durationMs: f.ms });
      const ended = await retired(s, id, f.ms);
      if (actions) {
        const n = actions.stop();
        say(`  ${f.venue}: clock ${f.skewMs > 0 ? 'ahead' : 'behind'} by ${Math.abs(f.skewMs)} ms for ${f.ms} ms; ${n} order actions of ours taken by the venue meanwhile`);
        if (n > 0) inv.pass(CLOCK_SKEW_INVARIANT);
        else inv.fail(CLOCK_SKEW_INVARIANT, label, `${f.venue}: clock skewed by ${f.skewMs} ms for ${f.ms} ms and no order action of ours (new, amended, cancelled) reached the venue meanwhile`);
      }
      return ended;
    }
    case 'ws_freeze': {
      const t0 = Date.now();
      s.sim.faults.inject({ id, kind: 'ws_freeze', venue: f.venue, durationMs: f.ms });
      // Alone, the freeze is the staleness check: the book goes stale, quoting stops within 1 s of it.
      if (alone) await quotingStopsOnStale(s, inv, books, f.venue, t0, label);
      return retired(s, id, f.ms);
    }
  }
}

const CLOCK_SKEW_INVARIANT = 'trading goes on under a skewed venue clock';

/** Counts the venue's order events of ours that a request caused (placed, amended, cancelled) until stop(). */
function venueActions(s: ChaosStack, venue: string): { stop(): number } {
  let n = 0;
  const unsubscribe = s.sim.world.venue(venue).subscribe((e) => {
    if (e.type === 'order' && e.accountId === s.account(venue) && (e.execType === 'new' || e.execType === 'amended' || (e.execType === 'canceled' && e.order.closeReason === 'user'))) n++;
  });
  return {
    stop: () => {
      unsubscribe();
      return n;
    },
  };
}

async function quotingStopsOnStale(s: ChaosStack, inv: Invariants, books: BookWatch, venue: string, from: number, label: string): Promise<void> {
  const invariant = 'quoting stops within 1 s of a stale book';
  let staleAt: number | undefined;
  try {
    await waitUntil(() => (staleAt = books.staleSince(venue, from)) !== undefined, STALE_AFTER_MS + 2_000, `${venue}'s book published stale`, 5);
  } catch (err) {
    inv.fail(invariant, label, `${venue}: ${err instanceof Error ? err.message : String(err)}`);
    return;
  }
  const engine = s.sim.world.venue(venue);
  // The venue's own account of what happened to our orders meanwhile (cancelled by whom, amended), for the evidence.
  const venueEvents: string[] = [];
  const unsubscribe = engine.subscribe((e) => {
    if (e.type === 'order' && e.accountId === s.account(venue) && venueEvents.length < 20) venueEvents.push(`${e.execType}${e.order.closeReason ? `(${e.order.closeReason})` : ''} +${Date.now() - staleAt!} ms`);
  });
  try {
    await waitUntil(() => engine.openOrders(s.account(venue), CHAOS_SYMBOL).length === 0, STOP_WITHIN_MS * 3, 'quotes pulled', 5);
  } catch {
    // measured below
  }
  const stoppedAt = Date.now();
  unsubscribe();
  say(`  ${venue}: book stale at +${staleAt! - from} ms, quotes gone ${stoppedAt - staleAt!} ms later (${books.pullTrace(venue, staleAt!)}; at the venue: ${venueEvents.join(', ') || 'nothing'})`);
  if (engine.openOrders(s.account(venue), CHAOS_SYMBOL).length === 0 && stoppedAt - staleAt! <= STOP_WITHIN_MS) inv.pass(invariant);
  else inv.fail(invariant, label, `${venue}: book stale at +${staleAt! - from} ms; ${engine.openOrders(s.account(venue), CHAOS_SYMBOL).length} quotes still resting ${stoppedAt - staleAt!} ms later; from the stale book: ${books.pullTrace(venue, staleAt!)}; at the venue: ${venueEvents.join(', ') || 'nothing'}`);
}

process.exitCode = await main();
