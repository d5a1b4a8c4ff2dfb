import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type GrvtFacade, startGrvtFacade } from '../../src/facades/grvt/index.js';
import { FaultInjector } from '../../src/faults/index.js';
import { type SimWorldImpl, createSimWorld } from '../../src/world.js';
import { WsRecorder } from './ws-recorder.js';
import { waitFor } from '../support/wait.js';

/** Faults through GRVT's traffic hooks, as a plain JSON-RPC market-data client sees them. */

const MINI = 'v1.mini.s';
const isMini = (m: Record<string, unknown>): boolean => m['stream'] === MINI;

describe('fault injection on the GRVT façade', () => {
  let world: SimWorldImpl;
  let facade: GrvtFacade;
  let injector: FaultInjector;
  const sockets: WsRecorder[] = [];

  /** A market-data client subscribed to a periodic mini ticker (no world stepping needed for traffic). */
  const openMini = async (): Promise<WsRecorder> => {
    const rec = await WsRecorder.open(facade.marketDataWsUrl);
    sockets.push(rec);
    rec.send({ jsonrpc: '2.0', method: 'subscribe', params: { stream: MINI, selectors: ['BTC_USDT_Perp@200'] }, id: 1 });
    await waitFor(() => rec.where(isMini).length >= 1, 3_000, 'mini snapshot');
    return rec;
  };

  beforeAll(async () => {
    world = createSimWorld({ seed: 4, venues: ['grvt'], assets: ['BTC'] });
    facade = await startGrvtFacade({ world, speedBumpMs: 5 });
    injector = new FaultInjector({ world });
    injector.attachGrvt(facade);
  });

  afterEach(async () => {
    injector.clear();
    for (const s of sockets.splice(0)) await s.close();
  });

  afterAll(async () => {
    injector?.close();
    await facade?.close();
  });

  it("ws_drop: the market-data client is closed with the fault's code; a new connection afterwards streams", async () => {
    const rec = await openMini();
    injector.inject({ kind: 'ws_drop', venue: 'grvt', code: 4002 });
    await waitFor(() => rec.closed, 3_000, 'the close');
    expect(rec.closeCode).toBe(4002);

    // The one-shot drop only covers connections open at injection: the reconnect is left alone.
    const again = await openMini();
    await waitFor(() => again.where(isMini).length >= 3, 3_000, 'minis on the new connection');
    expect(again.closed).toBe(false);
  });

  it('ws_drop behind a delayed message: the delayed message goes out first, then the close', async () => {
    const rec = await openMini();
    // Longer than the 200 ms mini period, so the next message queues behind the delayed one.
    const delay = injector.inject({ kind: 'ws_delay', venue: 'grvt', ms: 600, count: 1 });
    await waitFor(() => injector.get(delay.id) === undefined, 3_000, 'one delayed message');
    const before = rec.where(isMini).length;
    injector.inject({ kind: 'ws_drop', venue: 'grvt', code: 4003 });
    await waitFor(() => rec.closed, 3_000, 'the close');
    expect(rec.closeCode).toBe(4003);
    // Exactly the delayed message arrived: the close was decided in its turn, and nothing after it was sent.
    expect(rec.where(isMini).length).toBe(before + 1);
  });
});
