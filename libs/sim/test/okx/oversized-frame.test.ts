import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startOkxFacade, type OkxFacade } from '../../src/facades/okx/index.js';
import { createSimWorld } from '../../src/world.js';

/**
 * A frame over the streams' 64 KiB limit: the façade closes that connection (1009) and serves on. A defect the fuzzing
 * found (okx-ws.fuzz.test.ts at 100,000 cases): the accepted socket had no 'error' listener, so ws's "Max payload
 * size exceeded" was an uncaught exception, which ends a `perpetua sim` process.
 */
describe('OKX façade streams: an oversized frame', () => {
  const world = createSimWorld({ seed: 5, venues: ['okx'] });
  let facade: OkxFacade;
  beforeAll(async () => void (facade = await startOkxFacade({ world })));
  afterAll(async () => facade?.close());

  const open = async (): Promise<WebSocket> => {
    const ws = new WebSocket(facade.publicWsUrl);
    ws.on('error', () => undefined); // the close says what happened
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    return ws;
  };

  it('closes that connection with 1009 and keeps serving the others', async () => {
    const other = await open();
    const big = await open();
    const closed = new Promise<number>((resolve) => big.once('close', (code) => resolve(code)));
    big.send(JSON.stringify({ op: 'subscribe', args: [{ channel: 'x'.repeat(70 * 1024) }] }));
    expect(await closed).toBe(1009);
    const pong = new Promise<string>((resolve) => other.once('message', (d) => resolve(d.toString())));
    other.send('ping');
    expect(await pong).toBe('pong');
    other.close();
  });
});
