import { describe, expect, it } from 'vitest';
import type { FacadeTap, TapRestVerdict } from '../../src/facades/facade-tap.js';
import type { GrvtRestReply, GrvtTrafficHooks, GrvtWsOutgoing } from '../../src/facades/grvt/wire-tap.js';
import { FaultInjector } from '../../src/faults/index.js';
import { createSimWorld } from '../../src/world.js';

/**
 * The Bybit and GRVT adapters against their seams alone (their façades are built elsewhere): frames are classified
 * per protocol and answers carry the venue's own bodies.
 */

function fakes() {
  const world = createSimWorld({ seed: 2, assets: ['BTC'], background: false });
  const injector = new FaultInjector({ world });
  const bybit: { tap: FacadeTap } = { tap: {} };
  const grvt: { hooks: GrvtTrafficHooks } = { hooks: {} };
  injector.attachBybit({ setTap: (t) => (bybit.tap = t) });
  injector.attachGrvt({ setTrafficHooks: (h) => (grvt.hooks = h) });
  return { injector, bybit, grvt };
}

const bybitFrame = (stream: string | undefined, data: string, path = '/v5/public/linear') => ({ connectionId: 1, path, stream, data });
const grvtMsg = (stream: string | undefined, host: GrvtWsOutgoing['host'] = 'market-data'): GrvtWsOutgoing => ({ host, connectionId: 1, stream, text: `{"stream":"${stream}"}` });

describe('Bybit adapter (FacadeTap)', () => {
  it('seq_skip drops one orderbook delta, never a snapshot or another topic', () => {
    const { injector, bybit } = fakes();
    injector.inject({ kind: 'seq_skip', venue: 'bybit' });
    const ws = bybit.tap.ws!;
    expect(ws(bybitFrame('orderbook.50.BTCUSDT', '{"topic":"orderbook.50.BTCUSDT","type":"snapshot"}'))).toEqual({ kind: 'pass' });
    expect(ws(bybitFrame('publicTrade.BTCUSDT', '{"topic":"publicTrade.BTCUSDT","type":"delta"}'))).toEqual({ kind: 'pass' });
    expect(ws(bybitFrame('orderbook.50.BTCUSDT', '{"topic":"orderbook.50.BTCUSDT","type":"delta"}'))).toEqual({ kind: 'drop' });
    expect(ws(bybitFrame('orderbook.50.BTCUSDT', '{"topic":"orderbook.50.BTCUSDT","type":"delta"}'))).toEqual({ kind: 'pass' });
    injector.close();
  });

  it('ws_freeze withholds public topics, not private ones; ws_drop closes', () => {
    const { injector, bybit } = fakes();
    const freeze = injector.inject({ kind: 'ws_freeze', venue: 'bybit' });
    const ws = bybit.tap.ws!;
    expect(ws(bybitFrame('tickers.BTCUSDT', '{}'))).toEqual({ kind: 'drop' });
    expect(ws(bybitFrame('order', '{}', '/v5/private'))).toEqual({ kind: 'pass' });
    injector.remove(freeze.id);
    injector.inject({ kind: 'ws_drop', venue: 'bybit', code: 4000, durationMs: 1_000 });
    expect(ws(bybitFrame(undefined, '{"op":"pong"}'))).toMatchObject({ kind: 'close', code: 4000 });
    injector.close();
  });

  it("429, 5xx and order rejections carry Bybit's retCode bodies", async () => {
    const { injector, bybit } = fakes();
    const rest = bybit.tap.rest!;
    const req = (method: string, path: string) => rest({ method, path, query: '', body: '', headers: {} }) as TapRestVerdict;
    const bodyOf = (v: TapRestVerdict) => (v.kind === 'respond' ? { status: v.status, body: JSON.parse(v.body) as Record<string, unknown> } : undefined);

    injector.inject({ kind: 'http_error', venue: 'bybit', status: 429, count: 1 });
    expect(bodyOf(req('GET', '/v5/market/tickers'))).toMatchObject({ status: 429, body: { retCode: 10006, retMsg: 'Too many visits!' } });
    injector.inject({ kind: 'http_error', venue: 'bybit', status: 502, count: 1 });
    expect(bodyOf(req('GET', '/v5/market/tickers'))).toMatchObject({ status: 502, body: { retCode: 10016 } });
    injector.inject({ kind: 'reject_orders', venue: 'bybit' });
    expect(req('POST', '/v5/order/cancel')).toEqual({ kind: 'pass' });
    expect(bodyOf(req('POST', '/v5/order/create'))).toMatchObject({ status: 200, body: { retCode: 110007 } });
    injector.clear();
    injector.inject({ kind: 'http_timeout', venue: 'bybit', method: 'POST' });
    expect(req('GET', '/v5/market/time')).toEqual({ kind: 'pass' });
    expect(req('POST', '/v5/order/create')).toEqual({ kind: 'hang' });
    injector.close();
  });
});

