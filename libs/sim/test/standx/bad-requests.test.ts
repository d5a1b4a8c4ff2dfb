/**
 * "Bad requests get the venue's error, never a crash; the sim keeps serving other
 * clients." Malformed and ill-typed bodies, unknown symbols, bad sizes, missing
 * signature headers, expired / foreign / garbage tokens, malformed WS messages and
 * hostile raw HTTP each get StandX's error shape, while a bystander WS client keeps
 * receiving snapshots and a valid order still goes through afterwards.
 */
import { connect as tcpConnect } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { holdsFor, waitUntil } from '@perpetua/testkit';
import { createSimWorld } from '../../src/world.js';
import { startStandxFacade } from '../../src/facades/standx/index.js';
import { DEMO, limitOrder, marketOrder, startHarness, type Harness } from './harness.js';
import { StreamClient } from './stream-client.js';
import { AckBody, DepthBook, ErrorBody, StreamStatus, WireOrder, type StreamEnvelope } from './wire-shapes.js';

const isDepth = (m: StreamEnvelope) => m.channel === 'depth_book';

function expectError(r: { status: number; body: unknown }, code: number, message?: RegExp): void {
  expect(r.status, JSON.stringify(r.body)).toBe(code);
  const err = ErrorBody.strict().parse(r.body);
  expect(err.code).toBe(code);
  if (message) expect(err.message).toMatch(message);
}

/** Writes raw bytes to the façade's port and returns whatever comes back before the socket closes (bounded). */
function rawHttp(url: string, request: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = tcpConnect({ host: hostname, port: Number(port) }, () => socket.write(request));
    let out = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(out);
    }, 1_000);
    socket.on('data', (d: Buffer) => {
      out += d.toString('utf8');
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(out);
    });
    socket.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

