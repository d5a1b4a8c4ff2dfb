import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type StandxFacade, startStandxFacade } from '../../src/facades/standx/index.js';
import { FaultInjector } from '../../src/faults/index.js';
import { type SimWorldImpl, createSimWorld } from '../../src/world.js';
import { WsRecorder } from './ws-recorder.js';
import { stepFor, stepUntil, waitFor } from '../support/wait.js';

/** Faults through StandX's traffic hooks, as a plain StandX client sees them. */

const isDepth = (m: Record<string, unknown>): boolean => m['channel'] === 'depth_book';

describe('fault injection on the StandX façade', () => {
  let world: SimWorldImpl;
  let facade: StandxFacade;
  let injector: FaultInjector;
  const sockets: WsRecorder[] = [];

  const openDepth = async (): Promise<WsRecorder> => {
    const rec = await WsRecorder.open(facade.wsUrl);
    sockets.push(rec);
    rec.send({ subscribe: { channel: 'depth_book', symbol: 'BTC-USD' } });
    await waitFor(() => rec.where(isDepth).length >= 1, 3_000, 'depth snapshot');
    return rec;
  };
  const seqs = (rec: WsRecorder): number[] => rec.messages.map((m) => Number(m.json['seq']));

  beforeAll(async () => {
    world = createSimWorld({ seed: 3, venues: ['standx'], assets: ['BTC'] });
    facade = await startStandxFacade({ world });
    injector = new FaultInjector({ world });
    injector.attachStandx(facade);
  });

  afterEach(async () => {
    injector.clear();
    for (const s of sockets.splice(0)) await s.close();
  });

  afterAll(async () => {
    injector?.close();
    await facade?.close();
  });

  it('ws_freeze: no depth_book message for the duration, then they resume', async () => {
    const rec = await openDepth();
    const fault = injector.inject({ kind: 'ws_freeze', venue: 'standx', durationMs: 400 });
    const count = rec.where(isDepth).length;
    await stepFor(world, 300);
    expect(rec.where(isDepth).length).toBe(count);
    await waitFor(() => Date.now() >= (fault.expiresAt ?? 0) + 10, 2_000, 'freeze end');
    await stepUntil(world, () => rec.where(isDepth).length > count, 5_000, 5, 'depth after the freeze');
    // The withheld messages were numbered: the client sees the hole in seq.
    const s = seqs(rec);
    expect(s.slice(1).some((v, i) => v !== (s[i] ?? 0) + 1)).toBe(true);
  });

  it('seq_skip: exactly one hole in the connection seq', async () => {
    const rec = await openDepth();
    await stepUntil(world, () => rec.where(isDepth).length >= 3, 5_000, 5, 'depth updates');
    injector.inject({ kind: 'seq_skip', venue: 'standx' });
    const n = rec.messages.length;
    await stepUntil(world, () => rec.messages.length >= n + 3, 5_000, 5, 'updates after the skip');
    const s = seqs(rec);
    const holes = s.slice(1).filter((v, i) => v !== (s[i] ?? 0) + 1);
    expect(holes).toHaveLength(1);
  });

  it('ws_delay: a depth update arrives at least the delay late', async () => {
    const rec = await openDepth();
    // Every update already sent (undelayed) is in before the count: only later ones may be taken for delayed.
    await rec.roundTrip();
    injector.inject({ kind: 'ws_delay', venue: 'standx', ms: 200, durationMs: 2_000 });
    const count = rec.where(isDepth).length;
    const sentAt = Date.now();
    await stepUntil(world, () => rec.where(isDepth).length > count || Date.now() - sentAt > 150, 3_000, 5, 'a book change');
    await waitFor(() => rec.where(isDepth).length > count, 3_000, 'delayed depth');
    expect((rec.where(isDepth)[count]?.at ?? 0) - sentAt).toBeGreaterThanOrEqual(200);
  });

  it("http_error 429 answers with StandX's body", async () => {
    injector.inject({ kind: 'http_error', venue: 'standx', status: 429, count: 1 });
    const r = await fetch(`${facade.restUrl}/api/query_symbol_info?symbol=BTC-USD`);
    expect(r.status).toBe(429);
    expect(await r.json()).toEqual({ code: 429, message: expect.any(String) });
    expect((await fetch(`${facade.restUrl}/api/query_symbol_info?symbol=BTC-USD`)).status).toBe(200);
  });

  it("http_error 500 answers with StandX's body", async () => {
    injector.inject({ kind: 'http_error', venue: 'standx', status: 500, path: '/api/query_depth_book' });
    const r = await fetch(`${facade.restUrl}/api/query_depth_book?symbol=BTC-USD`);
    expect(r.status).toBe(500);
    expect(await r.json()).toMatchObject({ code: 500 });
  });

  it('http_timeout: the request hangs until the client gives up', async () => {
    injector.inject({ kind: 'http_timeout', venue: 'standx', count: 1 });
    const err = await fetch(`${facade.restUrl}/api/health`, { signal: AbortSignal.timeout(300) }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((err as Error | undefined)?.name).toBe('TimeoutError');
  });

  it("reject_orders: new_order is answered with StandX's rejection before any auth", async () => {
    injector.inject({ kind: 'reject_orders', venue: 'standx', message: 'market closed' });
    const r = await fetch(`${facade.restUrl}/api/new_order`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(r.status).toBe(400);
    expect(await r.json()).toEqual({ code: 400, message: 'market closed' });
  });

  it("ws_drop: the client is closed with the fault's code; a new connection afterwards streams", async () => {
    const rec = await openDepth();
    injector.inject({ kind: 'ws_drop', venue: 'standx', code: 4001 });
    await stepUntil(world, () => rec.closed, 5_000, 5, 'the close');
    expect(rec.closeCode).toBe(4001);

    // The one-shot drop only covers connections open at injection: the reconnect is left alone.
    const again = await openDepth();
    const count = again.where(isDepth).length;
    await stepUntil(world, () => again.where(isDepth).length > count, 5_000, 5, 'depth on the new connection');
    expect(again.closed).toBe(false);
  });
});
