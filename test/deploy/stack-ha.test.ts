import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BookMessage, patterns } from '@perpetua/core';
import { NatsBus } from '@perpetua/bus';
import { RedisStateStore } from '@perpetua/state';
import { startSimulator, type RunningSimulator, type SimFill } from '@perpetua/sim';
import { holdsFor, waitUntil } from '@perpetua/testkit';
import { bundle } from '../../cli/build/bundle.js';
import { readStackState, type StackProcess, type StackState } from '../../cli/src/stack/stack-state.js';
import { isAlive } from '../../cli/src/stack/local-process.js';
import { ROOT } from './deploy-files.js';
import { gauge as gaugeOf, groupOf, leadersOf } from '../support/stack-metrics.js';

/**
 * Acceptance (issue #23, 3 and 4) on the process stack, trading live on a simulator the test holds (so it
 * reads the venue's own order log): two gateways share a venue's symbols by leases, two risk processes
 * and two routers run as leader and hot standby. kill -9 of a gateway, of the risk leader and of the
 * router leader: each time the survivor takes over within 5 s; no symbol is published by two gateways,
 * no fill is lost or booked twice, no order rests that the active router does not own, and no two
 * routers ever placed orders in the same span of time.
 */
const VENUE = 'binanceusdm';
const SYMBOLS = ['BTC-PERP', 'ETH-PERP'];
const QUOTED = 'BTC-PERP';
/** A standby holds the lease, and runs (a router: reconciled, taking commands), within this of the kill. */
const TAKEOVER_MS = 5_000;
const TMP = join(ROOT, '.tmp', `stack-ha-test-${process.pid}`);
const DIR = join(TMP, 'run');
let entry: string;
let sim: RunningSimulator;
let state: StackState;
let bus: NatsBus | undefined;
let store: RedisStateStore | undefined;
let account: string;

/** Every book seen, by symbol (the test runs a minute: bounded by it). */
const books = new Map<string, { seq: number; at: number }[]>();
/** The venue's order log for our account: each order placed or changed in place, when, by client order id. */
const venueLog: { clientOrderId: string; at: number }[] = [];

