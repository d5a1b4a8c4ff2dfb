import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { KillRequest, patterns, RiskStateMessage, subjects } from '@perpetua/core';
import { NatsBus } from '@perpetua/bus';
import { startSimulator, type RunningSimulator } from '@perpetua/sim';
import { holdsFor, startNats, startRedis, uniquePrefix, type TestServer } from '@perpetua/testkit';
import { EngineBookQuoter, SYMBOL, TRADING_VENUES, TradingStack, engineAccount, haltOf, kill, waitFor, type ServiceChild, type TradingVenue } from './trading-harness.js';

/**
 * Acceptance for the kill switch and the control API, against the simulator:
 * one risk and a live order router per venue (Binance, Bybit, StandX, GRVT),
 * each its own process, quoting through risk. `perpetua kill` empties every
 * venue's book of our orders within 1 s (measured on the engines), the halt
 * survives a restart of risk, and only `--reset` lets quoting resume. Invalid
 * control requests are refused with a clear error and change nothing.
 *
 * The intents come from a stand-in quoter in the test (EngineBookQuoter): the
 * path under test is risk → routers → venues, and four gateway and quoter
 * processes would only add start-up time.
 */
let nats: TestServer;
let redis: TestServer;
let sim: RunningSimulator;
let bus: NatsBus;
let raw: NatsConnection;
let stack: TradingStack;
let quoter: EngineBookQuoter;
let risk: ServiceChild;
const routers = new Map<TradingVenue, ServiceChild>();
let accounts: Record<TradingVenue, string>;

const openOn = (v: TradingVenue): number => sim.world.venue(v).openOrders(accounts[v], SYMBOL).length;
const allQuoting = (): boolean => TRADING_VENUES.every((v) => openOn(v) > 0);
const totalOpen = (): number => TRADING_VENUES.reduce((n, v) => n + openOn(v), 0);
/**
 * Orders of ours that reached a venue (created or amended there), counted on the engines themselves: the routers'
 * placed counters count acknowledgements, which for a place in flight at the halt can come seconds later (by query).
 */
