import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe } from 'vitest';
import { parseStandxPrivateKey, signStandxRequest } from '@perpetua/venues';
import { startStandxFacade, type StandxFacade } from '../../src/facades/standx/index.js';
import { createSimWorld } from '../../src/world.js';
import { fuzzLines, isObject, jsonOf, type WsLine } from './ws-fuzz-line.js';

/** Both StandX streams close a frame over their inbound limit with 1009. */
const CLOSE_CODES = [1009];

/**
 * The market stream (/ws-stream/v1): subscribe / unsubscribe / auth frames. A refusal is a message on the `error`
 * channel (or a failed `auth`), {code, msg}; the probe subscribes a symbol of its own name, refused as unknown.
 */
function marketLine(name: string, url: () => string, samples: unknown[], setup?: () => unknown[]): WsLine {
  return {
    name,
    url,
    ...(setup ? { setup } : {}),
    samples,
    probe: (n) => ({
      frame: JSON.stringify({ subscribe: { channel: 'price', symbol: `PROBE-${n}` } }),
      answers: (t) => (jsonOf(t) as { data?: { msg?: unknown } } | undefined)?.data?.msg === `unknown symbol: PROBE-${n}`,
    }),
    refusalOf(text) {
      const m = jsonOf(text);
      if (!isObject(m)) return { ok: false, what: 'not a JSON object' };
      const d = m.data as { code?: unknown; msg?: unknown } | undefined;
      if (m.channel !== 'error' && !(m.channel === 'auth' && isObject(d) && d.code !== 200)) return undefined;
      return { ok: isObject(d) && typeof d.code === 'number' && d.code >= 400 && d.code < 500 && typeof d.msg === 'string', what: JSON.stringify(m).slice(0, 200) };
    },
    closeCodes: CLOSE_CODES,
  };
}

describe('the StandX façade streams (fuzz)', () => {
  const world = createSimWorld({ seed: 18, venues: ['standx'] });
  let facade: StandxFacade;
  let lines: WsLine[];
  beforeAll(async () => {
    for (let i = 0; i < 10; i++) world.step();
    // A frame over the size limit closes its connection and the harness opens another: more than StandX's 30 a
    // minute per IP in a long run. The limit is not what is fuzzed here.
    facade = await startStandxFacade({ world, limits: { maxNewConnectionsPerMinute: 1_000_000 } });
    const { token, privateKey } = facade.credentials;
    const key = parseStandxPrivateKey(privateKey);
    const signed = (method: 'order:new' | 'order:cancel', params: unknown) => {
      const text = JSON.stringify(params);
      const requestId = randomUUID();
      return { session_id: 'fz-session', request_id: requestId, method, header: signStandxRequest({ key, requestId, timestamp: Date.now(), body: text }), params: text };
    };
    const orderLogin = () => [{ session_id: 'fz-session', request_id: 'login-1', method: 'auth:login', params: JSON.stringify({ token }) }];
    const bid = (Math.floor(Number(world.venue('standx').book('BTC-PERP', 1).bids[0]![0]) * 0.9 * 10) / 10).toFixed(1);
    const order = { symbol: 'BTC-USD', side: 'buy', order_type: 'limit', qty: '0.010', price: bid, time_in_force: 'alo', reduce_only: false, cl_ord_id: 'fz-ws-1' };
    const market = [
      { subscribe: { channel: 'depth_book', symbol: 'BTC-USD' } },
      { subscribe: { channel: 'price', symbol: 'BTC-USD' } },
      { subscribe: { channel: 'public_trade', symbol: 'ETH-USD' } },
      { unsubscribe: { channel: 'depth_book', symbol: 'BTC-USD' } },
    ];
    lines = [
      marketLine('market stream', () => facade.wsUrl, [...market, { auth: { token, streams: [{ channel: 'order' }, { channel: 'trade' }] } }]),
      marketLine('market stream, authenticated', () => facade.wsUrl, [...market, { subscribe: { channel: 'position' } }, { subscribe: { channel: 'balance' } }, { unsubscribe: { channel: 'order' } }], () => [
        { auth: { token, streams: [{ channel: 'order' }, { channel: 'trade' }] } },
      ]),
      {
        name: 'order response stream',
        url: () => facade.orderWsUrl,
        setup: orderLogin,
        samples: [signed('order:new', order), signed('order:cancel', { cl_ord_id: 'fz-ws-1' })],
        probe: (n) => ({
          frame: JSON.stringify({ session_id: 'probe', request_id: `probe-${n}`, method: 'auth:login', params: '{}' }),
          answers: (t) => (jsonOf(t) as { request_id?: unknown } | undefined)?.request_id === `probe-${n}`,
        }),
        refusalOf(text) {
          const m = jsonOf(text);
          if (!isObject(m)) return { ok: false, what: 'not a JSON object' };
          if (m.code === 0) return undefined;
          return { ok: typeof m.code === 'number' && m.code >= 400 && m.code < 500 && typeof m.message === 'string', what: JSON.stringify(m).slice(0, 200) };
        },
        closeCodes: CLOSE_CODES,
      },
    ];
  });
  afterAll(async () => {
    await facade?.close();
  });

  fuzzLines(() => lines, 'never hangs, never an internal error');
});
