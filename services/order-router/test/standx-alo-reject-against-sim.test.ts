import { afterEach, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { OrderEvent, subjects } from '@perpetua/core';
import { InProcessBus } from '@perpetua/bus';
import { MemoryStateStore } from '@perpetua/state';
import { createLogger } from '@perpetua/telemetry';
import { StandxTrading } from '@perpetua/venues';
import { createSimWorld, startStandxFacade } from '@perpetua/sim';
import { waitUntil } from '@perpetua/testkit';
import { OrderRouterService } from '../src/order-router-service.js';
import { setQuotes } from './set-quotes-command.js';

/**
 * Acceptance #20.2 through the real router: a post-only quote that would cross goes to StandX over REST with the
 * adapter's session id, StandX rejects it in matching and says so only on its order-response WebSocket (the
 * simulator's order_ws_only dialect), and the router's order state says rejected within a second, freeing the slot
 * for the next quote set. Cancel-all on stop works with cancel_orders answering `[]`.
 */
const logger = createLogger({ service: 'router-standx-e2e', level: 'silent' });
let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

describe('order router on StandX: rejections made in matching', () => {
  it('a crossing post-only quote is rejected within a second from the order WebSocket; the slot is quoted again; cancel-all on stop empties the venue', async () => {
    const world = createSimWorld({ seed: 51, clock: 'wall', venues: ['standx'] });
    world.start(20);
    cleanup.push(() => world.stop());
    const facade = await startStandxFacade({ world, dialect: { rejections: 'order_ws_only', cancelOrdersReply: 'empty_array' } });
    cleanup.push(() => facade.close());
    const engine = world.venue('standx');
    const accountId = facade.credentials.accountId;

    const adapter = new StandxTrading({ account: 'acct-1', restBaseUrl: facade.restUrl, wsUrl: facade.wsUrl, ...facade.credentials });
    const bus = new InProcessBus();
    cleanup.push(() => bus.close());
    const events: OrderEvent[] = [];
    bus.subscribe(subjects.orderEvent('standx'), OrderEvent, (e) => void events.push(e));
    const router = new OrderRouterService({ bus, adapter, store: new MemoryStateStore(), logger, registry: new Registry(), reconcile: { settleMs: 0 } });
    await router.start();
    let stopped = false;
    cleanup.push(async () => {
      if (!stopped) await router.stop({ cancelOpen: true });
      await adapter.close();
    });

    const ask = Number(engine.book('BTC-PERP', 1).asks[0]![0]);
    const farAsk = String(Math.round(ask * 1.05));
    // The bid 1% through the best ask: post-only, it would cross however the book moves meanwhile.
    const t0 = Date.now();
    bus.publish(subjects.orderCommand('standx'), setQuotes({ venue: 'standx', account: 'acct-1' }, [
      { slot: 'bid-0', side: 'buy', price: String(Math.round(ask * 1.01)), qty: '0.01', postOnly: true },
      { slot: 'ask-0', side: 'sell', price: farAsk, qty: '0.01', postOnly: true },
    ]));
    await waitUntil(() => events.some((e) => e.side === 'buy' && e.status === 'rejected'), 1_000, 'the rejection within a second');
    expect(Date.now() - t0).toBeLessThan(1_000);
    expect(events.find((e) => e.side === 'buy' && e.status === 'rejected')).toMatchObject({ reason: 'alo order rejected', venue: 'standx', account: 'acct-1' });
    expect(router.stats.rejected).toBe(0); // not refused over REST: the venue took it and rejected it in matching
    await waitUntil(() => engine.openOrders(accountId, 'BTC-PERP').some((o) => o.side === 'sell'), 5_000, 'the ask resting');

    // The slot is free: the next set places a bid that rests.
    const bid = String(Math.round(Number(engine.book('BTC-PERP', 1).bids[0]![0]) * 0.95));
    bus.publish(subjects.orderCommand('standx'), setQuotes({ venue: 'standx', account: 'acct-1' }, [
      { slot: 'bid-0', side: 'buy', price: bid, qty: '0.01', postOnly: true },
      { slot: 'ask-0', side: 'sell', price: farAsk, qty: '0.01', postOnly: true },
    ]));
    await waitUntil(() => engine.openOrders(accountId, 'BTC-PERP').length === 2, 5_000, 'both quotes resting');

    await router.stop({ cancelOpen: true });
    stopped = true;
    expect(engine.openOrders(accountId, 'BTC-PERP')).toEqual([]);
  });
});