describe('StandX façade: bad requests never crash it', () => {
  let h: Harness;
  let bystander: StreamClient;
  const clients: StreamClient[] = [];
  const connect = async () => {
    const c = await StreamClient.connect(h.facade.wsUrl);
    clients.push(c);
    return c;
  };

  /** The bystander still gets a fresh snapshot after a step: the server kept serving it. */
  const bystanderStillServed = async () => {
    const from = bystander.messages.length;
    h.world.step();
    const snap = await bystander.waitFor(isDepth, 'bystander snapshot', 3_000, from);
    DepthBook.parse(snap.data);
    expect(bystander.open).toBe(true);
  };

  beforeEach(async () => {
    // Dozens of requests in a burst: StandX's credit budget (20 at once) is not what this file tests.
    h = await startHarness({ seed: 31, facade: { limits: { enforce: false } } });
    bystander = await connect();
    bystander.send({ subscribe: { channel: 'depth_book', symbol: 'BTC-USD' } });
    await bystander.waitFor(isDepth, 'bystander first snapshot');
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await h.close();
  });

  it('answers bad new_order bodies with 400 and the request id, then still accepts a valid order', async () => {
    const good = marketOrder('buy', '0.0010');
    const cases: Array<[string, unknown, RegExp]> = [
      ['malformed JSON', '{"symbol":"BTC-USD",', /JSON/],
      ['empty body', '', /empty/],
      ['JSON null', 'null', /./],
      ['JSON array', '[1,2]', /./],
      ['missing fields', { symbol: 'BTC-USD' }, /side|order_type|qty/],
      ['qty as a number', { ...good, qty: 0.001 }, /qty/],
      ['reduce_only as text', { ...good, reduce_only: 'false' }, /reduce_only/],
      ['unknown side', { ...good, side: 'long' }, /side/],
      ['unknown time_in_force', { ...good, time_in_force: 'fok' }, /time_in_force/],
      ['unknown symbol', { ...good, symbol: 'DOGE-USD' }, /unknown symbol/],
      ['not a StandX symbol', { ...good, symbol: 'BTCUSDT' }, /unknown symbol/],
      ['negative size', { ...good, qty: '-0.001' }, /qty/],
      ['zero size', { ...good, qty: '0' }, /qty/],
      ['size with exponent', { ...good, qty: '1e-3' }, /qty/],
      ['size with a sign', { ...good, qty: '+0.001' }, /qty/],
      ['size with spaces', { ...good, qty: ' 0.001' }, /qty/],
      ['limit without price', limitOrder('buy', '1', '0.001', { price: undefined }), /price/],
      ['negative price', limitOrder('buy', '-100000', '0.001'), /price/],
      ['leverage as text', { ...good, leverage: '10' }, /leverage/],
    ];
    for (const [what, body] of cases) {
      const r = await h.signedPost('/api/new_order', body);
      expect(r.status, what).toBe(400);
      const err = ErrorBody.strict().parse(r.body);
      expect(err, what).toMatchObject({ code: 400, request_id: r.signed['x-request-id'] });
    }
    for (const [what, body, text] of cases) {
      if (typeof body === 'string') continue;
      const r = await h.signedPost('/api/new_order', body);
      expect(ErrorBody.parse(r.body).message, what).toMatch(text);
    }
    const cancel = await h.signedPost('/api/cancel_order', { order_id: 'abc' });
    expectError(cancel, 400, /order_id/);
    const cancelNone = await h.signedPost('/api/cancel_order', {});
    expectError(cancelNone, 400);
    const unknownOrder = await h.signedPost('/api/cancel_order', { order_id: 123456 });
    expectError(unknownOrder, 404);
    const leverage = await h.signedPost('/api/change_leverage', { symbol: 'BTC-USD', leverage: 0 });
    expectError(leverage, 400);

    await holdsFor(() => h.engine.fills(DEMO).length === 0, 50, 'no fill from the refused requests');
    expect(h.engine.fills(DEMO)).toHaveLength(0);
    await bystanderStillServed();
    const ok = await h.signedPost('/api/new_order', marketOrder('buy', '0.0010', { cl_ord_id: 'after-bad' }));
    expect(ok.status).toBe(200);
    AckBody.parse(ok.body);
    // Acked before it is matched: the order is filled once the façade's post-ack work has run.
    const status = async () => WireOrder.safeParse((await h.get('/api/query_order?cl_ord_id=after-bad', h.demo.token)).body).data?.status;
    await waitUntil(async () => (await status()) === 'filled', 3_000, 'the valid order filled');
    expect(WireOrder.parse((await h.get('/api/query_order?cl_ord_id=after-bad', h.demo.token)).body).status).toBe('filled');
  });

  it('answers bad query strings, unknown paths and wrong methods in the error shape', async () => {
    expectError(await h.get('/api/query_depth_book'), 400, /symbol/);
    expectError(await h.get('/api/query_depth_book?symbol=DOGE-USD'), 400, /unknown symbol/);
    expectError(await h.get('/api/query_depth_book?symbol=BTC-USD&limit=abc'), 400, /limit/);
    expectError(await h.get('/api/query_symbol_price?symbol=%E0%A4%A'), 400);
    expectError(await h.get('/api/query_orders?start=yesterday', h.demo.token), 400, /start/);
    expectError(await h.get('/api/query_order', h.demo.token), 400);
    expectError(await h.get('/api/query_order?order_id=99999', h.demo.token), 404);
    expectError(await h.get('/api/no_such_endpoint'), 404);
    expectError(await h.get('/api/new_order', h.demo.token), 405);
    expectError(await h.rawPost('/api/query_depth_book?symbol=BTC-USD', '{}', {}), 405);
    await bystanderStillServed();
  });

  it('rejects missing, expired, foreign and garbage tokens with 401, and unsigned POSTs with 400', async () => {
    const order = JSON.stringify(limitOrder('buy', '50000.00', '0.0010', { time_in_force: 'alo' }));
    expectError(await h.get('/api/query_balance'), 401, /token/);
    expectError(await h.get('/api/query_balance', h.facade.issueToken(DEMO, -1)), 401, /expired/);
    expectError(await h.get('/api/query_balance', 'not-a-jwt'), 401);
    expectError(await h.get('/api/query_balance', 'a.b.c'), 401);
    const expired = await h.signedPost('/api/new_order', order, { token: h.facade.issueToken(DEMO, -1) });
    expectError(expired, 401, /expired/);

    // A token minted by another venue instance (another secret) is foreign here.
    const otherWorld = createSimWorld({ seed: 2, venues: ['standx'], background: false });
    const other = await startStandxFacade({ world: otherWorld, accounts: [{ accountId: DEMO }] });
    try {
      expectError(await h.get('/api/query_balance', other.credentials.token), 401, /signature/);
      expectError(await h.signedPost('/api/new_order', order, { token: other.credentials.token }), 401);
    } finally {
      await other.close();
    }

    // A valid token but no body signature, or an unknown signature version.
    expectError(await h.rawPost('/api/new_order', order, { authorization: `Bearer ${h.demo.token}` }), 400, /signature/);
    const signed = await h.signedPost('/api/new_order', order);
    expect(signed.status).toBe(200);
    const v2 = await h.rawPost('/api/new_order', order, {
      authorization: `Bearer ${h.demo.token}`,
      ...signed.signed,
      'x-request-id': 'v2-attempt',
      'x-request-sign-version': 'v2',
    });
    expectError(v2, 400, /version/);
    const badTs = await h.rawPost('/api/new_order', order, {
      authorization: `Bearer ${h.demo.token}`,
      ...signed.signed,
      'x-request-id': 'bad-ts',
      'x-request-timestamp': 'soon',
    });
    expectError(badTs, 400, /timestamp/);
    await bystanderStillServed();
  });

  it('answers malformed WS messages with an error message and keeps this and other connections open', async () => {
    const ws = await connect();
    const errorsFrom = async (send: () => void, what: string) => {
      const from = ws.messages.length;
      send();
      const m = await ws.waitFor((x) => x.channel === 'error', what, 3_000, from);
      return StreamStatus.parse(m.data);
    };
    expect(await errorsFrom(() => ws.send('{"subscribe":'), 'malformed JSON')).toMatchObject({ code: 400 });
    expect(await errorsFrom(() => ws.send('[]'), 'array')).toMatchObject({ code: 400 });
    expect(await errorsFrom(() => ws.send({ subscribe: { channel: 'depth_book' } }), 'missing symbol')).toMatchObject({ code: 400 });
    expect(await errorsFrom(() => ws.send({ subscribe: { channel: 'kline', symbol: 'BTC-USD' } }), 'unknown channel')).toMatchObject({ code: 400 });
    expect(await errorsFrom(() => ws.send({ subscribe: { channel: 'depth_book', symbol: 'DOGE-USD' } }), 'unknown symbol')).toMatchObject({
      code: 400,
    });
    expect(await errorsFrom(() => ws.send({ subscribe: { channel: 'order' } }), 'private before auth')).toMatchObject({ code: 401 });
    expect(await errorsFrom(() => ws.sendBinary(new Uint8Array([1, 2, 3])), 'binary frame')).toMatchObject({ code: 400 });
    expect(await ws.auth(h.facade.issueToken(DEMO, -1), ['order'])).toMatchObject({ code: 401 });
    expect(await ws.auth('garbage', ['order'])).toMatchObject({ code: 401 });

    // Still open and usable: a proper subscribe works on the same connection.
    expect(ws.open).toBe(true);
    const from = ws.messages.length;
    ws.send({ subscribe: { channel: 'depth_book', symbol: 'ETH-USD' } });
    expect((await ws.waitFor(isDepth, 'snapshot after errors', 3_000, from)).symbol).toBe('ETH-USD');
    expect(ws.messages.map((m) => m.seq)).toEqual(ws.messages.map((_, i) => i + 1));
    await bystanderStillServed();
    expect(h.facade.wsClientCount).toBe(2);
  });

  it('survives hostile raw HTTP: an unparsable request target and a WS upgrade on a bad path', async () => {
    const badTarget = await rawHttp(h.facade.restUrl, 'GET //[ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(badTarget).toMatch(/^HTTP\/1\.1 4\d\d/);
    const badUpgrade = await rawHttp(
      h.facade.restUrl,
      'GET //[ HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
    );
    expect(badUpgrade).toMatch(/^HTTP\/1\.1 4\d\d/);
    const otherPath = await rawHttp(
      h.facade.restUrl,
      'GET /ws-other/v1 HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
    );
    expect(otherPath).toMatch(/^HTTP\/1\.1 404/);
    const hugeBody = await h.signedPost('/api/new_order', JSON.stringify({ pad: 'x'.repeat(70_000) }));
    expectError(hugeBody, 413);
    await bystanderStillServed();
    expect((await h.get('/api/health')).body).toBe('OK');
  });
});
