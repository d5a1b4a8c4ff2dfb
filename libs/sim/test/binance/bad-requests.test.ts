import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type BinanceFacade, startBinanceFacade } from '../../src/facades/binance/index.js';
import { type SimWorldImpl, createSimWorld } from '../../src/world.js';
import { type SignedRequest, binanceRequest } from './signed-fetch.js';
import { waitFor } from '../support/wait.js';

/**
 * Bad requests get Binance's own {code, msg} answer with its real code and HTTP status, never a
 * crash, and the façade keeps serving everyone else (a depth stream and a well-formed client).
 */

const ORDER = '/fapi/v1/order';
/** A valid limit order far below the market, so it would rest if accepted. */
const GOOD_ORDER = 'symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.002&price=90000';

interface Case {
  name: string;
  req: SignedRequest;
  status: number;
  code: number;
  /** Part of Binance's message that names what was wrong. */
  msg: string;
}

const CASES: Case[] = [
  {
    name: 'malformed JSON body (Binance reads no JSON: the parameters are missing)',
    req: { method: 'POST', path: ORDER, body: '{"symbol":"BTCUSDT","side":', contentType: 'application/json' },
    status: 400,
    code: -1102,
    msg: "'symbol'",
  },
  {
    name: 'form body that is not key=value pairs',
    req: { method: 'POST', path: ORDER, body: '%%%&&==&garbage' },
    status: 400,
    code: -1102,
    msg: "'symbol'",
  },
  {
    name: 'form body with a broken percent escape',
    req: { method: 'POST', path: ORDER, body: 'symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.002&price=%E0%A4%A' },
    status: 400,
    code: -1100,
    msg: "'price'",
  },
  {
    name: 'missing quantity',
    req: { method: 'POST', path: ORDER, body: 'symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&price=90000' },
    status: 400,
    code: -1102,
    msg: "'quantity'",
  },
  {
    name: 'limit order without a price',
    req: { method: 'POST', path: ORDER, body: 'symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.002' },
    status: 400,
    code: -1102,
    msg: "'price'",
  },
  {
    name: 'quantity that is not a number',
    req: { method: 'POST', path: ORDER, body: 'symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=abc&price=90000' },
    status: 400,
    code: -1100,
    msg: "'quantity'",
  },
  {
    name: 'negative quantity',
    req: { method: 'POST', path: ORDER, body: 'symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=-0.002&price=90000' },
    status: 400,
    code: -1100,
    msg: "'quantity'",
  },
  {
    name: 'quantity with more decimals than the lot allows (20, beyond an exact decimal)',
    req: { method: 'POST', path: ORDER, body: 'symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.00000000000000000001&price=90000' },
    status: 400,
    code: -1111,
    msg: 'Precision',
  },
  {
    name: 'price with more decimals than the tick allows',
    req: { method: 'POST', path: ORDER, body: 'symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.002&price=90000.00000000000000000001' },
    status: 400,
    code: -1111,
    msg: 'Precision',
  },
  {
    name: 'zero quantity',
    req: { method: 'POST', path: ORDER, body: 'symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0&price=90000' },
    status: 400,
    code: -4003,
    msg: 'Quantity less than or equal to zero',
  },
  {
    name: 'unknown side',
    req: { method: 'POST', path: ORDER, body: 'symbol=BTCUSDT&side=UP&type=LIMIT&timeInForce=GTC&quantity=0.002&price=90000' },
    status: 400,
    code: -1117,
    msg: 'Invalid side',
  },
  {
    name: 'unknown order type',
    req: { method: 'POST', path: ORDER, body: 'symbol=BTCUSDT&side=BUY&type=ICEBERG&timeInForce=GTC&quantity=0.002&price=90000' },
    status: 400,
    code: -1116,
    msg: 'Invalid orderType',
  },
  {
    name: 'unknown timeInForce',
    req: { method: 'POST', path: ORDER, body: 'symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=DAY&quantity=0.002&price=90000' },
    status: 400,
    code: -1115,
    msg: 'Invalid timeInForce',
  },
  {
    name: 'unknown symbol',
    req: { method: 'POST', path: ORDER, body: 'symbol=FOOUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.002&price=90000' },
    status: 400,
    code: -1121,
    msg: 'Invalid symbol',
  },
  {
    name: 'unknown symbol on a public endpoint',
    req: { method: 'GET', path: '/fapi/v1/depth', query: 'symbol=FOOUSDT', sign: false },
    status: 400,
    code: -1121,
    msg: 'Invalid symbol',
  },
  {
    name: 'more margin than the account has',
    req: { method: 'POST', path: ORDER, body: 'symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1000&price=90000' },
    status: 400,
    code: -2019,
    msg: 'Margin is insufficient',
  },
  {
    name: 'a parameter sent twice',
    req: { method: 'POST', path: ORDER, query: 'symbol=BTCUSDT', body: GOOD_ORDER },
    status: 400,
    code: -1101,
    msg: "'symbol'",
  },
  {
    name: 'orderId that is not an integer',
    req: { method: 'GET', path: ORDER, query: 'symbol=BTCUSDT&orderId=12x' },
    status: 400,
    code: -1100,
    msg: "'orderId'",
  },
  {
    name: 'query of an order that does not exist',
    req: { method: 'GET', path: ORDER, query: 'symbol=BTCUSDT&orderId=999999999' },
    status: 400,
    code: -2013,
    msg: 'Order does not exist',
  },
  {
    name: 'cancel of an order that does not exist',
    req: { method: 'DELETE', path: ORDER, query: 'symbol=BTCUSDT&orderId=999999999' },
    status: 400,
    code: -2011,
    msg: 'Unknown order',
  },
  {
    name: 'leverage out of range',
    req: { method: 'POST', path: '/fapi/v1/leverage', body: 'symbol=BTCUSDT&leverage=0' },
    status: 400,
    code: -4028,
    msg: 'Leverage 0 is not valid',
  },
  {
    name: 'signature made with the wrong secret',
    req: { method: 'POST', path: ORDER, body: GOOD_ORDER, secret: 'not-the-secret' },
    status: 400,
    code: -1022,
    msg: 'Signature',
  },
  {
    name: 'unsigned request to a signed endpoint',
    req: { method: 'POST', path: ORDER, body: GOOD_ORDER, sign: false },
    status: 400,
    code: -1102,
    msg: "'timestamp'",
  },
  {
    name: 'unknown API key',
    req: { method: 'POST', path: ORDER, body: GOOD_ORDER, apiKey: 'someoneElsesKey' },
    status: 401,
    code: -2015,
    msg: 'Invalid API-key',
  },
];