let venueOrders = 0;
/** Place and amend requests a router has sent and the venue has not answered yet (its gauge). */
async function requestsInFlight(router: ServiceChild): Promise<number> {
  const text = await (await fetch(`${router.ready.http}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('perpetua_router_order_requests_in_flight{'));
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
}

/** A control request as raw bytes; the reply as text (risk answers {ok:false,error} to a bad request). */
async function control(verb: string, body: string | Uint8Array): Promise<string> {
  const reply = await raw.request(subjects.control('risk', verb), body, { timeout: 5_000 });
  return reply.string();
}

beforeAll(async () => {
  [nats, redis] = await Promise.all([startNats(), startRedis()]);
  sim = await startSimulator({ seed: 47 });
  accounts = Object.fromEntries(TRADING_VENUES.map((v) => [v, engineAccount(sim.ready, v)])) as Record<TradingVenue, string>;
  for (const v of TRADING_VENUES) {
    sim.world.venue(v).subscribe((e) => {
      if (e.type === 'order' && e.accountId === accounts[v] && (e.execType === 'new' || e.execType === 'amended')) venueOrders++;
    });
  }
  bus = await NatsBus.connect({ url: nats.url, name: 'kill-switch-test' });
  raw = await connect({ servers: nats.url, name: 'kill-switch-raw' });
  stack = new TradingStack({ natsUrl: nats.url, redisUrl: redis.url, simAdmin: sim.ready.admin!, keyPrefix: `${uniquePrefix('kill')}:` });
  const started = await Promise.all([stack.spawn('risk', undefined), ...TRADING_VENUES.map((v) => stack.spawn('order-router', v))]);
  risk = started[0]!;
  TRADING_VENUES.forEach((v, i) => routers.set(v, started[i + 1]!));
  quoter = new EngineBookQuoter(bus, sim.world, TRADING_VENUES);
  quoter.start(100);
  await waitFor(allQuoting, 30_000, 'quotes resting on every venue');
}, 180_000);

afterAll(async () => {
  quoter?.stop();
  await stack?.killAll();
  await raw?.close();
  await bus?.close();
  await sim?.close();
  await Promise.all([nats?.stop(), redis?.stop()]);
});

describe('the control API over NATS', () => {
  it('refuses unknown verbs, wrong types, huge and unknown fields with a clear error, and changes nothing', async () => {
    const before = await control('status', '{}');
    expect(JSON.parse(before)).toMatchObject({ ok: true, value: { halted: false } });

    const refusals: Array<[verb: string, body: string | Uint8Array, error: RegExp]> = [
      ['kill', JSON.stringify({ reason: 42 }), /invalid request.*reason/i],
      ['kill', JSON.stringify({ reason: 'x'.repeat(10 * 1024) }), /invalid request.*reason/i],
      ['kill', JSON.stringify({ reason: 'ok', force: true }), /invalid request.*force/i],
      ['kill', JSON.stringify({}), /invalid request.*reason/i],
      ['kill', JSON.stringify({ reason: '   ' }), /invalid request.*reason/i],
      ['kill', JSON.stringify({ reason: 'ok', by: 'b'.repeat(65) }), /invalid request.*by/i],
      ['kill', 'kill everything now', /invalid request/i],
      ['kill', new Uint8Array([0xff, 0xfe, 0x00]), /invalid request/i],
      ['kill', JSON.stringify(['reason']), /invalid request/i],
      ['reset', JSON.stringify({ reason: ['ok'] }), /invalid request.*reason/i],
      ['status', JSON.stringify({ verbose: true }), /invalid request.*verbose/i],
    ];
    for (const [verb, body, error] of refusals) {
      const reply = JSON.parse(await control(verb, body)) as { ok: boolean; error?: string };
      expect(reply.ok, `${verb} ${String(body).slice(0, 40)}`).toBe(false);
      expect(reply.error, `${verb} ${String(body).slice(0, 40)}`).toMatch(error);
      // Clear means short: the error names the problem, it does not echo a 10 KB reason back.
      expect(reply.error!.length).toBeLessThan(500);
    }

    // A verb nobody serves: the bus says so at once.
    await expect(raw.request(subjects.control('risk', 'explode'), '{}', { timeout: 5_000 })).rejects.toThrow(/no responders/i);

    // The CLI: a missing or oversized reason is a usage error, exit 2, one line, nothing sent.
    // (Two cases only: each CLI run costs seconds of start-up.) A refused command sends nothing.
    let sent = 0;
    const watch = raw.subscribe(patterns.controlsOf('risk'), { callback: () => void sent++ });
    for (const args of [[], ['--reason', 'r'.repeat(201)]]) {
      const r = await kill(nats.url, args);
      expect(r.code, `perpetua kill ${args.join(' ').slice(0, 40)}: ${r.stderr}`).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trimEnd().split('\n'), r.stderr).toHaveLength(1);
      expect(r.stderr).toMatch(/^perpetua: /);
    }
    await raw.flush();
    watch.unsubscribe();
    expect(sent).toBe(0);

    // Nothing changed: not halted, every venue still quoting.
    expect(await control('status', '{}')).toBe(before);
    await waitFor(allQuoting, 10_000, 'quoting on every venue after the refused requests');
  }, 120_000);
});

describe('the kill switch on four live venues', () => {
  it('cancels every order on every venue within 1 s, stays halted through a risk restart, and resumes on reset', async ({ annotate }) => {
    await waitFor(allQuoting, 15_000, 'quotes resting on every venue');

    // The moment the request reaches NATS (a plain subscriber sees it as risk does) starts the clock;
    // the engines are polled every 10 ms until none of them holds an order of ours.
    // Per venue, and when risk.state said halted, so a slow result shows which hop was slow.
    let requestedAt: number | undefined;
    let emptyAt: number | undefined;
    let stateAt: number | undefined;
    const venueEmptyAt = new Map<TradingVenue, number>();
    const seen = bus.subscribe(subjects.control('risk', 'kill'), KillRequest, () => {
      requestedAt ??= performance.now();
    });
    const state = bus.subscribe(subjects.riskState(), RiskStateMessage, (st) => {
      if (st.halted && requestedAt !== undefined) stateAt ??= performance.now();
    });
    const poller = setInterval(() => {
      if (requestedAt === undefined || emptyAt !== undefined) return;
      for (const v of TRADING_VENUES) if (!venueEmptyAt.has(v) && openOn(v) === 0) venueEmptyAt.set(v, performance.now());
      if (totalOpen() === 0) emptyAt = performance.now();
    }, 10);
    try {
      const halted = haltOf(await kill(nats.url, ['--reason', 'test']));
      expect(halted).toMatchObject({ halted: true, reason: 'test' });
      await waitFor(() => emptyAt !== undefined, 5_000, 'no order of ours on any venue', 10);
    } finally {
      clearInterval(poller);
      seen.unsubscribe();
      state.unsubscribe();
    }
    const since = (t: number | undefined) => (t === undefined ? 'never' : `${(t - requestedAt!).toFixed(0)} ms`);
    const latencyMs = emptyAt! - requestedAt!;
    const breakdown = `every venue empty ${since(emptyAt)} after the request (risk.state halted ${since(stateAt)}; ${TRADING_VENUES.map((v) => `${v} ${since(venueEmptyAt.get(v))}`).join(', ')})`;
    await annotate(`kill switch: ${breakdown}`);
    expect(latencyMs, breakdown).toBeLessThan(1_000);

    // Halted: intents keep coming, risk refuses them, no router sends anything. A request already in flight when the
    // halt landed may still reach its venue (the router cancels it at once): wait until every router has its answers.
    await waitFor(async () => (await Promise.all([...routers.values()].map(requestsInFlight))).every((n) => n === 0) && totalOpen() === 0, 5_000, 'no request in flight at any router and every venue empty', 20);
    expect(totalOpen()).toBe(0);
    const arrivedAfterKill = venueOrders;
    const nothingReachesAVenue = () => totalOpen() === 0 && venueOrders === arrivedAfterKill;
    const whatReached = () => `nothing reaching a venue while halted (${venueOrders - arrivedAfterKill} orders arrived, ${totalOpen()} open)`;
    await holdsFor(nothingReachesAVenue, 1_500, whatReached);
    expect(totalOpen()).toBe(0);
    expect(venueOrders, 'orders that reached a venue while halted').toBe(arrivedAfterKill);

    // Risk restarted: the stored halt holds.
    expect(await stack.stop(risk)).toBe(0);
    risk = await stack.spawn('risk', undefined);
    expect(haltOf(await kill(nats.url, ['--status']))).toMatchObject({ halted: true, reason: 'test' });
    await holdsFor(nothingReachesAVenue, 1_500, whatReached);
    expect(totalOpen()).toBe(0);
    expect(venueOrders, 'orders that reached a venue while halted, across the risk restart').toBe(arrivedAfterKill);

    // Reset: quoting resumes on every venue.
    expect(haltOf(await kill(nats.url, ['--reset', '--reason', 'ok'])).halted).toBe(false);
    await waitFor(allQuoting, 15_000, 'quotes resting on every venue after the reset');
    expect(venueOrders).toBeGreaterThan(arrivedAfterKill);
  }, 120_000);
});
