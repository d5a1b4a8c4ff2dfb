import { afterAll, beforeAll, describe } from 'vitest';
import { type BybitFacade, hmacHex, startBybitFacade, wsAuthPayload } from '../../src/facades/bybit/index.js';
import { createSimWorld } from '../../src/world.js';
import { fuzzLines, isObject, jsonOf, type WsLine } from './ws-fuzz-line.js';

/**
 * Bybit v5's streams on the façade: {op, args, req_id} frames. A refusal is {success: false, ret_msg}; a probe is a
 * ping with its own req_id (the public stream answers {success, ret_msg: "pong", req_id}, the private one {op: "pong", req_id}).
 */
function bybitLine(name: string, url: () => string, samples: unknown[], setup?: () => unknown[]): WsLine {
  return {
    name,
    url,
    ...(setup ? { setup } : {}),
    samples,
    probe: (n) => ({ frame: JSON.stringify({ op: 'ping', req_id: `probe-${n}` }), answers: (t) => (jsonOf(t) as { req_id?: unknown } | undefined)?.req_id === `probe-${n}` }),
    refusalOf(text) {
      const m = jsonOf(text);
      if (!isObject(m)) return { ok: false, what: 'not a JSON object' };
      if (m.success !== false) return undefined;
      return { ok: typeof m.ret_msg === 'string' && m.ret_msg !== '', what: String(m.ret_msg) };
    },
    closeCodes: [1009], // a frame over the 64 KiB limit
  };
}

describe('the Bybit façade streams (fuzz)', () => {
  const world = createSimWorld({ seed: 14, venues: ['bybit'] });
  let facade: BybitFacade;
  let lines: WsLine[];
  beforeAll(async () => {
    for (let i = 0; i < 10; i++) world.step();
    facade = await startBybitFacade({ world });
    const auth = () => {
      const expires = String(Date.now() + 3_600_000);
      return [{ op: 'auth', args: [facade.credentials.apiKey, expires, hmacHex(facade.credentials.secret, wsAuthPayload(expires))], req_id: 'auth' }];
    };
    lines = [
      bybitLine('public', () => facade.publicWsUrl, [
        { op: 'subscribe', args: ['orderbook.50.BTCUSDT', 'publicTrade.BTCUSDT'], req_id: 's1' },
        { op: 'subscribe', args: ['tickers.BTCUSDT'] },
        { op: 'unsubscribe', args: ['orderbook.50.BTCUSDT', 'publicTrade.BTCUSDT', 'tickers.BTCUSDT'], req_id: 7 },
        { op: 'ping', req_id: 'p1' },
      ]),
      bybitLine(
        'private',
        () => facade.privateWsUrl,
        [
          { op: 'subscribe', args: ['order', 'execution', 'position', 'wallet'], req_id: 's2' },
          { op: 'unsubscribe', args: ['order', 'execution'] },
          { op: 'ping' },
        ],
        auth,
      ),
    ];
  });
  afterAll(async () => {
    await facade?.close();
  });

  fuzzLines(() => lines, 'never hangs, never throws');
});
