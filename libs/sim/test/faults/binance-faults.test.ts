import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type BinanceFacade, signPayload, startBinanceFacade } from '../../src/facades/binance/index.js';
import { FaultInjector } from '../../src/faults/index.js';
import { type SimWorldImpl, createSimWorld } from '../../src/world.js';
import { WsRecorder } from './ws-recorder.js';
import { stepFor, stepUntil, waitFor } from '../support/wait.js';

/** Protocol-level faults as a plain Binance client (ws + fetch) sees them. */

const DEPTH = 'btcusdt@depth@100ms';
interface DepthUpdate {
  U: number;
  u: number;
  pu: number;
}
const isDepth = (m: Record<string, unknown>): boolean => m['e'] === 'depthUpdate';
const depthOf = (rec: WsRecorder): DepthUpdate[] => rec.where(isDepth).map((m) => m.json as unknown as DepthUpdate);

describe('fault injection on the Binance façade', () => {
  let world: SimWorldImpl;
  let facade: BinanceFacade;
  let injector: FaultInjector;
  const sockets: WsRecorder[] = [];

  const openDepth = async (): Promise<WsRecorder> => {
    const rec = await WsRecorder.open(`${facade.wsUrl}/${DEPTH}`);
    sockets.push(rec);
    return rec;
  };

  const signedOrder = (price: string): Promise<Response> => {
    const params = `symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.002&price=${price}&timestamp=${Date.now()}`;
    const body = `${params}&signature=${signPayload(facade.credentials.secret, params)}`;
    return fetch(`${facade.restUrl}/fapi/v1/order`, {
      method: 'POST',
      headers: { 'X-MBX-APIKEY': facade.credentials.apiKey, 'Content-Type': 'application/x-www-form-urlencoded' },
      body,
    });
  };
  const passivePrice = (): string => {
    const bid = Number(world.venue('binanceusdm').book('BTC-PERP', 1).bids[0]?.[0]);
    return String(Math.floor(bid * 0.99));
  };

  beforeAll(async () => {
    world = createSimWorld({ seed: 7, venues: ['binanceusdm'], assets: ['BTC'] });
    facade = await startBinanceFacade({ world });
    injector = new FaultInjector({ world });
    injector.attachBinance(facade);
  });

  afterEach(async () => {
    injector.clear();
    for (const s of sockets.splice(0)) await s.close();
  });

  afterAll(async () => {
    injector?.close();
    await facade?.close();
  });

  it('seq_skip: the client sees exactly one gap (pu != previous u) in the diff stream', async () => {
    const rec = await openDepth();
    await stepUntil(world, () => depthOf(rec).length >= 3, 5_000, 5, 'diffs before the skip');
    const before = depthOf(rec);
    for (let i = 1; i < before.length; i++) expect(before[i]?.pu).toBe(before[i - 1]?.u);

    injector.inject({ kind: 'seq_skip', venue: 'binanceusdm' });
    const seen = before.length;
    await stepUntil(world, () => depthOf(rec).length >= seen + 4, 5_000, 5, 'diffs after the skip');
    const all = depthOf(rec);
    const gaps = all.slice(1).filter((d, i) => d.pu !== all[i]?.u);
    expect(gaps).toHaveLength(1);
    expect(injector.list()).toHaveLength(0); // one message, then the fault retires
  });

  it('ws_freeze: no depth message for the duration, then messages resume', async () => {
    const rec = await openDepth();
    await stepUntil(world, () => depthOf(rec).length >= 1, 5_000, 5, 'first diff');
    const fault = injector.inject({ kind: 'ws_freeze', venue: 'binanceusdm', durationMs: 400 });
    const frozenFrom = Date.now();
    const count = depthOf(rec).length;
    await stepFor(world, 300);
    expect(depthOf(rec).length).toBe(count);
    // Silence although the book kept changing: the fault withheld messages.
    expect(await injector.metrics.registry.metrics()).toMatch(/perpetua_sim_fault_effects_total\{venue="binanceusdm",kind="ws_freeze"\} [1-9]/);
    await waitFor(() => Date.now() >= (fault.expiresAt ?? 0) + 10, 2_000, 'freeze end');
    await stepUntil(world, () => depthOf(rec).length > count, 5_000, 5, 'depth after the freeze');
    const resumed = rec.where(isDepth).at(-1);
    expect(resumed?.at).toBeGreaterThanOrEqual(frozenFrom + 400);
  });

  it('ws_delay: messages arrive at least the delay later than they were sent', async () => {
    const rec = await openDepth();
    await stepUntil(world, () => depthOf(rec).length >= 1, 5_000, 5, 'first diff');
    // Every diff already sent (undelayed) is in before the count: only later ones may be taken for delayed.
    await rec.roundTrip();
    injector.inject({ kind: 'ws_delay', venue: 'binanceusdm', ms: 250, durationMs: 2_000 });
    const count = depthOf(rec).length;
    const sentAt = Date.now();
    world.step();
    await waitFor(() => depthOf(rec).length > count, 3_000, 'delayed diff');
    const first = rec.where(isDepth)[count];
    expect((first?.at ?? 0) - sentAt).toBeGreaterThanOrEqual(250);
  });

  it('ws_drop: the client socket is closed; a new connection afterwards works', async () => {
    const rec = await openDepth();
    await stepUntil(world, () => depthOf(rec).length >= 1, 5_000, 5, 'first diff');
    injector.inject({ kind: 'ws_drop', venue: 'binanceusdm', stream: 'btcusdt@depth' });
    await stepUntil(world, () => rec.closed, 5_000, 5, 'the close');
    expect(rec.closeCode).toBe(1001);

    const again = await openDepth();
    await stepUntil(world, () => depthOf(again).length >= 2, 5_000, 5, 'diffs on the new connection');
    expect(again.closed).toBe(false);
  });

  it("http_error 429 answers with Binance's body, then clears after count", async () => {
    injector.inject({ kind: 'http_error', venue: 'binanceusdm', status: 429, count: 2, path: '/fapi/v1/time' });
    for (let i = 0; i < 2; i++) {
      const r = await fetch(`${facade.restUrl}/fapi/v1/time`);
      expect(r.status).toBe(429);
      expect(await r.json()).toEqual({ code: -1003, msg: expect.stringContaining('Too many requests') });
    }
    const ok = await fetch(`${facade.restUrl}/fapi/v1/time`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toHaveProperty('serverTime');
  });

  it("http_error 503 answers with Binance's -1001 body; other paths are untouched", async () => {
    injector.inject({ kind: 'http_error', venue: 'binanceusdm', status: 503, path: '/fapi/v1/depth' });
    const r = await fetch(`${facade.restUrl}/fapi/v1/depth?symbol=BTCUSDT`);
    expect(r.status).toBe(503);
    expect(await r.json()).toMatchObject({ code: -1001 });
    expect((await fetch(`${facade.restUrl}/fapi/v1/ping`)).status).toBe(200);
  });

  it('http_timeout: the request hangs until the client gives up', async () => {
    injector.inject({ kind: 'http_timeout', venue: 'binanceusdm', path: '/fapi/v1/ticker/price', count: 1 });
    const started = Date.now();
    const err = await fetch(`${facade.restUrl}/fapi/v1/ticker/price?symbol=BTCUSDT`, { signal: AbortSignal.timeout(300) }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).name).toBe('TimeoutError');
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect((await fetch(`${facade.restUrl}/fapi/v1/ticker/price?symbol=BTCUSDT`)).status).toBe(200);
  });

  it('http_timeout with acted: the order is placed, its answer never comes', async () => {
    injector.inject({ kind: 'http_timeout', venue: 'binanceusdm', path: '/fapi/v1/order', method: 'POST', acted: true, count: 1 });
    const account = facade.accountId;
    const before = world.venue('binanceusdm').openOrders(account).length;
    const err = await Promise.race([signedOrder(passivePrice()), new Promise((_r, reject) => setTimeout(() => reject(new Error('TimeoutError')), 300))]).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((err as Error).message).toBe('TimeoutError');
    expect(world.venue('binanceusdm').openOrders(account).length, 'the venue acted').toBe(before + 1);
    world.venue('binanceusdm').cancelAll(account);
  });

  it("reject_orders: POST /fapi/v1/order fails with Binance's rejection, other calls pass", async () => {
    injector.inject({ kind: 'reject_orders', venue: 'binanceusdm', count: 1 });
    expect((await fetch(`${facade.restUrl}/fapi/v1/time`)).status).toBe(200);
    const rejected = await signedOrder(passivePrice());
    expect(rejected.status).toBe(400);
    expect(await rejected.json()).toEqual({ code: -2010, msg: expect.any(String) });
    const accepted = await signedOrder(passivePrice());
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toMatchObject({ symbol: 'BTCUSDT', status: 'NEW' });
  });

  it('metrics count injected faults and their effects', async () => {
    injector.inject({ kind: 'http_error', venue: 'binanceusdm', status: 500, count: 1, path: '/fapi/v1/ping' });
    const text = await injector.metrics.registry.metrics();
    expect(text).toMatch(/perpetua_sim_faults_active\{venue="binanceusdm",kind="http_error"\} 1/);
    await fetch(`${facade.restUrl}/fapi/v1/ping`);
    const after = await injector.metrics.registry.metrics();
    expect(after).toMatch(/perpetua_sim_fault_effects_total\{venue="binanceusdm",kind="http_error"\} [1-9]/);
    expect(after).toMatch(/perpetua_sim_faults_injected_total\{venue="binanceusdm",kind="http_error"\} [1-9]/);
    expect(after).not.toMatch(/perpetua_sim_faults_active\{venue="binanceusdm",kind="http_error"\}/);
  });
});

describe('probabilistic faults are repeatable under a seed', () => {
  /** Which of 40 sequential requests get a 429 from a p=0.3 fault, in a fresh world with this seed. */
  async function affected(seed: number): Promise<number[]> {
    const world = createSimWorld({ seed, venues: ['binanceusdm'], assets: ['BTC'], background: false });
    const facade = await startBinanceFacade({ world });
    const injector = new FaultInjector({ world });
    try {
      injector.attachBinance(facade);
      injector.inject({ kind: 'http_error', venue: 'binanceusdm', status: 429, probability: 0.3 });
      const hit: number[] = [];
      for (let i = 0; i < 40; i++) {
        const r = await fetch(`${facade.restUrl}/fapi/v1/ping`);
        await r.arrayBuffer();
        if (r.status === 429) hit.push(i);
      }
      return hit;
    } finally {
      injector.close();
      await facade.close();
    }
  }

  it('same seed, same fault: the same requests fail; another seed picks others', async () => {
    const a = await affected(11);
    const b = await affected(11);
    const c = await affected(12);
    expect(a).toEqual(b);
    expect(a.length).toBeGreaterThan(0);
    expect(a.length).toBeLessThan(40);
    expect(c).not.toEqual(a);
  });
});
