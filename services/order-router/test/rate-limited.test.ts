import { afterEach, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { snapPrice, subjects, type SetQuotesCommand } from '@perpetua/core';
import { InProcessBus } from '@perpetua/bus';
import { createSimWorld, startGrvtFacade, type GrvtFacade, type SimWorldImpl } from '@perpetua/sim';
import { MemoryStateStore } from '@perpetua/state';
import { createLogger } from '@perpetua/telemetry';
import { GrvtTrading } from '@perpetua/venues';
import { waitUntil } from '@perpetua/testkit';
import { OrderRouterService } from '../src/order-router-service.js';
import { setQuotes, twoSided } from './set-quotes-command.js';

/**
 * A venue's rate limit is no refusal of the quotes: the router with the live GRVT adapter against the simulator's
 * GRVT façade answering GRVT's 1006 / HTTP 429 to create_order. The places are counted as rate limited (not
 * rejected), the adapter holds new orders back for the pause instead of hammering, and the set is placed after it.
 */
const logger = createLogger({ service: 'router-rate-limit-test', level: 'silent' });

let world: SimWorldImpl | undefined;
let facade: GrvtFacade | undefined;
let adapter: GrvtTrading | undefined;
let router: OrderRouterService | undefined;
let bus: InProcessBus | undefined;

afterEach(async () => {
  await router?.stop();
  await adapter?.close();
  await bus?.close();
  world?.stop();
  await facade?.close();
  world = facade = adapter = router = bus = undefined;
});

describe('order router: rate-limited places', () => {
  it('backs off on 1006 / 429, counts it apart from rejections, and places the set once the pause is over', async () => {
    world = createSimWorld({ seed: 5, clock: 'wall', venues: ['grvt'] });
    world.start(20);
    const f = await startGrvtFacade({ world, accounts: [{ engineAccountId: 'mm' }] });
    facade = f;
    adapter = new GrvtTrading({
      account: 'acct',
      env: 'testnet',
      edgeUrl: f.edgeUrl,
      tradesUrl: f.tradesUrl,
      tradesWsUrl: f.tradesWsUrl,
      marketDataUrl: f.marketDataUrl,
      apiKey: f.credentials.apiKey,
      signerPrivateKey: f.credentials.signerPrivateKey,
      subAccountId: f.credentials.subAccountId,
    });
    const inst = (await adapter.instruments()).find((i) => i.symbol === 'BTC-PERP')!;
    bus = new InProcessBus();
    const registry = new Registry();
    router = new OrderRouterService({ bus, adapter, store: new MemoryStateStore(), logger, registry, reconcile: { settleMs: 0 } });
    await router.start();

    // GRVT's rate-limit answer (trading_api error table: 1006, HTTP 429) to the first create_order calls.
    const limitedAt: number[] = [];
    f.setTrafficHooks({
      onRest: (req) => {
        if (!req.path.endsWith('/create_order') || limitedAt.length >= 2) return undefined;
        limitedAt.push(Date.now());
        return { status: 429, body: { code: 1006, message: 'You have surpassed the allocated rate limit for your tier', status: 429 } };
      },
    });
    const top = world.venue('grvt').book('BTC-PERP', 1);
    const cmd: SetQuotesCommand = setQuotes(
      { venue: 'grvt', account: 'acct' },
      twoSided(snapPrice(inst, 'buy', Number(top.bids[0]![0]) * 0.99), snapPrice(inst, 'sell', Number(top.asks[0]![0]) * 1.01)),
    );
    const t0 = Date.now();
    bus.publish(subjects.orderCommand('grvt'), cmd);
    const open = () => world!.venue('grvt').openOrders('mm', 'BTC-PERP');
    await waitUntil(() => open().length === 2 && router!.stats.placed === 2, 15_000, 'both quotes resting after the pause');
    const placedAt = Date.now();

    expect(router.stats.rateLimited).toBeGreaterThanOrEqual(1);
    expect(router.stats.rejected).toBe(0);
    expect(router.stats.placed).toBe(2);
    // Two refusals reached GRVT at most; every other place of the pause was held back by the adapter.
    expect(limitedAt.length).toBeLessThanOrEqual(2);
    // The first pause (no Retry-After) is a second: nothing was placed before it ended.
    expect(placedAt - t0).toBeGreaterThanOrEqual(900);
    const text = await registry.metrics();
    expect(text).toMatch(/perpetua_router_rate_limited_total\{venue="grvt"\} [1-9]/);
    expect(open().map((o) => o.side).sort()).toEqual(['buy', 'sell']);
  }, 30_000);
});
