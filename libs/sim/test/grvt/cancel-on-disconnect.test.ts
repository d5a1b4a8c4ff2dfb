import { afterEach, describe, expect, it } from 'vitest';
import { waitUntil } from '@perpetua/testkit';
import { createSimWorld } from '../../src/world.js';
import { startGrvtFacade, type GrvtFacade } from '../../src/facades/grvt/index.js';
import { asJson, login, post, RpcClient, signedOrder, sleep, waitFor, type Json, type Session } from './grvt-client.js';

/*
 * GRVT (docs, ApiCancelOnDisconnectRequest): `cancel_on_disconnect {sub_account_id, countdown_time}` is a heartbeat;
 * countdown rounded down to whole seconds, <= 1000 switches it off, > 300000 is an error. When no heartbeat arrives
 * within the countdown, every open order of the sub-account is cancelled. The heartbeat may come over REST or as a
 * JSON-RPC call on the trades WebSocket; a dropped connection simply stops the heartbeats.
 */
describe('GRVT façade cancel-on-disconnect', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  async function setup(): Promise<{ facade: GrvtFacade; session: Session; world: ReturnType<typeof createSimWorld> }> {
    const world = createSimWorld({ seed: 5 });
    const facade = await startGrvtFacade({ world, speedBumpMs: 0 });
    cleanup.push(() => facade.close());
    return { facade, session: await login(facade), world };
  }

  async function restingOrders(facade: GrvtFacade, session: Session, world: ReturnType<typeof createSimWorld>, n: number): Promise<string[]> {
    const bid = Number(world.venue('grvt').book('BTC-PERP', 1).bids[0]![0]);
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const price = (Math.floor(bid * (0.97 - i * 0.001) * 10) / 10).toFixed(1);
      const res = await post(`${facade.tradesUrl}/full/v1/create_order`, await signedOrder(facade, { size: '0.01', price, buy: true, postOnly: true }), session);
      expect(res.status).toBe(200);
      ids.push(String(asJson(asJson(res.body).result).order_id));
    }
    return ids;
  }

  const openCount = async (facade: GrvtFacade, session: Session): Promise<number> => {
    const res = await post(`${facade.tradesUrl}/full/v1/open_orders`, { sub_account_id: facade.credentials.subAccountId }, session);
    return (asJson(res.body).result as Json[]).length;
  };

  it('keeps orders while heartbeats arrive over the WS and cancels them all once the connection drops', async () => {
    const { facade, session, world } = await setup();
    const sub = facade.credentials.subAccountId;
    const watcher = await RpcClient.connect(facade.tradesWsUrl, session);
    cleanup.push(() => watcher.close());
    await watcher.call('subscribe', { stream: 'v1.order', selectors: [sub] });
    const ids = await restingOrders(facade, session, world, 2);

    const bot = await RpcClient.connect(facade.tradesWsUrl, session);
    cleanup.push(() => bot.close());
    // 1500 ms rounds down to a 1 s countdown.
    for (let i = 0; i < 6; i++) {
      const ans = await bot.call('v1/cancel_on_disconnect', { sub_account_id: sub, countdown_time: '1500' });
      expect(ans.result).toEqual({ result: { ack: true } });
      await sleep(300); // the heartbeats' pacing: 6 × 300 ms outlasts the 1 s countdown they keep armed
    }
    expect(await openCount(facade, session)).toBe(2);

    const dropped = Date.now();
    await bot.close();
    await waitFor(
      () => ids.every((id) => watcher.feeds('v1.order').some((m) => asJson(m.feed).order_id === id && asJson(asJson(m.feed).state).status === 'CANCELLED')),
      4_000,
      'cancel-on-disconnect',
    );
    const waited = Date.now() - dropped;
    expect(waited).toBeGreaterThanOrEqual(600);
    expect(waited).toBeLessThan(2_500);
    expect(await openCount(facade, session)).toBe(0);
    const order = await post(`${facade.tradesUrl}/full/v1/order`, { sub_account_id: sub, order_id: ids[0] }, session);
    expect(asJson(asJson(asJson(order.body).result).state)).toMatchObject({ status: 'CANCELLED', reject_reason: 'CLIENT_CANCEL_ON_DISCONNECT_TRIGGERED' });
  });

  it('lapses when REST heartbeats stop, and a countdown of 0 switches it off', async () => {
    const { facade, session, world } = await setup();
    const sub = facade.credentials.subAccountId;
    const url = `${facade.tradesUrl}/full/v1/cancel_on_disconnect`;

    await restingOrders(facade, session, world, 1);
    expect((await post(url, { sub_account_id: sub, countdown_time: 2000 }, session)).body).toEqual({ result: { ack: true } });
    expect((await post(url, { sub_account_id: sub, countdown_time: '0' }, session)).status).toBe(200);
    await sleep(2_300);
    expect(await openCount(facade, session)).toBe(1);

    expect((await post(url, { sub_account_id: sub, countdown_time: '1000' }, session)).status).toBe(200); // <= 1000: off
    await sleep(1_200);
    expect(await openCount(facade, session)).toBe(1);

    await post(url, { sub_account_id: sub, countdown_time: '1999' }, session); // rounds down to 1 s
    await waitUntil(async () => (await openCount(facade, session)) === 0, 3_000, 'the 1 s countdown to cancel the order', 100);
    expect(await openCount(facade, session)).toBe(0);
  });

  it("answers GRVT's errors for out-of-range countdowns and a foreign sub-account", async () => {
    const { facade, session } = await setup();
    const url = `${facade.tradesUrl}/full/v1/cancel_on_disconnect`;
    const sub = facade.credentials.subAccountId;
    expect((await post(url, { sub_account_id: sub, countdown_time: '300001' }, session)).body).toMatchObject({ code: 6000, status: 400 });
    expect((await post(url, { sub_account_id: sub, countdown_time: '-5' }, session)).body).toMatchObject({ code: 1003, status: 400 });
    expect((await post(url, { sub_account_id: '99', countdown_time: '5000' }, session)).body).toMatchObject({ code: 1001, status: 403 });
    expect((await post(url, { sub_account_id: sub, countdown_time: '5000' })).body).toMatchObject({ code: 1000, status: 401 });
  });
});
