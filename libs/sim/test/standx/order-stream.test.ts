import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { z } from 'zod';
import { holdsFor, waitUntil } from '@perpetua/testkit';
import { parseStandxPrivateKey, signStandxRequest } from '@perpetua/venues';
import { limitOrder, startHarness, type Harness } from './harness.js';

/** The order-response stream /ws-api/v1 and StandX's connection limits, spoken by hand over a raw socket. */
let h: Harness | undefined;
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.terminate();
  await h?.close();
  h = undefined;
});

const Answer = z.object({ code: z.number(), message: z.string(), request_id: z.string().optional() });
type Answer = z.infer<typeof Answer>;

interface Client {
  ws: WebSocket;
  answers: Answer[];
  next(requestId: string, timeoutMs?: number): Promise<Answer>;
}

async function connect(url: string): Promise<Client> {
  const ws = new WebSocket(url);
  sockets.push(ws);
  const answers: Answer[] = [];
  ws.on('message', (d: WebSocket.RawData) => answers.push(Answer.parse(JSON.parse(d.toString()))));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return {
    ws,
    answers,
    next: async (requestId, timeoutMs = 3_000) => {
      let answer: Answer | undefined;
      await waitUntil(() => (answer = answers.find((x) => x.request_id === requestId)) !== undefined, timeoutMs, `an answer to ${requestId}`);
      return answer!;
    },
  };
}

const orderWsUrl = (hh: Harness) => hh.facade.orderWsUrl;

function request(sessionId: string, method: string, params: unknown, header?: Record<string, string>) {
  const requestId = randomUUID();
  return { requestId, text: JSON.stringify({ session_id: sessionId, request_id: requestId, method, params: JSON.stringify(params), ...(header ? { header } : {}) }) };
}

function signedRequest(hh: Harness, sessionId: string, method: string, params: unknown) {
  const raw = JSON.stringify(params);
  const header = signStandxRequest({ key: parseStandxPrivateKey(hh.demo.privateKey), requestId: randomUUID(), timestamp: Date.now(), body: raw });
  const requestId = randomUUID();
  return { requestId, text: JSON.stringify({ session_id: sessionId, request_id: requestId, method, params: raw, header }) };
}

const bestAsk = (hh: Harness) => hh.engine.book('BTC-PERP', 1).asks[0]![0];
const bestBid = (hh: Harness) => hh.engine.book('BTC-PERP', 1).bids[0]![0];