describe('GRVT adapter (GrvtTrafficHooks)', () => {
  it('seq_skip drops one v1.book.d message; ws_freeze spares the trades host', () => {
    const { injector, grvt } = fakes();
    const send = grvt.hooks.onWsSend!;
    injector.inject({ kind: 'seq_skip', venue: 'grvt' });
    expect(send(grvtMsg('v1.book.s'))).toBe('{"stream":"v1.book.s"}');
    expect(send(grvtMsg('v1.book.d'))).toBeNull();
    expect(send(grvtMsg('v1.book.d'))).toBe('{"stream":"v1.book.d"}');
    injector.inject({ kind: 'ws_freeze', venue: 'grvt' });
    expect(send(grvtMsg('v1.trade'))).toBeNull();
    expect(send(grvtMsg('v1.order', 'trades'))).toBe('{"stream":"v1.order"}');
    injector.close();
  });

  it('ws_delay resolves the message after the delay', async () => {
    const { injector, grvt } = fakes();
    injector.inject({ kind: 'ws_delay', venue: 'grvt', ms: 60 });
    const started = Date.now();
    const out = grvt.hooks.onWsSend!(grvtMsg('v1.mini.s'));
    expect(out).toBeInstanceOf(Promise);
    expect(await out).toBe('{"stream":"v1.mini.s"}');
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
    injector.close();
  });

  it("429 and 5xx carry GRVT's {code, message, status} body; create_order rejections too", async () => {
    const { injector, grvt } = fakes();
    const rest = (path: string) => grvt.hooks.onRest!({ host: 'trades', method: 'POST', path, headers: {}, rawBody: '{}' }) as GrvtRestReply | undefined;
    injector.inject({ kind: 'http_error', venue: 'grvt', status: 429, count: 1 });
    expect(rest('/full/v1/account_summary')).toEqual({ status: 429, body: { code: 1006, message: expect.any(String), status: 429 } });
    injector.inject({ kind: 'http_error', venue: 'grvt', status: 500, count: 1 });
    expect(rest('/full/v1/account_summary')).toEqual({ status: 500, body: { code: 1002, message: 'Internal Server Error', status: 500 } });
    injector.inject({ kind: 'reject_orders', venue: 'grvt', count: 1 });
    expect(rest('/full/v1/cancel_order')).toBeUndefined();
    expect(rest('/full/v1/create_order')).toMatchObject({ status: 400, body: { status: 400 } });
    expect(rest('/full/v1/create_order')).toBeUndefined();
    injector.close();
  });

  it('ws_drop answers a close verdict with the code, once per connection', () => {
    const { injector, grvt } = fakes();
    const send = grvt.hooks.onWsSend!;
    injector.inject({ kind: 'ws_drop', venue: 'grvt', code: 4005, durationMs: 1_000 });
    expect(send(grvtMsg('v1.mini.s'))).toEqual({ close: 4005, reason: 'sim fault: ws_drop' });
    expect(send(grvtMsg('v1.mini.s'))).toBe('{"stream":"v1.mini.s"}');
    injector.close();
  });

  it('a hung request is released when the injector closes', async () => {
    const { injector, grvt } = fakes();
    injector.inject({ kind: 'http_timeout', venue: 'grvt' });
    const pending = grvt.hooks.onRest!({ host: 'edge', method: 'POST', path: '/auth/api_key/login', headers: {}, rawBody: '' });
    expect(pending).toBeInstanceOf(Promise);
    injector.close();
    await expect(pending).resolves.toBeUndefined();
  });
});