/** `perpetua stack …`, asynchronously: the simulator answers from this process meanwhile. */
async function stack(args: string[]): Promise<string> {
  try {
    return (
      await promisify(execFile)(process.execPath, [entry, 'stack', ...args, '--dir', DIR], {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 240_000,
        env: { ...process.env, PERPETUA_SIM__ADMIN: sim.ready.admin! },
      })
    ).stdout;
  } catch (err) {
    const e = err as { code?: number | string; signal?: string; message: string; stdout?: string; stderr?: string };
    throw new Error(`perpetua stack ${args[0]} failed (${e.code ?? e.signal}): ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
}

const group = (prefix: string): StackProcess[] => groupOf(state, prefix);

const gauge = (p: StackProcess, name: string) => gaugeOf(p, name);

/** The gateways holding each symbol now (perpetua_gateway_symbol_held of every live gateway). */
async function holders(): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>(SYMBOLS.map((s) => [s, []]));
  for (const p of group(`gateway.${VENUE}`))
    for (const g of await gauge(p, 'perpetua_gateway_symbol_held')) {
      const symbol = /symbol="([^"]+)"/.exec(g.labels)?.[1];
      if (symbol && g.value === 1) out.get(symbol)?.push(p.id);
    }
  return out;
}

const leaderOf = (prefix: string): Promise<StackProcess[]> => leadersOf(state, prefix);

/** Books of `symbol` came with strictly increasing seq since `from`: one publisher (two would repeat or interleave seqs). */
/** Books of `symbol` since `from` come from one publisher: each seq above the last (none yet counts). */
function noSecondPublisherSince(symbol: string, from: number): boolean {
  const seen = (books.get(symbol) ?? []).filter((b) => b.at >= from);
  return seen.every((b, i) => i === 0 || b.seq > seen[i - 1]!.seq);
}

/** Published since `from`, and by one publisher. */
function onePublisherSince(symbol: string, from: number): boolean {
  return (books.get(symbol) ?? []).some((b) => b.at >= from) && noSecondPublisherSince(symbol, from);
}

/** The router session of a client order id (ClientOrderIds: 'pp' + 10 hex of the session + a counter). */
const session = (clientOrderId: string): string => clientOrderId.slice(0, 12);

/** When `p` said (its {"event":"role"} lines on stdout) it had become `role`, after `after`. */
function roleAt(p: StackProcess, role: string, after: number): number | undefined {
  for (const line of readFileSync(p.log, 'utf8').split('\n')) {
    if (!line.startsWith('{"event":"role"')) continue;
    const e = JSON.parse(line) as { role: string; ts: number };
    if (e.role === role && e.ts > after) return e.ts;
  }
  return undefined;
}

/**
 * The standby took over: it holds the lease (gauge; seen by polling, so a little late) and its service runs (role
 * "active": a router has reconciled). promotingMs is when it said it gained the lease, by its own clock.
 */
async function takeover(prefix: string, dead: StackProcess, killedAt: number): Promise<{ leaseMs: number; promotingMs: number; activeMs: number }> {
  let next: StackProcess | undefined;
  await waitUntil(async () => (next = (await leaderOf(prefix)).find((p) => p !== dead)) !== undefined, TAKEOVER_MS, `a standby ${prefix} holds the lease`, 200);
  const leaseMs = Date.now() - killedAt;
  let active: number | undefined;
  // Waited for past TAKEOVER_MS so a slow takeover fails below with its time, not here.
  await waitUntil(() => (active = roleAt(next!, 'active', killedAt)) !== undefined, 15_000, `${next!.id} runs`, 200);
  return { leaseMs, promotingMs: roleAt(next!, 'promoting', killedAt)! - killedAt, activeMs: active! - killedAt };
}

const kill9 = (p: StackProcess): number => {
  process.kill(p.pid, 'SIGKILL');
  return Date.now();
};

beforeAll(async () => {
  mkdirSync(TMP, { recursive: true });
  entry = (await bundle(join(TMP, 'dist'))).entry;
  sim = await startSimulator({ seed: 29 });
  account = (sim.ready.venues[VENUE]!.credentials as { accountId: string }).accountId;
  sim.world.venue(VENUE).subscribe((e) => {
    if (e.type === 'order' && e.accountId === account && (e.execType === 'new' || e.execType === 'amended')) venueLog.push({ clientOrderId: e.order.clientOrderId!, at: Date.now() });
  });
  const config = join(TMP, 'ha.yaml');
  writeFileSync(
    config,
    [
      'venues:',
      `  ${VENUE}:`,
      '    kind: ccxt',
      `    exchange: ${VENUE}`,
      `    symbols: [${SYMBOLS.join(', ')}]`,
      'trading:',
      '  mode: live',
      'strategy:',
      `  venue: ${VENUE}`,
      `  symbol: ${QUOTED}`,
      '  params:',
      '    kind: fixed-spread',
      '    spreadBps: 0.5',
      "    size: '0.01'",
      'risk:',
      "  maxPosition: '5'",
      "  maxOrderSize: '0.1'",
      'telemetry:',
      '  logLevel: info',
      '',
    ].join('\n'),
  );
  await stack(['up', '--config', config, '--scale', `gateway.${VENUE}=2`, '--scale', 'risk=2', '--scale', `order-router.${VENUE}=2`, '--scale', 'dashboard=0', '--scale', 'arb-detector=0']);
  state = readStackState(DIR)!;
  bus = await NatsBus.connect({ url: state.nats, name: 'stack-ha-observer' });
  bus.subscribe(patterns.booksOf(VENUE), BookMessage, (b) => {
    const list = books.get(b.symbol) ?? [];
    list.push({ seq: b.seq, at: Date.now() });
    books.set(b.symbol, list);
  });
  store = new RedisStateStore(state.redis, { prefix: 'perpetua:' });
}, 300_000);

afterAll(async () => {
  await bus?.close();
  await store?.close();
  if (readStackState(DIR)?.processes.some((p) => isAlive(p.pid))) await stack(['down']);
  await sim?.close();
  if (!process.env.KEEP_STACK_HA_RUN) rmSync(TMP, { recursive: true, force: true });
}, 120_000);

describe('leases on the process stack (two of each: gateway, risk, router)', () => {
  it('every symbol is published by exactly one gateway; kill -9 one and every symbol is published again within 5 s', async () => {
    let seen = new Map<string, string[]>();
    await waitUntil(
      async () => {
        seen = await holders();
        return [...seen.values()].every((h) => h.length === 1) && new Set([...seen.values()].flat()).size === 2;
      },
      20_000,
      () => `each symbol held by one gateway, the two sharing them: ${JSON.stringify([...seen])}`,
      200,
    );
    // Over a window: one holder per symbol, every symbol published, and by one publisher only.
    const from = Date.now();
    await holdsFor(
      async () => [...(seen = await holders()).values()].every((h) => h.length === 1),
      2_000,
      () => `a symbol with other than one holder: ${JSON.stringify([...seen])}`,
      100,
    );
    for (const s of SYMBOLS) expect(onePublisherSince(s, from), `${s}: books from one publisher, strictly increasing seq`).toBe(true);

    const victim = group(`gateway.${VENUE}`).find((p) => seen.get(QUOTED)!.includes(p.id))!;
    const orphaned = SYMBOLS.filter((s) => seen.get(s)!.includes(victim.id));
    const survivor = group(`gateway.${VENUE}`).find((p) => p !== victim)!;
    const killedAt = kill9(victim);
    // Taken over: the survivor says it holds every symbol, and a book of each arrives after it said so
    // (books of the victim still in flight at the kill do not count).
    await waitUntil(async () => [...(seen = await holders()).values()].every((h) => h.length === 1 && h[0] === survivor.id), TAKEOVER_MS, () => `the survivor holds every symbol: ${JSON.stringify([...seen])}`, 50);
    const heldAt = Date.now();
    for (const s of orphaned) await waitUntil(() => (books.get(s) ?? []).some((b) => b.at > heldAt), TAKEOVER_MS, `${s} published by the survivor`, 10);
    const republished = Math.max(...orphaned.map((s) => books.get(s)!.find((b) => b.at > heldAt)!.at));
    expect(republished - killedAt, 'every symbol published again').toBeLessThan(TAKEOVER_MS);
    const after = Date.now();
    // Over a second: no second publisher (seqs only grow); then every symbol was published in it.
    await holdsFor(() => SYMBOLS.every((s) => noSecondPublisherSince(s, after)), 1_000, () => `one publisher per symbol after the takeover: ${SYMBOLS.filter((s) => !noSecondPublisherSince(s, after)).join(', ')} had two`);
    for (const s of SYMBOLS) expect(onePublisherSince(s, after), `${s}: published after the takeover, by one publisher`).toBe(true);
  }, 60_000);

  it('kill -9 the risk leader and the router leader while quoting: standbys lead within 5 s; no fill lost or booked twice, no order left unowned, never two routers placing', async () => {
    const engine = sim.world.venue(VENUE);
    const engineFills = (): SimFill[] => engine.fills(account, { symbol: QUOTED, limit: 1_000_000 });
    const fillId = (f: SimFill) => `${QUOTED}:${f.tradeId}:${f.liquidity}`;
    const booked = async () => (await store!.fillLog(VENUE, 'paper', QUOTED)).length;
    await waitUntil(() => engine.openOrders(account, QUOTED).length > 0 && engineFills().length >= 2, 30_000, 'quoting, with fills', 100);
    await waitUntil(async () => (await booked()) >= 1, 15_000, 'fills booked', 100);

    // Risk: the leader dies; the standby leads within 5 s and books the fills that follow.
    const [risk] = await leaderOf('risk');
    expect(risk, 'one risk leads').toBeDefined();
    expect(await leaderOf('risk')).toHaveLength(1);
    const riskKilled = kill9(risk!);
    const riskTakeover = await takeover('risk', risk!, riskKilled);
    console.log(`risk takeover: lease seen ${riskTakeover.leaseMs} ms, promoting ${riskTakeover.promotingMs} ms, active ${riskTakeover.activeMs} ms after the kill`);
    expect(riskTakeover.leaseMs).toBeLessThan(TAKEOVER_MS);
    expect(riskTakeover.activeMs).toBeLessThan(TAKEOVER_MS);
    const bookedAtRiskKill = await booked();
    await waitUntil(async () => (await booked()) > bookedAtRiskKill, 30_000, 'fills booked by the new risk leader', 200);

    // Router: the leader dies with quotes resting; the standby leads within 5 s, cancels what it does not own, and quotes.
    const [router] = await leaderOf(`order-router.${VENUE}`);
    expect(router, 'one router leads').toBeDefined();
    const oldSessions = new Set(venueLog.map((o) => session(o.clientOrderId)));
    const routerKilled = kill9(router!);
    const routerTakeover = await takeover(`order-router.${VENUE}`, router!, routerKilled);
    console.log(`router takeover: lease seen ${routerTakeover.leaseMs} ms, promoting ${routerTakeover.promotingMs} ms, reconciled and taking commands ${routerTakeover.activeMs} ms after the kill`);
    // Reconciled within 5 s too: the dead leader's orders cancelled and its fills read back (per symbol, not one heavy all-symbol query).
    expect(routerTakeover.leaseMs).toBeLessThan(TAKEOVER_MS);
    expect(routerTakeover.activeMs).toBeLessThan(TAKEOVER_MS);
    await waitUntil(() => venueLog.some((o) => o.at > routerKilled && !oldSessions.has(session(o.clientOrderId))), 15_000, 'the new leader places orders', 50);
    const newSession = session(venueLog.find((o) => o.at > routerKilled && !oldSessions.has(session(o.clientOrderId)))!.clientOrderId);
    // From now on every order resting on the venue is the new leader's: the dead one's were cancelled before it placed.
    await holdsFor(
      () => engine.openOrders(account).every((o) => session(o.clientOrderId!) === newSession),
      2_000,
      () => `orders resting that the active router does not own: ${JSON.stringify(engine.openOrders(account).map((o) => o.clientOrderId))}`,
    );
    await waitUntil(() => engineFills().some((f) => f.ts > routerKilled), 30_000, 'fills after the router takeover', 100);

    // Stop quoting and the routers (the leader pulls its orders), then audit the venue against Redis.
    process.kill(group('quoter')[0]!.pid, 'SIGTERM');
    for (const p of group(`order-router.${VENUE}`).filter((p) => isAlive(p.pid))) process.kill(p.pid, 'SIGTERM');
    await waitUntil(() => group(`order-router.${VENUE}`).every((p) => !isAlive(p.pid)), 20_000, 'the routers stopped', 100);
    expect(engine.openOrders(account)).toEqual([]);
    const truth = engineFills();
    let count = 0;
    await waitUntil(async () => (count = await booked()) >= truth.length, 30_000, () => `risk booked every fill (${count} of ${truth.length})`, 200);
    const log = await store!.fillLog(VENUE, 'paper', QUOTED);
    expect(new Set(log).size, 'no fill booked twice').toBe(log.length);
    expect([...log].sort(), 'every venue fill booked, nothing else').toEqual(truth.map(fillId).sort());

    // Never two routers placing at once: each session's placements lie in its own span, none overlapping another's.
    const spans = new Map<string, { first: number; last: number }>();
    for (const o of venueLog) {
      const s = spans.get(session(o.clientOrderId)) ?? { first: o.at, last: o.at };
      s.last = o.at;
      spans.set(session(o.clientOrderId), s);
    }
    const ordered = [...spans.values()].sort((a, b) => a.first - b.first);
    expect(ordered.length, 'orders from the first and the second leader').toBeGreaterThanOrEqual(2);
    for (let i = 1; i < ordered.length; i++) expect(ordered[i]!.first, 'a leader placed before the previous one had stopped').toBeGreaterThan(ordered[i - 1]!.last);
    expect(spans.get(newSession)!.first).toBeGreaterThan(routerKilled);
  }, 90_000);
});
