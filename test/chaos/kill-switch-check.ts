import { HaltReply, subjects } from '@perpetua/core';
import type { NatsBus } from '@perpetua/bus';
import { holdsFor, waitUntil } from '@perpetua/testkit';
import { gauge } from '../support/stack-metrics.js';
import { CHAOS_VENUES, type ChaosStack } from './chaos-stack.js';
import { STOP_WITHIN_MS, type Invariants } from './invariants.js';

/** What a venue did with an order of ours after the kill switch, as the engine reports it (ms after the kill). */
interface VenueStep {
  at: number;
  venue: string;
  execType: string;
  clientOrderId: string;
  closeReason?: string;
}

/** At most this many venue steps kept for the evidence. */
const TRAIL_MAX = 200;

export const KILL_EMPTIES = 'kill switch empties every venue within 1 s';
export const KILL_NOTHING_AFTER = 'nothing placed after the kill switch';

/** Place and amend requests some router has sent and the venue has not answered yet (every router, standbys too). */
async function requestsInFlight(s: ChaosStack): Promise<number> {
  const routers = s.state.processes.filter((p) => p.kind === 'service' && p.id.startsWith('order-router.'));
  const values = await Promise.all(routers.map((p) => gauge(p, 'perpetua_router_order_requests_in_flight')));
  return values.flat().reduce((n, g) => n + g.value, 0);
}

/**
 * The kill switch at the end of the run, as it promises (docs/ARCHITECTURE.md "Risk and the kill switch"): every
 * router cancels all its orders on seeing the halt and sends nothing new until the reset.
 *
 * The kill is risk's control request (what `perpetua kill` sends) on the run's open NATS connection, and the time is
 * taken just before it. `perpetua kill` itself first connects and checks the JetStream streams, which took 0.1-1.9 s
 * on the loaded machine; timed from before that, as this check was, the routers were rightly still quoting.
 *
 * A place a router sent before it saw the halt may still reach the venue after the cancel-all; the router cancels it
 * as soon as the answer comes (quote-slot-work.ts). So "empty" is measured to the moment from which every venue stays
 * empty with no request in flight at any router, not to the first instant every venue looks empty: a venue is
 * empty for a moment whenever a book's quotes are between a close and the next place. Then, from there, nothing may
 * reach a venue (no new order, no amend) for 2 s.
 *
 * Every order that reached a venue after the kill is in the evidence, with what became of it.
 */
export async function killSwitchCheck(s: ChaosStack, inv: Invariants, bus: NatsBus, say: (line: string) => void): Promise<void> {
  const open = (v: string) => s.sim.world.venue(v).openOrders(s.account(v)).length;
  const resting = () => CHAOS_VENUES.map((v) => `${v}: ${open(v)}`).join(', ');
  const allEmpty = () => CHAOS_VENUES.every((v) => open(v) === 0);
  const trail: VenueStep[] = [];
  let t0 = Date.now();
  const unsubscribe = CHAOS_VENUES.map((venue) =>
    s.sim.world.venue(venue).subscribe((e) => {
      if (e.type !== 'order' || e.accountId !== s.account(venue) || trail.length >= TRAIL_MAX) return;
      trail.push({ at: Date.now() - t0, venue, execType: e.execType, clientOrderId: e.order.clientOrderId, ...(e.order.closeReason ? { closeReason: e.order.closeReason } : {}) });
    }),
  );
  // The last time (ms after the kill) some venue still had an order of ours resting, seen every 5 ms.
  let lastResting = 0;
  // The first time every venue looked empty (what this check measured before: see above).
  let firstEmpty: number | undefined;
  // This process's own lag (it serves the simulator): the longest gap between two 5 ms ticks after the kill.
  let lastTick = Date.now();
  let maxGap = 0;
  const poll = setInterval(() => {
    const now = Date.now();
    maxGap = Math.max(maxGap, now - lastTick);
    lastTick = now;
    if (!allEmpty()) lastResting = Date.now() - t0;
    else firstEmpty ??= Date.now() - t0;
  }, 5);
  const show = (steps: VenueStep[]) => steps.map((x) => `${x.venue} ${x.execType}${x.closeReason ? `(${x.closeReason})` : ''} ${x.clientOrderId} +${x.at} ms`).join('; ') || 'none';
  try {
    t0 = Date.now();
    lastTick = t0;
    const reply = await bus.request(subjects.control('risk', 'kill'), { reason: 'chaos run: end', by: 'chaos run' }, HaltReply, { timeoutMs: 5_000 });
    if (!reply.halted) throw new Error(`risk answered the kill with ${JSON.stringify(reply)}`);
    const answered = Date.now() - t0;
    try {
      await waitUntil(async () => allEmpty() && (await requestsInFlight(s)) === 0 && allEmpty(), 10_000, 'every venue empty and no request in flight at any router', 10);
    } catch (err) {
      inv.fail(KILL_EMPTIES, 'the kill switch', `${err instanceof Error ? err.message : String(err)}; resting: ${resting()}; at the venues since the kill: ${show(trail)}`);
      return;
    }
    // Settled: from the last order seen resting, or the last close the venues reported, whichever is later.
    const closes = trail.filter((x) => x.execType === 'canceled' || x.execType === 'expired' || x.execType === 'trade');
    const emptiedAt = Math.max(lastResting, ...closes.map((x) => x.at));
    const landed = trail.filter((x) => x.execType === 'new');
    const afterFirstEmpty = landed.filter((x) => firstEmpty !== undefined && x.at > firstEmpty).length;
    say(`  kill switch: answered +${answered} ms, every venue empty +${emptiedAt} ms (first seen empty +${firstEmpty ?? '?'} ms, ${afterFirstEmpty} order(s) reached a venue after that); ${landed.length} order(s) in flight at the halt reached a venue: ${show(landed)}; this process lagged up to ${maxGap} ms`);
    if (emptiedAt <= STOP_WITHIN_MS) inv.pass(KILL_EMPTIES);
    else inv.fail(KILL_EMPTIES, 'the kill switch', `every venue empty ${emptiedAt} ms after the kill; at the venues since the kill: ${show(trail)}`);
    const settled = trail.length;
    const reached = () => trail.slice(settled).filter((x) => x.execType === 'new' || x.execType === 'amended');
    try {
      await holdsFor(() => allEmpty() && reached().length === 0, 2_000, () => `an order placed after the kill switch: resting ${resting()}; reached a venue: ${show(reached())}`, 20);
      inv.pass(KILL_NOTHING_AFTER);
    } catch (err) {
      inv.fail(KILL_NOTHING_AFTER, 'the kill switch', `${err instanceof Error ? err.message : String(err)}; at the venues since the kill: ${show(trail)}`);
    }
  } finally {
    clearInterval(poll);
    for (const u of unsubscribe) u();
  }
}
