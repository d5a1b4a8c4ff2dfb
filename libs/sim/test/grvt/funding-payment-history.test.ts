import { afterEach, describe, expect, it } from 'vitest';
import { D, dec, toText } from '@perpetua/core';
import { createSimWorld } from '../../src/world.js';
import { startGrvtFacade } from '../../src/facades/grvt/index.js';
import { asJson, login, post, type Json } from './grvt-client.js';

/** full/v1/funding_payment_history: GRVT's FundingPayment (amount positive paid), newest first, paged by cursor. */
describe('GRVT façade funding_payment_history', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  it('pages every settlement once, newest first, in GRVT sign; instrument and time filters apply', async () => {
    const world = createSimWorld({ seed: 7, venues: [{ name: 'grvt', fundingIntervalMs: 1_000 }], stepMs: 100 });
    const facade = await startGrvtFacade({ world, speedBumpMs: 5, accounts: [{ engineAccountId: 'grvt-funding' }] });
    cleanup.push(() => facade.close());
    const engine = world.venue('grvt');
    expect(engine.placeOrder({ accountId: 'grvt-funding', symbol: 'BTC-PERP', side: 'buy', type: 'market', qty: '0.01', tif: 'ioc' }).ok).toBe(true);
    for (let i = 0; engine.fundingPayments('grvt-funding').length < 5 && i < 200; i++) world.step();
    const truth = engine.fundingPayments('grvt-funding');
    expect(truth.length).toBe(5);
    const session = await login(facade);
    const sub = facade.credentials.subAccountId;
    const url = `${facade.tradesUrl}/full/v1/funding_payment_history`;

    const pages: Json[][] = [];
    let cursor: string | undefined;
    do {
      const res = await post(url, { sub_account_id: sub, limit: 2, ...(cursor ? { cursor } : {}) }, session);
      expect(res.status).toBe(200);
      const body = asJson(res.body);
      pages.push(body.result as Json[]);
      cursor = body.next as string;
    } while (cursor !== '' && pages.length < 10);
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
    const nanos = (ms: number): string => (BigInt(ms) * 1_000_000n).toString();
    expect(pages.flat()).toEqual(
      [...truth].reverse().map((f) => ({ event_time: nanos(f.ts), sub_account_id: sub, instrument: 'BTC_USDT_Perp', currency: 'USDT', amount: toText(D.neg(dec(f.amount))), tx_id: f.paymentId })),
    );

    const since = asJson((await post(url, { sub_account_id: sub, start_time: nanos(truth[3]!.ts) }, session)).body);
    expect((since.result as Json[]).map((f) => f.tx_id)).toEqual([truth[4]!.paymentId, truth[3]!.paymentId]);
    const eth = asJson((await post(url, { sub_account_id: sub, instrument: 'ETH_USDT_Perp' }, session)).body);
    expect(eth.result).toEqual([]);
    expect((await post(url, { sub_account_id: sub, cursor: 'nope' }, session)).status).toBe(400);
  });
});
