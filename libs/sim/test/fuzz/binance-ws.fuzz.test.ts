import { afterAll, beforeAll, describe, expect } from 'vitest';
import { type BinanceFacade, startBinanceFacade } from '../../src/facades/binance/index.js';
import { createSimWorld } from '../../src/world.js';
import { fuzzLines, isObject, jsonOf, type WsLine } from './ws-fuzz-line.js';

/**
 * Binance USD-M's stream control frames on the façade: {method, params, id}. A refusal is {error: {code, msg}, id};
 * the probe asks GET_PROPERTY with an id of its own. Binance closes a connection sending over 10 frames a second
 * (1008): the harness opens a new one before that.
 */
describe('the Binance façade streams (fuzz)', () => {
  const world = createSimWorld({ seed: 16, venues: ['binanceusdm'] });
  let facade: BinanceFacade;
  let line: WsLine;
  const internalErrors: unknown[] = [];
  beforeAll(async () => {
    for (let i = 0; i < 10; i++) world.step();
    facade = await startBinanceFacade({ world, onInternalError: (e) => internalErrors.push(e) });
    const res = await fetch(`${facade.restUrl}/fapi/v1/listenKey`, { method: 'POST', headers: { 'X-MBX-APIKEY': facade.credentials.apiKey } });
    const { listenKey } = (await res.json()) as { listenKey: string };
    line = {
      name: 'market and user streams',
      url: () => facade.wsUrl,
      samples: [
        { method: 'SUBSCRIBE', params: ['btcusdt@depth@100ms', 'btcusdt@aggTrade', 'btcusdt@markPrice@1s'], id: 1 },
        { method: 'SUBSCRIBE', params: ['btcusdt@depth5@100ms', 'btcusdt@bookTicker', '!markPrice@arr', listenKey], id: 2 },
        { method: 'UNSUBSCRIBE', params: ['btcusdt@aggTrade', listenKey], id: 3 },
        { method: 'LIST_SUBSCRIPTIONS', id: 4 },
        { method: 'SET_PROPERTY', params: ['combined', true], id: 5 },
        { method: 'GET_PROPERTY', params: ['combined'], id: 6 },
      ],
      probe: (n) => {
        const id = 4_000_000_000 + n;
        return { frame: JSON.stringify({ method: 'GET_PROPERTY', params: ['combined'], id }), answers: (t) => (jsonOf(t) as { id?: unknown } | undefined)?.id === id };
      },
      refusalOf(text) {
        const m = jsonOf(text);
        if (!isObject(m)) return { ok: false, what: 'not a JSON object' };
        if (!('error' in m)) return undefined;
        const e = m.error as { code?: unknown; msg?: unknown } | null;
        return { ok: isObject(e) && typeof e.code === 'number' && typeof e.msg === 'string' && 'id' in m, what: JSON.stringify(m).slice(0, 200) };
      },
      closeCodes: [1009], // a frame over the 64 KiB limit
      framesPerConnection: 8,
    };
  });
  afterAll(async () => {
    await facade?.close();
  });

  fuzzLines(() => [line], 'never hangs, never an internal error', () => expect(internalErrors).toEqual([]));
});