const SWEPT_ROUTES: Array<[SignedRequest['method'], string]> = [
  ['GET', '/fapi/v1/depth'],
  ['GET', '/fapi/v1/trades'],
  ['GET', '/fapi/v1/aggTrades'],
  ['GET', '/fapi/v1/ticker/24hr'],
  ['GET', '/fapi/v1/ticker/bookTicker'],
  ['GET', '/fapi/v1/premiumIndex'],
  ['POST', ORDER],
  ['GET', ORDER],
  ['DELETE', ORDER],
  ['DELETE', '/fapi/v1/allOpenOrders'],
  ['GET', '/fapi/v1/openOrders'],
  ['GET', '/fapi/v1/allOrders'],
  ['GET', '/fapi/v1/userTrades'],
  ['GET', '/fapi/v3/positionRisk'],
  ['POST', '/fapi/v1/leverage'],
  ['GET', '/fapi/v1/leverageBracket'],
  ['POST', '/fapi/v1/marginType'],
  ['GET', '/fapi/v3/account'],
];
const SWEPT_PARAMS = ['symbol', 'side', 'quantity', 'price', 'orderId', 'limit', 'startTime', 'leverage', 'recvWindow', 'reduceOnly'];
/** Values a careless or hostile client might send: empty, signed, huge, over-precise, not numbers at all. */
const ODD_VALUES = ['', '-1', '0', '1e5', '0.00000000000000000001', '99999999999999999999.99999999999999999999', 'abc', '%00', '__proto__', ' 1'];

