import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { D, dec, snapPrice, subjects, toText, type Decimal, type PlaceOrderCommand } from '@perpetua/core';
import { InProcessBus } from '@perpetua/bus';
import { RedisStateStore, type StateStore } from '@perpetua/state';
import { createLogger } from '@perpetua/telemetry';
import { CcxtTrading, GrvtTrading, type TradingAdapter } from '@perpetua/venues';
import { createSimWorld, startBinanceFacade, startGrvtFacade, type SimWorldImpl, type VenueEngine } from '@perpetua/sim';
import { RiskService } from '@perpetua/service-risk';
import { startRedis, uniquePrefix, waitUntil, type TestServer } from '@perpetua/testkit';
import { OrderRouterService } from '../src/order-router-service.js';

/**
 * Acceptance (issue #24, item 2): a position held across three funding times on the simulator, through the real
 * adapter and the venue's own funding history endpoint. The router is restarted between funding times (one
 * settles while no router runs); the booked funding must equal the simulator's charges exactly, each booked
 * once, and risk's daily-loss figure must count it. The simulator's funding interval is shortened to 1.5 s. The
 * store is Redis, one connection per process as deployed: risk, the first router and the restarted one.
 */

const logger = createLogger({ service: 'router-funding-e2e', level: 'silent' });
const SYMBOL = 'BTC-PERP';
const ACCOUNT = 'acct-1';
const FUNDING_INTERVAL_MS = 1_500;
const QTY = '0.01';

interface Venue {
  id: string;
  /** Starts the façade; returns the engine account it trades and a factory of fresh adapters. */
  start(world: SimWorldImpl): Promise<{ engineAccount: string; adapter: () => TradingAdapter; close(): Promise<void> }>;
}

const VENUES: Venue[] = [
  {
    id: 'binanceusdm',
    async start(world) {
      const f = await startBinanceFacade({ world });
      const adapter = () =>
        new CcxtTrading({
          venue: 'binanceusdm',
          account: ACCOUNT,
          connection: { exchangeId: 'binanceusdm', apiKey: f.credentials.apiKey, secret: f.credentials.secret, restBaseUrl: f.restUrl, wsBaseUrl: f.restUrl.replace(/^http/, 'ws'), enableRateLimit: false },
        });
      return { engineAccount: f.accountId, adapter, close: () => f.close() };
    },
  },
  {
    id: 'grvt',
    async start(world) {
      const engineAccount = 'mm-grvt';
      const f = await startGrvtFacade({ world, accounts: [{ engineAccountId: engineAccount }] });
      const adapter = () =>
        new GrvtTrading({
          venue: 'grvt',
          account: ACCOUNT,
          env: 'testnet',
          edgeUrl: f.edgeUrl,
          tradesUrl: f.tradesUrl,
          tradesWsUrl: f.tradesWsUrl,
          marketDataUrl: f.marketDataUrl,
          apiKey: f.credentials.apiKey,
          signerPrivateKey: f.credentials.signerPrivateKey,
          subAccountId: f.credentials.subAccountId,
        });
      return { engineAccount, adapter, close: () => f.close() };
    },
  },
];

let redis: TestServer;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

/** What the simulator charged the account (its wallet change, received positive) and how many times. */
function charged(engine: VenueEngine, account: string): { count: number; paidByUs: Decimal } {
  const payments = engine.fundingPayments(account, { symbol: SYMBOL, limit: 10_000 });
  return { count: payments.length, paidByUs: payments.reduce((sum, p) => D.sub(sum, dec(p.amount)), 0n as Decimal) };
}

async function metricValue(registry: Registry, name: string): Promise<number> {
  const m = registry.getSingleMetric(name);
  if (!m) return 0;
  return (await m.get()).values.reduce((sum, v) => sum + v.value, 0);
}

