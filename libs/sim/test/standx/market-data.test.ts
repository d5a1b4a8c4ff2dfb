/**
 * Public market data of the StandX façade against the engine behind it: REST
 * query_symbol_info / query_symbol_price / query_depth_book / query_recent_trades and
 * the market stream's depth_book, price and public_trade channels. The world is only
 * stepped by the test, so "the engine's book at that moment" is well defined.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { holdsFor } from '@perpetua/testkit';
import { marketOrder, startHarness, type Harness } from './harness.js';
import { StreamClient } from './stream-client.js';
import {
  DepthBook,
  PriceStream,
  PublicTrade,
  RecentTrade,
  SymbolInfo,
  SymbolPrice,
  canonicalDecimal,
  normalizedBook,
  type StreamEnvelope,
} from './wire-shapes.js';

const BTC = 'BTC-PERP';
const isDepth = (m: StreamEnvelope) => m.channel === 'depth_book';

describe('StandX façade: public market data', () => {
  let h: Harness;
  const clients: StreamClient[] = [];
  const connect = async () => {
    const c = await StreamClient.connect(h.facade.wsUrl);
    clients.push(c);
    return c;
  };
  beforeEach(async () => {
    h = await startHarness({ seed: 21 });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await h.close();
  });

  it('query_symbol_info lists every instrument with its ticks, minimums and fees', async () => {
    const all = await h.get('/api/query_symbol_info');
    expect(all.status).toBe(200);
    const infos = SymbolInfo.array().parse(all.body);
    expect(infos.map((i) => i.symbol).sort()).toEqual(['BTC-USD', 'ETH-USD']);
    for (const info of infos) {
      const inst = h.engine.instrument(info.symbol.replace(/-USD$/, '-PERP'))!;
      expect(info).toMatchObject({
        base_asset: inst.asset,
        quote_asset: 'DUSD',
        price_tick_decimals: inst.pricePrecision,
        qty_tick_decimals: inst.qtyPrecision,
        min_order_qty: inst.minQty,
        maker_fee: '0.0001',
        taker_fee: '0.0004',
        max_leverage: String(inst.maxLeverage),
      });
    }
    const one = SymbolInfo.array().parse((await h.get('/api/query_symbol_info?symbol=ETH-USD')).body);
    expect(one.map((i) => i.symbol)).toEqual(['ETH-USD']);
  });

  it('query_symbol_price and query_depth_book equal the engine mark and book', async () => {
    h.world.step();
    const price = SymbolPrice.parse((await h.get('/api/query_symbol_price?symbol=BTC-USD')).body);
    const mark = h.engine.mark(BTC);
    const top = h.engine.book(BTC, 1);
    expect(price).toMatchObject({ symbol: 'BTC-USD', mark_price: mark.markPrice, index_price: mark.indexPrice });
    expect(price.spread_bid).toBe(top.bids[0]![0]);
    expect(price.spread_ask).toBe(top.asks[0]![0]);

    const depth = await h.get('/api/query_depth_book?symbol=BTC-USD');
    expect(depth.status).toBe(200);
    const book = DepthBook.parse(depth.body);
    expect(book.symbol).toBe('BTC-USD');
    expect(normalizedBook(book)).toEqual(normalizedBook(h.engine.book(BTC, 50)));
    const five = DepthBook.parse((await h.get('/api/query_depth_book?symbol=BTC-USD&limit=5')).body);
    expect(normalizedBook(five)).toEqual(normalizedBook(h.engine.book(BTC, 5)));
  });

  it('depth_book pushes full snapshots equal to the engine book, one seq per message, levels unsorted', async () => {
    const ws = await connect();
    ws.send({ subscribe: { channel: 'depth_book', symbol: 'BTC-USD' } });
    const snapshots: StreamEnvelope[] = [];
    snapshots.push(await ws.waitFor(isDepth, 'initial snapshot'));
    expect(normalizedBook(DepthBook.parse(snapshots[0]!.data))).toEqual(normalizedBook(h.engine.book(BTC, 50)));

    for (let i = 0; i < 5; i++) {
      const from = ws.messages.length;
      h.world.step();
      // Stepping is frozen until the snapshot is compared: the engine book cannot move underneath.
      const snap = await ws.waitFor(isDepth, `snapshot after step ${i + 1}`, 3_000, from);
      const data = DepthBook.parse(snap.data);
      expect(snap.symbol).toBe('BTC-USD');
      expect(data.symbol).toBe('BTC-USD');
      expect(normalizedBook(data)).toEqual(normalizedBook(h.engine.book(BTC, 50)));
      snapshots.push(snap);
    }
    // seq: one counter per connection, +1 per message, no gaps (only depth_book is subscribed here).
    expect(ws.messages.map((m) => m.seq)).toEqual(ws.messages.map((_, i) => i + 1));
    // StandX does not promise sorted levels and neither does the façade: an adapter must sort.
    const sorted = (levels: Array<[string, string]>, dir: 1 | -1) => levels.every((l, i) => i === 0 || dir * (Number(l[0]) - Number(levels[i - 1]![0])) > 0);
    expect(snapshots.some((s) => !sorted(DepthBook.parse(s.data).asks, 1) || !sorted(DepthBook.parse(s.data).bids, -1))).toBe(true);

    // A second connection has its own seq, starting at 1.
    const other = await connect();
    other.send({ subscribe: { channel: 'depth_book', symbol: 'BTC-USD' } });
    expect((await other.waitFor(isDepth, 'second client snapshot')).seq).toBe(1);
  });

  it('price pushes the engine mark on subscribe and on each step', async () => {
    const ws = await connect();
    ws.send({ subscribe: { channel: 'price', symbol: 'BTC-USD' } });
    const first = PriceStream.parse((await ws.waitFor((m) => m.channel === 'price', 'initial price')).data);
    expect(first.mark_price).toBe(h.engine.mark(BTC).markPrice);
    for (let i = 0; i < 3; i++) {
      const from = ws.messages.length;
      h.world.step();
      const p = PriceStream.parse((await ws.waitFor((m) => m.channel === 'price', `price after step ${i + 1}`, 3_000, from)).data);
      const mark = h.engine.mark(BTC);
      expect(p).toMatchObject({ symbol: 'BTC-USD', mark_price: mark.markPrice, index_price: mark.indexPrice });
      expect(p.spread).toEqual([h.engine.book(BTC, 1).bids[0]![0], h.engine.book(BTC, 1).asks[0]![0]]);
    }
    // ETH marks do not leak into a BTC subscription.
    expect(ws.messages.every((m) => m.symbol === 'BTC-USD')).toBe(true);

    // After unsubscribe, steps send nothing more.
    ws.send({ unsubscribe: { channel: 'price', symbol: 'BTC-USD' } });
    await ws.roundTrip(); // the unsubscribe is handled
    const count = ws.messages.length;
    h.world.step();
    await holdsFor(() => ws.messages.length === count, 50, 'no price after the unsubscribe');
    expect(ws.messages.length).toBe(count);
  });

  it('public_trade prints each engine trade; query_recent_trades lists it newest first', async () => {
    const ws = await connect();
    ws.send({ subscribe: { channel: 'public_trade', symbol: 'BTC-USD' } });
    await ws.roundTrip(); // the subscription is in place (public_trade sends nothing on subscribe)
    const res = await h.signedPost('/api/new_order', marketOrder('sell', '0.0050', { cl_ord_id: 'tape-1' }));
    expect(res.status).toBe(200);
    const print = PublicTrade.parse((await ws.waitFor((m) => m.channel === 'public_trade', 'public trade')).data);
    const last = h.engine.recentTrades(BTC, 1)[0]!;
    expect(print).toMatchObject({ id: Number(last.tradeId), side: 'sell', is_buyer_taker: false, symbol: 'BTC-USD' });
    expect(canonicalDecimal(print.price)).toBe(last.price);
    expect(canonicalDecimal(print.qty)).toBe('0.005');

    const recent = RecentTrade.array().parse((await h.get('/api/query_recent_trades?symbol=BTC-USD&limit=3')).body);
    expect(recent[0]).toMatchObject({ price: print.price, qty: print.qty, is_buyer_taker: false });
  });
});
