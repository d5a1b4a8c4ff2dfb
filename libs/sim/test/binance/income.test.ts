import { afterEach, describe, expect, it } from 'vitest';
import { createSimWorld } from '../../src/world.js';
import { startBinanceFacade, type BinanceFacade } from '../../src/facades/binance/index.js';
import { binanceRequest } from './signed-fetch.js';

/** GET /fapi/v1/income: the account's funding settlements as Binance lists them (FUNDING_FEE, income received positive). */
describe('Binance façade income history', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  it('lists each funding settlement once, oldest first, with its tranId; other income types are empty', async () => {
    const world = createSimWorld({ seed: 5, venues: [{ name: 'binanceusdm', fundingIntervalMs: 1_000 }], stepMs: 100 });
    const facade: BinanceFacade = await startBinanceFacade({ world });
    cleanup.push(() => facade.close());
    const engine = world.venue('binanceusdm');
    expect(engine.placeOrder({ accountId: facade.accountId, symbol: 'BTC-PERP', side: 'sell', type: 'market', qty: '0.01', tif: 'ioc' }).ok).toBe(true);
    for (let i = 0; engine.fundingPayments(facade.accountId).length < 4 && i < 200; i++) world.step();
    const truth = engine.fundingPayments(facade.accountId);
    expect(truth.length).toBe(4);

    const all = await binanceRequest(facade, { method: 'GET', path: '/fapi/v1/income', query: 'incomeType=FUNDING_FEE' });
    expect(all.status).toBe(200);
    expect(all.body).toEqual(
      truth.map((f) => ({ symbol: 'BTCUSDT', incomeType: 'FUNDING_FEE', income: f.amount, asset: 'USDT', info: 'FUNDING_FEE', time: f.ts, tranId: f.paymentId, tradeId: '' })),
    );
    // From a start time, at most `limit`, oldest first: how a client pages forward.
    const page = await binanceRequest(facade, { method: 'GET', path: '/fapi/v1/income', query: `symbol=BTCUSDT&startTime=${truth[1]!.ts}&limit=2` });
    expect((page.body as { tranId: string }[]).map((e) => e.tranId)).toEqual([truth[1]!.paymentId, truth[2]!.paymentId]);
    const commission = await binanceRequest(facade, { method: 'GET', path: '/fapi/v1/income', query: 'incomeType=COMMISSION' });
    expect(commission.body).toEqual([]);
    const none = await binanceRequest(facade, { method: 'GET', path: '/fapi/v1/income', query: `endTime=${truth[0]!.ts - 1}` });
    expect(none.body).toEqual([]);
  });
});