describe('funding is booked exactly once against the simulator', () => {
  for (const v of VENUES) {
    it(`${v.id}: three funding times, a router restart between them, booked = charged, daily loss counts it`, async () => {
      const world = createSimWorld({ seed: 24, clock: 'wall', venues: [{ name: v.id, fundingIntervalMs: FUNDING_INTERVAL_MS }] });
      world.start(20);
      cleanup.push(() => world.stop());
      const venue = await v.start(world);
      cleanup.push(() => venue.close());
      const engine = world.venue(v.id);
      await waitUntil(() => engine.book(SYMBOL, 1).asks.length > 0 && engine.book(SYMBOL, 1).bids.length > 0, 5_000, 'a two-sided book');

      const bus = new InProcessBus();
      cleanup.push(() => bus.close());
      const prefix = uniquePrefix('funding');
      const connect = (): StateStore => {
        const s = new RedisStateStore(redis.url, { prefix });
        cleanup.push(() => s.close());
        return s;
      };
      const store = connect();
      const riskRegistry = new Registry();
      const risk = new RiskService({ bus, store, limits: { maxPosition: '1', maxOrderSize: '1', maxDailyLoss: '1000000' }, logger, registry: riskRegistry });
      await risk.start();
      cleanup.push(() => risk.stop());

      const routerRegistry = new Registry();
      const startRouter = async (): Promise<OrderRouterService> => {
        const adapter = venue.adapter();
        const router = new OrderRouterService({
          bus,
          adapter,
          store: connect(),
          logger,
          registry: routerRegistry,
          reconcile: { settleMs: 0 },
          funding: { intervalMs: 250, marginMs: 30_000, lookbackMs: 60_000 },
        });
        await router.start();
        cleanup.push(async () => {
          await router.stop();
          await adapter.close();
        });
        return router;
      };
      let seq = 0;
      const place = (side: 'buy' | 'sell', reduceOnly: boolean): void => {
        const top = engine.book(SYMBOL, 1);
        const inst = engine.instrument(SYMBOL)!;
        // Through the touch by 1%: an IOC that takes at once.
        const through = side === 'buy' ? D.mul(dec(top.asks[0]![0]), dec('1.01')) : D.mul(dec(top.bids[0]![0]), dec('0.99'));
        const price = snapPrice(inst, side, toText(through), 'nearest');
        const cmd: PlaceOrderCommand = {
          type: 'place',
          commandId: `funding-test-${++seq}`,
          venue: v.id,
          account: ACCOUNT,
          clientOrderId: `fundtest${seq}`,
          symbol: SYMBOL,
          side,
          orderType: 'limit',
          price,
          qty: QTY,
          tif: 'ioc',
          reduceOnly,
          ts: Date.now(),
        };
        bus.publish(subjects.orderCommand(v.id), cmd);
      };
      const booked = async () => (await store.getPosition(v.id, ACCOUNT, SYMBOL))?.funding ?? '0';

      // Open the position through the router; risk books the fill.
      const first = await startRouter();
      place('buy', false);
      await waitUntil(async () => (await store.getPosition(v.id, ACCOUNT, SYMBOL))?.qty === QTY, 10_000, 'the long position booked');

      // First funding time: charged and booked.
      await waitUntil(async () => charged(engine, venue.engineAccount).count >= 1 && (await booked()) !== '0', 10_000, 'the first funding payment booked');
      // A funding time passes with no router running.
      await first.stop();
      const downAt = charged(engine, venue.engineAccount).count;
      await waitUntil(() => charged(engine, venue.engineAccount).count > downAt, 10_000, 'a funding time while the router is down');

      // The restarted router reads the history again from its watermark less the margin: books the missed one only.
      await startRouter();
      await waitUntil(() => charged(engine, venue.engineAccount).count >= 3, 10_000, 'a third funding time');
      place('sell', true);
      await waitUntil(async () => (await store.getPosition(v.id, ACCOUNT, SYMBOL))?.qty === '0', 10_000, 'the position closed and booked');

      // The position is flat: no more charges. Booked funding equals the charges exactly, each booked once.
      const final = charged(engine, venue.engineAccount);
      expect(final.count).toBeGreaterThanOrEqual(3);
      await waitUntil(async () => (await booked()) === toText(final.paidByUs), 10_000, `booked funding ${toText(final.paidByUs)}`);
      expect(await metricValue(routerRegistry, 'perpetua_router_funding_payments_booked_total')).toBe(final.count);
      expect(final.paidByUs).not.toBe(0n);

      // Risk's daily figure is realized less fees and funding (flat: nothing unrealized; the day started at 0).
      const p = (await store.getPosition(v.id, ACCOUNT, SYMBOL))!;
      const expected = D.toNumber(D.sub(D.sub(dec(p.realizedPnl), dec(p.fees)), dec(p.funding)));
      await waitUntil(async () => (await metricValue(riskRegistry, 'perpetua_risk_daily_pnl')) === expected, 5_000, `daily pnl ${expected}`);
      expect(expected).not.toBe(D.toNumber(D.sub(dec(p.realizedPnl), dec(p.fees))));
    }, 30_000);
  }
});
