import { afterAll, beforeAll, describe } from 'vitest';
import { startGrvtFacade, type GrvtFacade } from '../../src/facades/grvt/index.js';
import { createSimWorld } from '../../src/world.js';
import { login, signedOrder, type Session } from '../grvt/grvt-client.js';
import { fuzzLines, isObject, jsonOf, type WsLine } from './ws-fuzz-line.js';

/** GRVT's internal error code: what an unexpected throw is answered with, never a refusal. */
const INTERNAL = 1002;

/**
 * GRVT's JSON-RPC streams on the façade (market-data host, and trades host with the session): subscribe,
 * unsubscribe and v1/<method> calls. A refusal is {error: {code, message}}, never the internal code; the probe calls
 * a method of no name with an id of its own (answered NOT_FOUND, changing nothing).
 */
function grvtLine(name: string, url: () => string, samples: unknown[], headers?: () => Record<string, string>): WsLine {
  return {
    name,
    url,
    ...(headers ? { headers } : {}),
    samples,
    probe: (n) => {
      const id = 4_000_000_000 + n;
      return { frame: JSON.stringify({ jsonrpc: '2.0', method: 'v1/probe', id }), answers: (t) => (jsonOf(t) as { id?: unknown } | undefined)?.id === id };
    },
    refusalOf(text) {
      const m = jsonOf(text);
      if (!isObject(m)) return { ok: false, what: 'not a JSON object' };
      if (!('error' in m)) return undefined;
      const e = m.error as { code?: unknown; message?: unknown } | null;
      return { ok: isObject(e) && typeof e.code === 'number' && e.code !== INTERNAL && typeof e.message === 'string', what: JSON.stringify(m).slice(0, 200) };
    },
    closeCodes: [1009], // a frame over the 64 KiB limit
  };
}

const rpc = (method: string, params: unknown, id?: number) => ({ jsonrpc: '2.0', method, params, ...(id !== undefined ? { id } : {}) });

describe('the GRVT façade streams (fuzz)', () => {
  const world = createSimWorld({ seed: 17 });
  let facade: GrvtFacade;
  let session: Session;
  let lines: WsLine[];
  beforeAll(async () => {
    for (let i = 0; i < 10; i++) world.step();
    facade = await startGrvtFacade({ world, speedBumpMs: 0, sessionTtlMs: 3_600_000 });
    session = await login(facade);
    const sub = facade.credentials.subAccountId;
    const bid = (Math.floor(Number(world.venue('grvt').book('BTC-PERP', 1).bids[0]![0]) * 0.9 * 10) / 10).toFixed(1);
    const order = await signedOrder(facade, { size: '0.01', price: bid, buy: true, postOnly: true });
    lines = [
      grvtLine('market data', () => facade.marketDataWsUrl, [
        rpc('subscribe', { stream: 'v1.book.s', selectors: ['BTC_USDT_Perp@500-10'] }, 1),
        rpc('subscribe', { stream: 'v1.trade', selectors: ['BTC_USDT_Perp@500'] }, 2),
        rpc('subscribe', { stream: 'v1.book.d', selectors: ['BTC_USDT_Perp@50'] }),
        rpc('subscribe', { stream: 'v1.mini.s', selectors: ['ETH_USDT_Perp@200'] }, 3),
        rpc('subscribe', { stream: 'v1.ticker.s', selectors: ['BTC_USDT_Perp@500'], use_global_sequence_number: false }, 4),
        rpc('unsubscribe', { stream: 'v1.mini.s', selectors: ['ETH_USDT_Perp@200'] }, 5),
        rpc('v1/ticker', { instrument: 'BTC_USDT_Perp' }, 6),
        rpc('v1/book', { instrument: 'BTC_USDT_Perp', depth: 10 }, 7),
      ]),
      grvtLine(
        'trades',
        () => facade.tradesWsUrl,
        [
          rpc('subscribe', { stream: 'v1.order', selectors: [sub] }, 11),
          rpc('subscribe', { stream: 'v1.fill', selectors: [sub] }, 12),
          rpc('subscribe', { stream: 'v1.position', selectors: [sub] }, 13),
          rpc('subscribe', { stream: 'v1.state', selectors: [sub] }, 14),
          rpc('v1/create_order', order, 15),
          rpc('v1/open_orders', { sub_account_id: sub }, 16),
          rpc('v1/cancel_order', { sub_account_id: sub, client_order_id: (order as { order: { metadata: { client_order_id: string } } }).order.metadata.client_order_id }, 17),
          rpc('v1/positions', { sub_account_id: sub }, 18),
          rpc('v1/account_summary', { sub_account_id: sub }, 19),
        ],
        () => ({ cookie: session.cookie, 'x-grvt-account-id': session.accountId }),
      ),
    ];
  });
  afterAll(async () => {
    await facade?.close();
  });

  fuzzLines(() => lines, 'never the internal error, never hangs');
});
