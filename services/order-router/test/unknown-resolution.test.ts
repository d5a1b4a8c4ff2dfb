import { afterEach, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { snapPrice, subjects, type SetQuotesCommand } from '@perpetua/core';
import { InProcessBus } from '@perpetua/bus';
import { createSimWorld, startBinanceFacade, type BinanceFacade, type SimWorldImpl, type TapRestRequest } from '@perpetua/sim';
import { MemoryStateStore } from '@perpetua/state';
import { createLogger } from '@perpetua/telemetry';
import { CcxtTrading } from '@perpetua/venues';
import { holdsFor, waitUntil } from '@perpetua/testkit';
import { OrderRouterService } from '../src/order-router-service.js';
import { setQuotes, twoSided } from './set-quotes-command.js';

/**
 * A place whose answer never comes back is 'unknown' and must be settled by query, never re-sent: the router
 * with the live ccxt adapter against the simulator's Binance façade, whose tap loses answers and delays
 * requests. Whatever happens to one place, each slot ends with exactly one live order on the venue.
 */
const logger = createLogger({ service: 'router-unknown-test', level: 'silent' });
const ORDER_PATH = '/fapi/v1/order';
const TIMEOUT_MS = 500;

let world: SimWorldImpl | undefined;
let facade: BinanceFacade | undefined;
let adapter: CcxtTrading | undefined;
let router: OrderRouterService | undefined;
let bus: InProcessBus | undefined;
const timers: NodeJS.Timeout[] = [];

afterEach(async () => {
  for (const t of timers.splice(0)) clearTimeout(t);
  await router?.stop();
  await adapter?.close();
  await bus?.close();
  world?.stop();
  await facade?.close();
  world = facade = adapter = router = bus = undefined;
});

/** Sends an intercepted request on to the façade, marked so the tap lets it pass: the venue acts on it. */
async function forward(restUrl: string, r: TapRestRequest): Promise<void> {
  const headers: Record<string, string> = { 'x-test-forwarded': '1' };
  for (const [k, v] of Object.entries(r.headers)) if (typeof v === 'string' && !['host', 'content-length', 'connection'].includes(k)) headers[k] = v;
  await (await fetch(`${restUrl}${r.path}${r.query ? `?${r.query}` : ''}`, { method: r.method, headers, ...(r.body ? { body: r.body } : {}) })).text();
}

async function setup() {
  world = createSimWorld({ seed: 11, clock: 'wall', venues: ['binanceusdm'] });
  world.start(20);
  const f = await startBinanceFacade({ world });
  facade = f;
  adapter = new CcxtTrading({
    venue: 'binanceusdm',
    account: 'acct',
    connection: { exchangeId: 'binanceusdm', apiKey: f.credentials.apiKey, secret: f.credentials.secret, restBaseUrl: f.restUrl, wsBaseUrl: f.restUrl.replace(/^http/, 'ws'), enableRateLimit: false },
    requestTimeoutMs: TIMEOUT_MS,
  });
  const inst = (await adapter.instruments()).find((i) => i.symbol === 'BTC-PERP')!;
  bus = new InProcessBus();
  router = new OrderRouterService({ bus, adapter, store: new MemoryStateStore(), logger, registry: new Registry(), reconcile: { settleMs: 0 } });
  await router.start();
  const engine = world.venue('binanceusdm');
  /** Quotes `away` (fraction) off the touch: far enough to rest untouched. */
  const quotes = (away: number): SetQuotesCommand => {
    const top = engine.book('BTC-PERP', 1);
    const bid = snapPrice(inst, 'buy', Number(top.bids[0]![0]) * (1 - away));
    const ask = snapPrice(inst, 'sell', Number(top.asks[0]![0]) * (1 + away));
    return setQuotes({ venue: 'binanceusdm', account: 'acct' }, twoSided(bid, ask));
  };
  const open = () => engine.openOrders(f.accountId, 'BTC-PERP');
  const perSide = () => ({ buy: open().filter((o) => o.side === 'buy').length, sell: open().filter((o) => o.side === 'sell').length });
  const send = (cmd: SetQuotesCommand) => bus!.publish(subjects.orderCommand('binanceusdm'), cmd);
  /** Exactly one order per slot, at the set's prices. */
  const restsAt = (cmd: SetQuotesCommand): boolean => {
    const n = perSide();
    const prices = new Set(open().map((o) => o.price));
    return n.buy === 1 && n.sell === 1 && cmd.quotes.every((q) => prices.has(q.price));
  };
  const describeOpen = () => open().map((o) => `${o.side} ${o.price}`).join(', ') || 'none';
  return { f, quotes, open, perSide, send, restsAt, describeOpen };
}

describe('order router: places whose fate is unknown', () => {
  it('a place the venue took but whose answer was lost, with the queries failing too, never gives its slot a second order', async () => {
    const { f, quotes, open, perSide, send, restsAt, describeOpen } = await setup();
    let lostAnswers = 0;
    let failedQueries = 0;
    f.setTap({
      rest: async (r) => {
        if (r.path !== ORDER_PATH || r.headers['x-test-forwarded']) return { kind: 'pass' };
        if (r.method === 'POST' && lostAnswers++ === 0) {
          await forward(f.restUrl, r); // the venue places it...
          return { kind: 'hang' }; // ...and the answer never arrives
        }
        // Every query while the first place is unresolved fails: the router must keep the slot occupied.
        if (r.method === 'GET' && failedQueries < 3) {
          failedQueries++;
          return { kind: 'respond', status: 503, body: '{"code":-1001,"msg":"Internal error; unable to process your request."}' };
        }
        return { kind: 'pass' };
      },
    });
    let worst = { buy: 0, sell: 0 };
    const sampler = setInterval(() => {
      const n = perSide();
      worst = { buy: Math.max(worst.buy, n.buy), sell: Math.max(worst.sell, n.sell) };
    }, 5);
    timers.push(sampler as unknown as NodeJS.Timeout);
    try {
      send(quotes(0.02));
      await waitUntil(() => failedQueries >= 3, 5_000, 'the unknown place and its failed queries', 20);
      // The lost-answer bid rests (the venue took it); the ask is placed once the bid's queries gave up.
      await waitUntil(() => perSide().buy === 1 && perSide().sell === 1, 5_000, 'the first quotes resting', 20);
      // New sets: the first moves the quotes (the unresolved order is cancelled by client id first), the second keeps them.
      const moved = quotes(0.03);
      send(moved);
      await waitUntil(() => restsAt(moved), 5_000, () => `the moved quotes resting, one per slot: ${describeOpen()}`, 20);
      const last = quotes(0.03);
      send(last);
      await waitUntil(() => restsAt(last), 5_000, () => `one order per slot at the last set's prices: ${describeOpen()}`, 20);
      await holdsFor(() => restsAt(last), 500, () => `one order per slot at the last set's prices: ${describeOpen()}`);
      expect(new Set(open().map((o) => o.price))).toEqual(new Set(last.quotes.map((q) => q.price)));
    } finally {
      clearInterval(sampler);
    }
    expect(worst).toEqual({ buy: 1, sell: 1 });
    expect(lostAnswers).toBeGreaterThanOrEqual(1);
  }, 20_000);

  it('a place that reaches the venue only after the query said "not found" is cancelled when it shows up', async () => {
    const { f, quotes, open, perSide, send, describeOpen } = await setup();
    let posts = 0;
    let queries = 0;
    let lateDelivered = false;
    f.setTap({
      rest: (r) => {
        if (r.path !== ORDER_PATH || r.headers['x-test-forwarded']) return { kind: 'pass' };
        if (r.method === 'GET') queries++;
        if (r.method !== 'POST') return { kind: 'pass' };
        if (posts++ > 0) return { kind: 'pass' };
        // Held past the adapter's timeout and the router's query, then delivered: the venue places it late.
        timers.push(
          setTimeout(() => {
            void forward(f.restUrl, r)
              .catch(() => undefined)
              .finally(() => (lateDelivered = true));
          }, TIMEOUT_MS * 4),
        );
        return { kind: 'hang' };
      },
    });
    send(quotes(0.02));
    // The place times out (TIMEOUT_MS) and the router asks the venue, which knows nothing of it yet.
    await waitUntil(() => queries >= 1, 5_000, 'the query about the timed-out place', 20);
    const second = quotes(0.025);
    send(second); // the router found nothing for the first bid, so this places a new one
    await waitUntil(() => lateDelivered, 5_000, 'the held place delivered to the venue, late', 20);
    await waitUntil(() => perSide().buy === 1 && perSide().sell === 1, 5_000, () => `one order per slot after the late place: ${describeOpen()}`, 20);
    await holdsFor(() => perSide().buy === 1 && perSide().sell === 1, 500, () => `one order per slot after the late place: ${describeOpen()}`);
    expect(perSide()).toEqual({ buy: 1, sell: 1 });
    expect(new Set(open().map((o) => o.price))).toEqual(new Set(second.quotes.map((q) => q.price)));
  }, 20_000);
});