describe('Binance façade: bad requests', () => {
  let world: SimWorldImpl;
  let facade: BinanceFacade;
  let depth: WebSocket;
  let depthFrames = 0;
  const internalErrors: unknown[] = [];

  beforeAll(async () => {
    world = createSimWorld({ seed: 11, clock: 'wall', venues: ['binanceusdm'], stepMs: 10 });
    facade = await startBinanceFacade({ world, onInternalError: (e) => internalErrors.push(e) });
    // Another client, listening to the diff book all along.
    depth = new WebSocket(`${facade.wsUrl}/btcusdt@depth@100ms`);
    depth.on('message', () => depthFrames++);
    await new Promise<void>((resolve, reject) => {
      depth.once('open', () => resolve());
      depth.once('error', reject);
    });
    world.start(10);
  });

  afterAll(async () => {
    world?.stop();
    depth?.close();
    await facade?.close();
  });

  for (const c of CASES) {
    it(`${c.name} → ${c.code}`, async () => {
      const before = world.venue('binanceusdm').openOrders(facade.accountId).length;
      const answer = await binanceRequest(facade, c.req);
      expect(answer.status).toBe(c.status);
      const body = answer.body as { code?: unknown; msg?: unknown };
      expect(body.code).toBe(c.code);
      expect(typeof body.msg).toBe('string');
      expect(String(body.msg)).toContain(c.msg);
      expect(Object.keys(body).sort()).toEqual(['code', 'msg']);
      // A refused order leaves nothing behind.
      expect(world.venue('binanceusdm').openOrders(facade.accountId)).toHaveLength(before);
    });
  }

  it('answers every endpoint with a Binance error or a result for odd parameter values, never a 5xx', async () => {
    const base: Record<string, string> = {
      symbol: 'BTCUSDT',
      side: 'SELL',
      type: 'LIMIT',
      timeInForce: 'GTX',
      quantity: '0.002',
      price: '200000',
      orderId: '1',
      leverage: '10',
      marginType: 'CROSSED',
      dualSidePosition: 'false',
    };
    const statuses = new Set<number>();
    for (const [method, path] of SWEPT_ROUTES) {
      const answers = await Promise.all(
        SWEPT_PARAMS.flatMap((param) =>
          ODD_VALUES.map(async (value) => {
            const params = new URLSearchParams({ ...base, [param]: value }).toString();
            const read = method === 'GET' || method === 'DELETE';
            const a = await binanceRequest(facade, read ? { method, path, query: params } : { method, path, body: params });
            return { ...a, what: `${method} ${path} ${param}=${value}` };
          }),
        ),
      );
      for (const a of answers) {
        statuses.add(a.status);
        if (a.status !== 200) expect({ what: a.what, code: typeof (a.body as { code?: unknown }).code }).toEqual({ what: a.what, code: 'number' });
        expect({ what: a.what, status: a.status < 500 }).toEqual({ what: a.what, status: true });
      }
      world.venue('binanceusdm').cancelAll(facade.accountId);
    }
    expect([...statuses].sort()).toEqual([200, 400]);
    expect(internalErrors).toEqual([]);
  });

  it('a malformed WS request gets an error reply and the connection stays usable', async () => {
    const replies: unknown[] = [];
    depth.on('message', (data: WebSocket.RawData) => {
      const msg = JSON.parse(data.toString()) as Record<string, unknown>;
      if ('id' in msg) replies.push(msg);
    });
    depth.send('{"method": "SUBSCRIBE", "params": [');
    depth.send(JSON.stringify({ method: 'SUBSCRIBE', params: ['btcusdt@nonsense'], id: 1 }));
    depth.send(JSON.stringify({ method: 'LIST_SUBSCRIPTIONS', id: 2 }));
    await waitFor(() => replies.length >= 3, 3_000, 'three WS replies');
    expect(replies[0]).toMatchObject({ error: { code: 3 }, id: null });
    expect(replies[1]).toMatchObject({ error: { code: 2 }, id: 1 });
    expect(replies[2]).toEqual({ result: ['btcusdt@depth@100ms'], id: 2 });
  });

  it('still serves other clients afterwards', async () => {
    const seen = depthFrames;
    await waitFor(() => depthFrames > seen + 5, 5_000, 'more depth updates');
    expect(depth.readyState).toBe(WebSocket.OPEN);

    const placed = await binanceRequest(facade, { method: 'POST', path: ORDER, body: GOOD_ORDER });
    expect(placed.status).toBe(200);
    const order = placed.body as { orderId: number; status: string };
    expect(order.status).toBe('NEW');
    const open = world.venue('binanceusdm').openOrders(facade.accountId);
    expect(open.map((o) => Number(o.orderId))).toEqual([order.orderId]);

    const book = await binanceRequest(facade, { method: 'GET', path: '/fapi/v1/depth', query: 'symbol=BTCUSDT&limit=5', sign: false });
    expect(book.status).toBe(200);
    expect((book.body as { bids: unknown[] }).bids).toHaveLength(5);
    expect(internalErrors).toEqual([]);
  });
});
