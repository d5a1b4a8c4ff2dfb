import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { Fill, RouterReconcileReport, routerReconcileSubject, subjects } from '@perpetua/core';
import { InProcessBus } from '@perpetua/bus';
import { RedisStateStore, type StateStore } from '@perpetua/state';
import { createLogger } from '@perpetua/telemetry';
import { StandxTrading } from '@perpetua/venues';
import { createSimWorld, startStandxFacade } from '@perpetua/sim';
import { RiskService } from '@perpetua/service-risk';
import { startRedis, uniquePrefix, waitUntil, type TestServer } from '@perpetua/testkit';
import { OrderRouterService } from '../src/order-router-service.js';
import { setQuotes, twoSided } from './set-quotes-command.js';

/**
 * Issue #20, acceptance 3 ("trades without ids"): StandX's private stream tells our trades without an id (the
 * adapter makes the fill id from the content), query_trades tells them with StandX's id. Through the real router,
 * risk and a Redis store: the timer reconciliation reads the history and publishes none of them again, and a
 * restarted router (a new adapter, whose own fill ledger is empty) does not either. Each venue fill is one fill on
 * the bus and one booked.
 */
const logger = createLogger({ service: 'router-standx-fill-ids', level: 'silent' });
const ACCOUNT = 'acct-1';
let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

let redis: TestServer;
beforeAll(async () => {
  redis = await startRedis();
}, 60_000);
afterAll(async () => {
  await redis?.stop();
});

describe('order router on StandX: trades the stream tells without an id', () => {
  it('a stream fill and its query_trades copy are one fill, through timer reconciles and a router restart', async () => {
    const world = createSimWorld({ seed: 61, clock: 'wall', venues: ['standx'] });
    world.start(20);
    cleanup.push(() => world.stop());
    const facade = await startStandxFacade({ world, dialect: { tradeIds: 'absent' } });
    cleanup.push(() => facade.close());
    const engine = world.venue('standx');
    const accountId = facade.credentials.accountId;

    const bus = new InProcessBus();
    cleanup.push(() => bus.close());
    const store: StateStore = new RedisStateStore(redis.url, { prefix: uniquePrefix('fillids') });
    cleanup.push(() => store.close());
    const risk = new RiskService({ bus, store, limits: { maxPosition: '10', maxOrderSize: '1' }, logger, registry: new Registry() });
    await risk.start();
    cleanup.push(() => risk.stop());
    const published: Fill[] = [];
    bus.subscribe(subjects.fill('standx', 'BTC-PERP'), Fill, (f) => void published.push(f));
    const reports: RouterReconcileReport[] = [];
    bus.subscribe(routerReconcileSubject('standx'), RouterReconcileReport, (r) => void reports.push(r));

    const startRouter = async () => {
      const adapter = new StandxTrading({ account: ACCOUNT, restBaseUrl: facade.restUrl, wsUrl: facade.wsUrl, ...facade.credentials });
      const router = new OrderRouterService({ bus, adapter, store, logger, registry: new Registry(), reconcile: { settleMs: 0, intervalMs: 1_500 } });
      await router.start();
      let stopped = false;
      const stop = async () => {
        if (stopped) return;
        stopped = true;
        await router.stop({ cancelOpen: true });
        await adapter.close();
      };
      cleanup.push(stop);
      return stop;
    };

    const stopFirst = await startRouter();
    // Quotes at the touch, renewed as they fill: the simulator's taker flow trades with them.
    const quote = () => {
      const b = engine.book('BTC-PERP', 1);
      bus.publish(subjects.orderCommand('standx'), setQuotes({ venue: 'standx', account: ACCOUNT }, twoSided(String(b.bids[0]![0]), String(b.asks[0]![0]))));
    };
    // Until a timer reconcile has read fills from the history (4 fills can come before the first one runs).
    await waitUntil(
      () => {
        quote();
        return engine.fills(accountId).length >= 4 && reports.some((r) => r.trigger === 'timer' && r.fillsListed > 0);
      },
      30_000,
      'fills at the touch, read back by a timer reconcile',
      300,
    );
    await stopFirst();
    const venueFills = engine.fills(accountId).length;
    await waitUntil(() => published.length >= venueFills, 10_000, 'every venue fill on the bus');
    expect(published.length).toBe(venueFills);
    expect(published.every((f) => f.idFromContent === true)).toBe(true); // told by the stream, without StandX's ids
    // Timer reconciles of the first router ran over the history (query_trades, with ids) and adopted nothing.
    const timerRuns = reports.filter((r) => r.trigger === 'timer');
    expect(timerRuns.length).toBeGreaterThan(0);
    expect(timerRuns.every((r) => r.fillsAdopted === 0)).toBe(true);
    expect(timerRuns.some((r) => r.fillsListed > 0)).toBe(true);

    // A restarted router: a new adapter with an empty fill ledger, the store the same.
    const before = reports.length;
    await startRouter();
    await waitUntil(() => reports.slice(before).some((r) => r.trigger === 'start') && reports.slice(before).some((r) => r.trigger === 'timer'), 15_000, 'the restarted router reconciled');
    for (const r of reports.slice(before)) expect(r.fillsAdopted, JSON.stringify(r)).toBe(0);
    expect(reports.slice(before).some((r) => r.fillsListed >= venueFills)).toBe(true);
    expect(published.length).toBe(venueFills);
    await waitUntil(async () => (await store.getPosition('standx', ACCOUNT, 'BTC-PERP'))?.fills === venueFills, 10_000, 'every fill booked');
    expect((await store.fillLog('standx', ACCOUNT, 'BTC-PERP')).length).toBe(venueFills);
  }, 90_000);
});
