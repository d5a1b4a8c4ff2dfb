/**
 * "A StandX order signed with the demo key is accepted and its fill reaches the private
 * WS; a wrong signature, a stale timestamp and a replayed request id are each rejected
 * with the venue's error shape." Requests are signed by libs/venues' StandX signer, the
 * fills come from the engine's matching, and the WS is StandX's market stream.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { holdsFor } from '@perpetua/testkit';
import { DEMO, limitOrder, marketOrder, startHarness, type Harness } from './harness.js';
import { StreamClient } from './stream-client.js';
import { AckBody, ErrorBody, OrderPage, PublicTrade, WireOrder, WireTrade, canonicalDecimal, type StreamEnvelope } from './wire-shapes.js';

const orderOn = (clOrdId: string, status?: string) => (m: StreamEnvelope) => {
  if (m.channel !== 'order') return false;
  const o = WireOrder.parse(m.data);
  return o.cl_ord_id === clOrdId && (status === undefined || o.status === status);
};
const tradeOn = (clOrdId: string) => (m: StreamEnvelope) => m.channel === 'trade' && WireTrade.parse(m.data).cl_ord_id === clOrdId;

describe('StandX façade: signed orders reach matching and the private stream', () => {
  let h: Harness | undefined;
  const clients: StreamClient[] = [];
  const connect = async () => {
    const c = await StreamClient.connect(h!.facade.wsUrl);
    clients.push(c);
    return c;
  };
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await h?.close();
    h = undefined;
  });

  it('acks a demo-key-signed market order, then streams its fill from the background book; query_order finds it by cl_ord_id', async () => {
    h = await startHarness({ seed: 11 });
    const ws = await connect();
    expect(await ws.auth(h.demo.token, ['order', 'trade', 'position', 'balance'])).toEqual({ code: 200, msg: 'success' });

    const bestAsk = h.engine.book('BTC-PERP', 1).asks[0]!;
    const res = await h.signedPost('/api/new_order', marketOrder('buy', '0.0100', { cl_ord_id: 'mkt-1' }));
    // The reply is StandX's acknowledgement only, echoing our x-request-id: no order data in it.
    expect(res.status).toBe(200);
    expect(AckBody.strict().parse(res.body).request_id).toBe(res.signed['x-request-id']);

    const filled = WireOrder.parse((await ws.waitFor(orderOn('mkt-1', 'filled'), 'filled order on the order channel')).data);
    const trade = WireTrade.parse((await ws.waitFor(tradeOn('mkt-1'), 'fill on the trade channel')).data);
    expect(filled).toMatchObject({ symbol: 'BTC-USD', side: 'buy', order_type: 'market', fill_qty: '0.0100', user: h.demo.address });
    expect(trade).toMatchObject({ symbol: 'BTC-USD', side: 'buy', qty: '0.0100', order_id: filled.id });
    // It traded against the background liquidity: at the best ask that rested before the order.
    expect(canonicalDecimal(trade.price)).toBe(bestAsk[0]);
    const fills = h.engine.fills(DEMO);
    expect(fills).toHaveLength(1);
    expect(fills[0]).toMatchObject({ price: bestAsk[0], qty: '0.01', liquidity: 'taker', clientOrderId: 'mkt-1' });
    await ws.waitFor((m) => m.channel === 'position', 'position update');
    await ws.waitFor((m) => m.channel === 'balance', 'balance update');

    const queried = await h.get('/api/query_order?cl_ord_id=mkt-1', h.demo.token);
    expect(queried.status).toBe(200);
    expect(WireOrder.parse(queried.body)).toMatchObject({ id: filled.id, status: 'filled', fill_qty: '0.0100' });
  });

  it('matches a resting order of one account against a crossing order of another; both sides see their fill', async () => {
    h = await startHarness({ seed: 12, background: false });
    const maker = await connect();
    const taker = await connect();
    const tape = await connect();
    expect(await maker.auth(h.demo.token, ['order', 'trade'])).toMatchObject({ code: 200 });
    expect(await taker.auth(h.second.token, ['order', 'trade'])).toMatchObject({ code: 200 });
    tape.send({ subscribe: { channel: 'public_trade', symbol: 'BTC-USD' } });
    await tape.roundTrip(); // the subscription is in place (public_trade sends nothing on subscribe)

    const rest = await h.signedPost('/api/new_order', limitOrder('sell', '100000.00', '0.0200', { cl_ord_id: 'maker-1', time_in_force: 'alo' }));
    expect(rest.status).toBe(200);
    // Async ack: the order's state arrives on the stream and via query_order afterwards.
    const resting = WireOrder.parse((await maker.waitFor(orderOn('maker-1', 'open'), 'resting order')).data);
    expect(resting).toMatchObject({ price: '100000.00', qty: '0.0200', time_in_force: 'alo', fill_qty: '0' });
    const open = await h.get('/api/query_order?cl_ord_id=maker-1', h.demo.token);
    expect(WireOrder.parse(open.body).status).toBe('open');

    const cross = await h.signedPost('/api/new_order', limitOrder('buy', '100000.00', '0.0150', { cl_ord_id: 'taker-1' }), { as: h.second });
    expect(cross.status).toBe(200);

    const takerFill = WireTrade.parse((await taker.waitFor(tradeOn('taker-1'), 'taker fill')).data);
    const makerFill = WireTrade.parse((await maker.waitFor(tradeOn('maker-1'), 'maker fill')).data);
    expect(takerFill).toMatchObject({ side: 'buy', price: '100000.00', qty: '0.0150', user: h.second.address });
    expect(makerFill).toMatchObject({ side: 'sell', price: '100000.00', qty: '0.0150', user: h.demo.address });
    // Maker pays 1 bp, taker 4 bps of 1500 DUSD notional (StandX's default fees).
    expect(canonicalDecimal(makerFill.fee_qty)).toBe('0.15');
    expect(canonicalDecimal(takerFill.fee_qty)).toBe('0.6');
    await taker.waitFor(orderOn('taker-1', 'filled'), 'taker order filled');
    const partly = await maker.waitFor(
      (m) => orderOn('maker-1', 'open')(m) && WireOrder.parse(m.data).fill_qty === '0.0150',
      'maker order partially filled',
    );
    expect(WireOrder.parse(partly.data).status).toBe('open');

    const print = PublicTrade.parse((await tape.waitFor((m) => m.channel === 'public_trade', 'public trade')).data);
    expect(print).toMatchObject({ symbol: 'BTC-USD', side: 'buy', is_buyer_taker: true, price: '100000.00', qty: '0.0150' });

    // Private streams are per account: neither side sees the other's orders or fills.
    const users = (c: StreamClient) =>
      new Set(c.messages.filter((m) => m.channel === 'order' || m.channel === 'trade').map((m) => WireTrade.pick({ user: true }).parse(m.data).user));
    expect(users(maker)).toEqual(new Set([h.demo.address]));
    expect(users(taker)).toEqual(new Set([h.second.address]));
    expect(tape.messages.some((m) => m.channel === 'order' || m.channel === 'trade')).toBe(false);
  });

  it('cancels by cl_ord_id asynchronously and refuses a duplicate live cl_ord_id without hiding the live order', async () => {
    h = await startHarness({ seed: 15 });
    const ws = await connect();
    await ws.auth(h.demo.token, ['order']);
    const place = await h.signedPost('/api/new_order', limitOrder('buy', '90000.00', '0.0010', { cl_ord_id: 'rest-1', time_in_force: 'alo' }));
    expect(place.status).toBe(200);
    const live = WireOrder.parse((await ws.waitFor(orderOn('rest-1', 'open'), 'resting order')).data);

    const dup = await h.signedPost('/api/new_order', limitOrder('buy', '89000.00', '0.0010', { cl_ord_id: 'rest-1' }));
    expect(dup.status).toBe(200);
    const refused = WireOrder.parse((await ws.waitFor(orderOn('rest-1', 'rejected'), 'duplicate refused')).data);
    expect(refused.remark).toBe('duplicate cl_ord_id');
    expect(refused.id).not.toBe(live.id);
    expect(WireOrder.parse((await h.get('/api/query_order?cl_ord_id=rest-1', h.demo.token)).body)).toMatchObject({ id: live.id, status: 'open' });

    const cancel = await h.signedPost('/api/cancel_order', { cl_ord_id: 'rest-1' });
    expect(cancel.status).toBe(200);
    AckBody.parse(cancel.body);
    const canceled = WireOrder.parse((await ws.waitFor(orderOn('rest-1', 'canceled'), 'canceled order')).data);
    expect(canceled.id).toBe(live.id);
    const open = OrderPage.parse((await h.get('/api/query_open_orders?symbol=BTC-USD', h.demo.token)).body);
    expect(open.total).toBe(0);
    expect(h.engine.openOrders(DEMO)).toHaveLength(0);
  });

  it('rejects a wrong signature, a stale timestamp and a replayed request id with 401 and StandX error bodies, placing nothing', async () => {
    h = await startHarness({ seed: 13 });
    const ws = await connect();
    await ws.auth(h.demo.token, ['order']);
    const body = (id: string) => limitOrder('buy', '50000.00', '0.0010', { cl_ord_id: id, time_in_force: 'alo' });

    // Signed with another account's (valid) key: the signature does not verify against the demo key.
    const wrong = await h.signedPost('/api/new_order', body('wrong-sig'), { privateKey: h.second.privateKey });
    // Signed correctly, 60 s ago: outside the freshness window.
    const stale = await h.signedPost('/api/new_order', body('stale'), { timestamp: Date.now() - 60_000 });
    // Signed for one body, sent with another: the signature covers the raw body.
    const tampered = await h.signedPost('/api/new_order', body('tampered'));
    const tamperedAgain = await h.rawPost('/api/new_order', JSON.stringify(body('tampered-2')), {
      authorization: `Bearer ${h.demo.token}`,
      ...tampered.signed,
      'x-request-id': 'other-id',
    });

    for (const [r, id, text] of [
      [wrong, wrong.signed['x-request-id'], /signature/],
      [stale, stale.signed['x-request-id'], /timestamp/],
      [tamperedAgain, 'other-id', /signature/],
    ] as const) {
      expect(r.status).toBe(401);
      const err = ErrorBody.strict().parse(r.body);
      expect(err).toMatchObject({ code: 401, request_id: id });
      expect(err.message).toMatch(text);
    }

    // A genuine request, then the very same bytes again: the second is a replay.
    const first = await h.signedPost('/api/new_order', body('replayed'));
    expect(first.status).toBe(200);
    const replay = await h.rawPost('/api/new_order', JSON.stringify(body('replayed')), { authorization: `Bearer ${h.demo.token}`, ...first.signed });
    expect(replay.status).toBe(401);
    expect(ErrorBody.strict().parse(replay.body)).toMatchObject({ code: 401, request_id: first.signed['x-request-id'] });
    expect(ErrorBody.parse(replay.body).message).toMatch(/replay|duplicate/);

    await ws.waitFor(orderOn('replayed', 'open'), 'the genuine order');
    const orderMessages = () => ws.messages.filter((m) => m.channel === 'order').length;
    await holdsFor(() => h!.engine.openOrders(DEMO).length === 2 && orderMessages() === 2, 50, 'no order from a refused or replayed request');
    // Only the genuine requests reached the engine (the tampered one's first send was genuine too).
    const orders = OrderPage.parse((await h.get('/api/query_orders?symbol=BTC-USD', h.demo.token)).body);
    expect(orders.result.map((o) => o.cl_ord_id).sort()).toEqual(['replayed', 'tampered']);
    expect(h.engine.openOrders(DEMO).map((o) => o.clientOrderId).sort()).toEqual(['replayed', 'tampered']);
    expect(ws.messages.filter((m) => m.channel === 'order').map((m) => WireOrder.parse(m.data).cl_ord_id).sort()).toEqual(['replayed', 'tampered']);
  });

  it('streams an engine refusal after the ack as a rejected order with a remark, queryable by cl_ord_id', async () => {
    h = await startHarness({ seed: 14 });
    const ws = await connect();
    await ws.auth(h.demo.token, ['order']);
    const bestAsk = h.engine.book('BTC-PERP', 1).asks[0]![0];
    // ALO at the best ask would take liquidity: StandX acks it, then rejects it in matching.
    const res = await h.signedPost('/api/new_order', limitOrder('buy', bestAsk, '0.0010', { cl_ord_id: 'alo-x', time_in_force: 'alo' }));
    expect(res.status).toBe(200);
    AckBody.parse(res.body);
    const rejected = WireOrder.parse((await ws.waitFor(orderOn('alo-x', 'rejected'), 'rejected ALO')).data);
    expect(rejected.remark).toBe('alo order rejected');
    const q = await h.get('/api/query_order?cl_ord_id=alo-x', h.demo.token);
    expect(WireOrder.parse(q.body)).toMatchObject({ status: 'rejected', remark: 'alo order rejected', id: rejected.id });
    expect(h.engine.openOrders(DEMO)).toHaveLength(0);
  });
});