describe('StandX order-response stream /ws-api/v1', () => {
  it('logs in with the JWT in params (a JSON string), refuses orders before login and unsigned ones, and answers orders after matching', async () => {
    h = await startHarness({ background: true });
    const c = await connect(orderWsUrl(h));
    const session = randomUUID();

    const early = signedRequest(h, session, 'order:new', limitOrder('buy', bestBid(h), '0.01'));
    c.ws.send(early.text);
    expect(await c.next(early.requestId)).toMatchObject({ code: 401 });

    const bad = request(session, 'auth:login', { token: 'not-a-jwt' });
    c.ws.send(bad.text);
    expect((await c.next(bad.requestId)).code).toBe(401);
    const login = request(session, 'auth:login', { token: h.demo.token });
    c.ws.send(login.text);
    expect(await c.next(login.requestId)).toEqual({ code: 0, message: 'success', request_id: login.requestId });

    const unsigned = request(session, 'order:new', limitOrder('buy', bestBid(h), '0.01'));
    c.ws.send(unsigned.text);
    expect((await c.next(unsigned.requestId)).code).toBe(400);

    const rest = signedRequest(h, session, 'order:new', limitOrder('buy', bestBid(h), '0.01', { cl_ord_id: 'ws-rest-1', time_in_force: 'alo' }));
    c.ws.send(rest.text);
    expect(await c.next(rest.requestId)).toMatchObject({ code: 0, message: 'success' });
    expect(h.engine.openOrders('standx-demo').map((o) => o.clientOrderId)).toEqual(['ws-rest-1']);

    const cross = signedRequest(h, session, 'order:new', limitOrder('buy', bestAsk(h), '0.01', { cl_ord_id: 'ws-cross-1', time_in_force: 'alo' }));
    c.ws.send(cross.text);
    expect(await c.next(cross.requestId)).toMatchObject({ code: 400, message: 'alo order rejected' });

    const cancel = signedRequest(h, session, 'order:cancel', { cl_ord_id: 'ws-rest-1' });
    c.ws.send(cancel.text);
    expect((await c.next(cancel.requestId)).code).toBe(0);
    await waitUntil(() => h!.engine.openOrders('standx-demo').length === 0, 2_000, 'the cancel at the engine');
    expect(h.engine.openOrders('standx-demo')).toEqual([]);
  });

  it('tells the session named by x-session-id the outcome of a REST order under its x-request-id; other sessions hear nothing', async () => {
    h = await startHarness({ background: true, facade: { dialect: { rejections: 'order_ws_only' } } });
    const mine = await connect(orderWsUrl(h));
    const other = await connect(orderWsUrl(h));
    const session = randomUUID();
    for (const [c, s] of [[mine, session], [other, randomUUID()]] as const) {
      const login = request(s, 'auth:login', { token: h.demo.token });
      c.ws.send(login.text);
      expect((await c.next(login.requestId)).code).toBe(0);
    }
    const raw = JSON.stringify(limitOrder('buy', bestAsk(h), '0.01', { cl_ord_id: 'rest-cross', time_in_force: 'alo' }));
    const signed = signStandxRequest({ key: parseStandxPrivateKey(h.demo.privateKey), requestId: randomUUID(), timestamp: Date.now(), body: raw });
    const ack = await h.rawPost('/api/new_order', raw, { authorization: `Bearer ${h.demo.token}`, 'x-session-id': session, ...signed });
    expect(ack).toMatchObject({ status: 200, body: { code: 0 } });
    expect(await mine.next(signed['x-request-id'])).toMatchObject({ code: 400, message: 'alo order rejected' });
    await holdsFor(() => !other.answers.some((a) => a.request_id === signed['x-request-id']), 50, 'no answer on the other session');
    expect(other.answers.filter((a) => a.request_id === signed['x-request-id'])).toEqual([]);
    // In this dialect the order-response stream is the only trace: query_order does not know the order.
    expect((await h.get('/api/query_order?cl_ord_id=rest-cross', h.demo.token)).status).toBe(404);
  });
});

describe('StandX connection limits', () => {
  it('at most 10 sockets per IP open, and 30 new a minute; each upgrade is counted per IP and path, refusals answered 429', async () => {
    h = await startHarness({ background: false });
    const open: WebSocket[] = [];
    for (let i = 0; i < 10; i++) open.push((await connect(i % 2 === 0 ? h.facade.wsUrl : orderWsUrl(h))).ws);
    await expect(connect(h.facade.wsUrl)).rejects.toThrow(/429/);
    const stats = h.facade.connectionStats()['127.0.0.1']!;
    const openHere = () => h!.facade.connectionStats()['127.0.0.1']?.open;
    expect(stats).toMatchObject({ open: 10, peakOpen: 10, opened: 10, refused: 1, openedByPath: { '/ws-stream/v1': 5, '/ws-api/v1': 5 } });
    // Closing makes room; the per-minute cap then stops the 31st new connection.
    for (let i = 10; i < 30; i++) {
      const closing = open.shift()!;
      await new Promise<void>((r) => {
        closing.once('close', () => r());
        closing.close();
      });
      await waitUntil(() => openHere() === 9, 2_000, 'the façade to count the close');
      open.push((await connect(h.facade.wsUrl)).ws);
    }
    open.shift()!.terminate();
    // Room under the 10 open: the next refusal is the per-minute cap's.
    await waitUntil(() => openHere() === 9, 2_000, 'the façade to count the close');
    await expect(connect(h.facade.wsUrl)).rejects.toThrow(/429/);
    expect(h.facade.connectionStats()['127.0.0.1']).toMatchObject({ opened: 30, peakPerMinute: 30, peakOpen: 10, refused: 2 });
  });

  it('REST: 45 credits a request against a burst of 900 — the 21st request at once is refused with 429', async () => {
    // A clock that stands still: no credit comes back while the requests are served.
    const t0 = Date.now();
    h = await startHarness({ background: false, facade: { now: () => t0 } });
    const replies = await Promise.all(Array.from({ length: 21 }, () => h!.get('/api/query_balance', h!.demo.token)));
    const statuses = replies.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(20);
    expect(statuses.filter((s) => s === 429)).toHaveLength(1);
    expect(replies.find((r) => r.status === 429)?.body).toMatchObject({ code: 429 });
  });
});
