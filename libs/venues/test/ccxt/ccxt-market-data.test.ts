import { afterEach, describe, expect, it } from 'vitest';
import { createSimWorld, startBinanceFacade, startOkxFacade, type BinanceFacade, type OkxFacade, type SimWorldImpl } from '@perpetua/sim';
import { waitUntil } from '@perpetua/testkit';
import { CcxtMarketData } from '../../src/ccxt/ccxt-market-data.js';
import type { BookEvent, VenueMark, VenueTrade } from '../../src/venue-adapter.js';

/** The real ccxt adapter against the simulator's Binance USD-M façade, pointed at it by base URL only. */
let world: SimWorldImpl | undefined;
let facade: BinanceFacade | undefined;
let adapter: CcxtMarketData | undefined;

afterEach(async () => {
  world?.stop();
  await adapter?.close();
  await facade?.close();
  world = facade = adapter = undefined;
});

async function binanceAdapter(): Promise<CcxtMarketData> {
  world = createSimWorld({ seed: 11, clock: 'wall', venues: ['binanceusdm'] });
  facade = await startBinanceFacade({ world });
  adapter = new CcxtMarketData({
    venue: 'binanceusdm',
    connection: { exchangeId: 'binanceusdm', restBaseUrl: facade.restUrl, wsBaseUrl: facade.restUrl.replace(/^http/, 'ws'), enableRateLimit: false },
    depth: 20,
    markIntervalMs: 100,
  });
  return adapter;
}

describe('ccxt market data (binanceusdm, against the simulator)', () => {
  it('lists the perps with the venue tick, lot and contract size under canonical symbols', async () => {
    const a = await binanceAdapter();
    const instruments = await a.instruments();
    const btc = instruments.find((i) => i.symbol === 'BTC-PERP');
    const engine = world!.venue('binanceusdm').instrument('BTC-PERP')!;
    expect(btc).toMatchObject({ venue: 'binanceusdm', venueSymbol: 'BTC/USDT:USDT', tickSize: engine.tickSize, contractSize: '1' });
    expect(instruments.map((i) => i.symbol).sort()).toEqual(['BTC-PERP', 'ETH-PERP']);
  });

  it('streams books equal to the venue book at the same sequence, plus trades and marks', async () => {
    const a = await binanceAdapter();
    const books: BookEvent[] = [];
    const trades: VenueTrade[] = [];
    const marks: VenueMark[] = [];
    const states: string[] = [];
    world!.start(20);
    await a.start(['BTC-PERP'], { onBook: (e) => books.push(e), onTrade: (t) => trades.push(t), onMark: (m) => marks.push(m), onStatus: (s) => states.push(s) });
    await waitUntil(() => books.length >= 50 && trades.length > 0 && marks.length > 0, 20_000, '50 books, a trade and a mark');
    world!.stop();
    const engineBook = world!.venue('binanceusdm').book('BTC-PERP', 20);
    await waitUntil(() => books.at(-1)?.venueSeq === engineBook.lastUpdateId, 5_000, 'the book to catch up with the venue');
    const last = books.at(-1)!;
    expect(last.kind).toBe('snapshot');
    expect(last.bids).toEqual(engineBook.bids.map(([p, q]) => [Number(p), Number(q)]));
    expect(last.asks).toEqual(engineBook.asks.map(([p, q]) => [Number(p), Number(q)]));
    expect(last.bids[0]![0]).toBeLessThan(last.asks[0]![0]);
    expect(states[0]).toBe('connected');
    const mark = marks.at(-1)!;
    expect(mark.markPrice).toBeGreaterThan(0);
    expect(Math.abs(mark.markPrice / last.bids[0]![0] - 1)).toBeLessThan(0.01);
    expect(trades[0]).toMatchObject({ symbol: 'BTC-PERP' });
  });

  it('refuses an unknown symbol before streaming, and an unknown exchange id by name', async () => {
    const a = await binanceAdapter();
    await expect(a.start(['DOGE-PERP'], { onBook: () => undefined })).rejects.toThrow(/DOGE-PERP/);
    const bad = new CcxtMarketData({ venue: 'x', connection: { exchangeId: 'notanexchange' } });
    await expect(bad.instruments()).rejects.toThrow(/unknown ccxt exchange "notanexchange"/);
  });
});

/** The same adapter against the OKX façade: ccxt's sizes there are contracts (0.01 BTC each); ours are base units. */
describe('ccxt market data (okx, against the simulator): contracts converted to base units', () => {
  let okxWorld: SimWorldImpl | undefined;
  let okx: OkxFacade | undefined;
  let md: CcxtMarketData | undefined;

  afterEach(async () => {
    okxWorld?.stop();
    await md?.close();
    await okx?.close();
    okxWorld = okx = md = undefined;
  });

  it('lists lot and minimum in base units and streams books equal to the engine book (base units), trades and marks', async () => {
    okxWorld = createSimWorld({ seed: 12, clock: 'wall', venues: ['okx'] });
    okx = await startOkxFacade({ world: okxWorld });
    md = new CcxtMarketData({ venue: 'okx', connection: { exchangeId: 'okx', restBaseUrl: okx.restUrl, wsBaseUrl: okx.wsUrl, enableRateLimit: false }, depth: 20, markIntervalMs: 100 });
    const btc = (await md.instruments()).find((i) => i.symbol === 'BTC-PERP');
    expect(btc).toMatchObject({ venueSymbol: 'BTC/USDT:USDT', lotSize: '0.0001', minQty: '0.0001', contractSize: '0.01', tickSize: '0.1' });
    const books: BookEvent[] = [];
    const trades: VenueTrade[] = [];
    const marks: VenueMark[] = [];
    const invalid: string[] = [];
    okxWorld.start(20);
    await md.start(['BTC-PERP'], { onBook: (e) => books.push(e), onTrade: (t) => trades.push(t), onMark: (m) => marks.push(m), onInvalid: (k, d) => void invalid.push(`${k}: ${d}`) });
    await waitUntil(() => books.length >= 30 && trades.length > 0 && marks.length > 0, 20_000, () => `30 books, a trade and a mark: ${books.length}, ${trades.length}, ${marks.length}; ${invalid.join('; ')}`);
    okxWorld.stop();
    const engineBook = okxWorld.venue('okx').book('BTC-PERP', 20);
    await waitUntil(() => books.at(-1)?.venueSeq === engineBook.lastUpdateId, 5_000, 'the book to catch up with the venue');
    const last = books.at(-1)!;
    expect(last.bids).toEqual(engineBook.bids.map(([p, q]) => [Number(p), Number(q)]));
    expect(last.asks).toEqual(engineBook.asks.map(([p, q]) => [Number(p), Number(q)]));
    expect(marks.at(-1)!.markPrice).toBeGreaterThan(0);
    const engineTrades = okxWorld.venue('okx').recentTrades('BTC-PERP', 1000);
    const t = trades.at(-1)!;
    expect(engineTrades.find((x) => x.tradeId === t.tradeId)?.qty).toBe(String(t.size));
  });
});
