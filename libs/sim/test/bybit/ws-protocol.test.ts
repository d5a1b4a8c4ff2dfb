import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createSimWorld } from '../../src/world.js';
import type { SimWorldImpl } from '../../src/world.js';
import { type BybitFacade, hmacHex, startBybitFacade, wsAuthPayload } from '../../src/facades/bybit/index.js';
import { waitFor } from '../support/wait.js';

/** A raw WS client that records every JSON frame it receives. */
class Client {
  readonly frames: Array<Record<string, unknown>> = [];
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (d: WebSocket.RawData) => this.frames.push(JSON.parse(d.toString()) as Record<string, unknown>));
  }
  static async open(url: string): Promise<Client> {
    const ws = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new Client(ws);
  }
  send(v: unknown): void {
    this.ws.send(typeof v === 'string' ? v : JSON.stringify(v));
  }
  async next(pred: (f: Record<string, unknown>) => boolean, what: string): Promise<Record<string, unknown>> {
    await waitFor(() => this.frames.some(pred), 3_000, what);
    return this.frames.find(pred) as Record<string, unknown>;
  }
  close(): void {
    this.ws.close();
  }
}

describe('Bybit façade WS protocol', () => {
  let world: SimWorldImpl;
  let facade: BybitFacade;
  const clients: Client[] = [];
  const open = async (url: string) => {
    const c = await Client.open(url);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    world = createSimWorld({ seed: 5 });
    world.step();
    facade = await startBybitFacade({ world });
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    await facade?.close();
  });

  it('public: answers ping, survives garbage, rejects unknown topics and symbols, snapshots a book', async () => {
    const c = await open(facade.publicWsUrl);
    c.send({ op: 'ping', req_id: 'p1' });
    expect(await c.next((f) => f['req_id'] === 'p1', 'pong')).toMatchObject({ success: true, ret_msg: 'pong', op: 'ping' });
    c.send('{not json');
    await c.next((f) => f['ret_msg'] === 'error:invalid op', 'invalid op reply');
    c.send({ op: 'subscribe', req_id: 's1', args: ['candles.BTCUSDT'] });
    expect(await c.next((f) => f['req_id'] === 's1', 'bad topic reply')).toMatchObject({ success: false, op: 'subscribe' });
    c.send({ op: 'subscribe', req_id: 's2', args: ['orderbook.50.NOPEUSDT'] });
    expect((await c.next((f) => f['req_id'] === 's2', 'bad symbol reply'))['ret_msg']).toMatch(/Invalid symbol/);
    c.send({ op: 'subscribe', req_id: 's3', args: ['orderbook.50.BTCUSDT'] });
    expect(await c.next((f) => f['req_id'] === 's3', 'ack')).toMatchObject({ success: true, op: 'subscribe' });
    const snap = await c.next((f) => f['topic'] === 'orderbook.50.BTCUSDT' && f['type'] === 'snapshot', 'snapshot');
    const data = snap['data'] as { s: string; b: unknown[]; a: unknown[]; u: number };
    expect(data.s).toBe('BTCUSDT');
    expect(data.b.length).toBe(Math.min(50, world.venue('bybit').book('BTC-PERP', 50).bids.length));
    world.step();
    const delta = await c.next((f) => f['type'] === 'delta', 'delta');
    expect((delta['data'] as { u: number }).u).toBe(data.u + 1);
  });

  it('private: refuses topics before auth and a bad signature; after auth answers ping with a pong op', async () => {
    const c = await open(facade.privateWsUrl);
    c.send({ op: 'subscribe', req_id: 'x1', args: ['order'] });
    expect(await c.next((f) => f['req_id'] === 'x1', 'unauthorized')).toMatchObject({ success: false, ret_msg: 'Request not authorized' });
    const expires = Date.now() + 10_000;
    c.send({ op: 'auth', args: [facade.credentials.apiKey, expires, hmacHex('wrong', wsAuthPayload(String(expires)))] });
    expect(await c.next((f) => f['op'] === 'auth', 'auth failure')).toMatchObject({ success: false });
    c.frames.length = 0;
    c.send({ op: 'auth', args: [facade.credentials.apiKey, expires, hmacHex(facade.credentials.secret, wsAuthPayload(String(expires)))] });
    expect(await c.next((f) => f['op'] === 'auth', 'auth success')).toMatchObject({ success: true });
    c.send({ op: 'subscribe', req_id: 'x2', args: ['order', 'execution', 'position', 'wallet'] });
    expect(await c.next((f) => f['req_id'] === 'x2', 'ack')).toMatchObject({ success: true });
    c.send({ op: 'ping', req_id: 'x3' });
    const pong = await c.next((f) => f['req_id'] === 'x3', 'pong');
    expect(pong['op']).toBe('pong');
  });

  it('runs every outgoing frame through the tap (drop and replace)', async () => {
    const c = await open(facade.publicWsUrl);
    facade.setTap({ ws: (f) => (f.data.includes('"p9"') ? { kind: 'replace', data: '{"replaced":true}' } : f.data.includes('"p8"') ? { kind: 'drop' } : { kind: 'pass' }) });
    c.send({ op: 'ping', req_id: 'p8' });
    c.send({ op: 'ping', req_id: 'p9' });
    await c.next((f) => f['replaced'] === true, 'replaced frame');
    expect(c.frames.some((f) => f['req_id'] === 'p8')).toBe(false);
    facade.setTap({});
  });

  it('refuses an unknown WS path', async () => {
    const ws = new WebSocket(`${facade.restUrl.replace('http', 'ws')}/v5/public/spot`);
    const status = await new Promise<number>((resolve) => {
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.once('error', () => resolve(-1));
    });
    ws.terminate();
    expect(status).toBe(404);
  });
});
