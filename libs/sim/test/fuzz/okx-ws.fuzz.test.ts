import { afterAll, beforeAll, describe, expect } from 'vitest';
import { okxSign, startOkxFacade, type OkxFacade } from '../../src/facades/okx/index.js';
import { createSimWorld } from '../../src/world.js';
import { fuzzLines, isObject, jsonOf, type WsLine } from './ws-fuzz-line.js';

const INST = 'BTC-USDT-SWAP';

/**
 * OKX v5's streams on the façade: {op, args, id} frames and the text ping. A refusal is {event: "error", code, msg};
 * the probe unsubscribes a channel of its own name, which OKX acknowledges as {event: "unsubscribe", arg}.
 */
function okxLine(name: string, url: () => string, samples: unknown[], setup?: () => unknown[]): WsLine {
  return {
    name,
    url,
    ...(setup ? { setup } : {}),
    samples,
    probe: (n) => ({
      frame: JSON.stringify({ op: 'unsubscribe', args: [{ channel: `probe-${n}` }] }),
      answers: (t) => {
        const m = jsonOf(t) as { event?: unknown; arg?: { channel?: unknown } } | undefined;
        return m?.event === 'unsubscribe' && m.arg?.channel === `probe-${n}`;
      },
    }),
    refusalOf(text) {
      if (text === 'pong') return undefined;
      const m = jsonOf(text);
      if (!isObject(m)) return { ok: false, what: 'not a JSON object' };
      if (m.event !== 'error') return undefined;
      return { ok: typeof m.code === 'string' && /^[0-9]+$/.test(m.code) && typeof m.msg === 'string', what: `${String(m.code)} ${String(m.msg)}` };
    },
    closeCodes: [1009], // a frame over the 64 KiB limit
  };
}

describe('the OKX façade streams (fuzz)', () => {
  const world = createSimWorld({ seed: 15, venues: ['okx'] });
  let facade: OkxFacade;
  let lines: WsLine[];
  const internalErrors: unknown[] = [];
  beforeAll(async () => {
    for (let i = 0; i < 10; i++) world.step();
    facade = await startOkxFacade({ world, onInternalError: (e) => internalErrors.push(e) });
    const login = () => {
      const timestamp = String(Math.floor(Date.now() / 1000));
      return [{ op: 'login', args: [{ apiKey: facade.credentials.apiKey, passphrase: facade.credentials.password, timestamp, sign: okxSign(facade.credentials.secret, `${timestamp}GET/users/self/verify`) }] }];
    };
    lines = [
      okxLine('public', () => facade.publicWsUrl, [
        { op: 'subscribe', args: [{ channel: 'books5', instId: INST }, { channel: 'trades', instId: INST }], id: 's1' },
        { op: 'subscribe', args: [{ channel: 'bbo-tbt', instId: INST }, { channel: 'mark-price', instId: INST }, { channel: 'funding-rate', instId: INST }, { channel: 'tickers', instId: INST }] },
        { op: 'subscribe', args: [{ channel: 'books', instId: INST }] },
        { op: 'unsubscribe', args: [{ channel: 'books5', instId: INST }, { channel: 'books', instId: INST }] },
      ]),
      okxLine(
        'private',
        () => facade.privateWsUrl,
        [
          { op: 'subscribe', args: [{ channel: 'orders', instType: 'SWAP' }, { channel: 'positions', instType: 'SWAP' }, { channel: 'account' }], id: 's2' },
          { op: 'unsubscribe', args: [{ channel: 'orders', instType: 'SWAP' }] },
        ],
        login,
      ),
    ];
  });
  afterAll(async () => {
    await facade?.close();
  });

  fuzzLines(() => lines, 'never hangs, never an internal error', () => expect(internalErrors).toEqual([]));
});
