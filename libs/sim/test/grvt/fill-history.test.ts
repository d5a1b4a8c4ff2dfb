import { afterEach, describe, expect, it } from 'vitest';
import { createSimWorld } from '../../src/world.js';
import { startGrvtFacade, type GrvtFacade } from '../../src/facades/grvt/index.js';
import { asJson, login, post, type Json } from './grvt-client.js';

describe('GRVT façade fill_history', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  async function start(): Promise<{ facade: GrvtFacade; world: ReturnType<typeof createSimWorld> }> {
    const world = createSimWorld({ seed: 31 });
    const facade = await startGrvtFacade({ world, speedBumpMs: 5, accounts: [{ engineAccountId: 'grvt-history' }] });
    cleanup.push(() => facade.close());
    return { facade, world };
  }

  it('pages newest first with a cursor until every fill in the window was listed once, fills of one instant included', async () => {
    const { facade, world } = await start();
    const engine = world.venue('grvt');
    // Fills on the account straight through the engine, all at the same (logical) time.
    for (let i = 0; engine.fills('grvt-history', { limit: 100_000 }).length < 25; i++) {
      const placed = engine.placeOrder({ accountId: 'grvt-history', symbol: 'BTC-PERP', side: i % 2 === 0 ? 'buy' : 'sell', type: 'market', qty: '0.001', tif: 'ioc' });
      expect(placed.ok).toBe(true);
    }
    const truth = engine.fills('grvt-history', { limit: 100_000 });
    const session = await login(facade);
    const sub = facade.credentials.subAccountId;

    const pages: Json[][] = [];
    let cursor: string | undefined;
    do {
      const res = await post(`${facade.tradesUrl}/full/v1/fill_history`, { sub_account_id: sub, limit: 10, ...(cursor ? { cursor } : {}) }, session);
      expect(res.status).toBe(200);
      const body = asJson(res.body);
      pages.push(body.result as Json[]);
      cursor = body.next as string;
    } while (cursor !== '' && pages.length < 10);
    expect(pages.map((p) => p.length)).toEqual([10, 10, truth.length - 20]);
    const listed = pages.flat();
    const nanos = (ms: number): string => (BigInt(ms) * 1_000_000n).toString();
    // Newest first, each fill once: the engine's fills in reverse.
    expect(listed.map((f) => [f.trade_id, f.is_taker, f.size, f.price, f.event_time])).toEqual(
      [...truth].reverse().map((f) => [`${f.tradeId}-1`, f.liquidity === 'taker', f.qty, f.price, nanos(f.ts)]),
    );

    // A cursor it never handed out is refused.
    const bad = await post(`${facade.tradesUrl}/full/v1/fill_history`, { sub_account_id: sub, cursor: 'not-a-cursor' }, session);
    expect(bad.status).toBe(400);
  });
});
