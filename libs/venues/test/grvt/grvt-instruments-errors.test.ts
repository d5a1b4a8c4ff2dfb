import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimWorld, startGrvtFacade, type GrvtFacade } from '@perpetua/sim';
import { GrvtMarketData } from '../../src/grvt/grvt-market-data.js';
import { GrvtRefusedError, GrvtUncertainError } from '../../src/grvt/grvt-rest-client.js';

/**
 * all_instruments answered badly (the simulator's traffic hook answers in the venue's place): instruments() fails
 * with the REST client's typed errors. A defect the fuzzing found (grvt-rest-replies.fuzz.test.ts): a bare Error
 * for a refusal or a wrong shape, and a SyntaxError for an answer that was not JSON.
 */
describe('GRVT instruments(): a bad all_instruments answer', () => {
  const world = createSimWorld({ seed: 3, venues: ['grvt'] });
  let facade: GrvtFacade;
  let md: GrvtMarketData;
  beforeAll(async () => {
    facade = await startGrvtFacade({ world, speedBumpMs: 0 });
    md = new GrvtMarketData({ env: 'testnet', marketDataUrl: facade.marketDataUrl });
  });
  afterAll(async () => facade?.close());

  it('is a GrvtUncertainError when unreadable or a 5xx, a GrvtRefusedError when refused', async () => {
    for (const body of ['', '{"result":', { result: {} }, { result: [{ instrument: 'BTC_USDT_Perp' }] }]) {
      facade.setTrafficHooks({ onRest: () => ({ status: 200, body }) });
      await expect(md.instruments(), JSON.stringify(body)).rejects.toBeInstanceOf(GrvtUncertainError);
    }
    facade.setTrafficHooks({ onRest: () => ({ status: 502, body: '<html>502 Bad Gateway</html>' }) });
    await expect(md.instruments()).rejects.toBeInstanceOf(GrvtUncertainError);
    facade.setTrafficHooks({ onRest: () => ({ status: 400, body: { code: 1003, message: 'malformed', status: 400 } }) });
    await expect(md.instruments()).rejects.toBeInstanceOf(GrvtRefusedError);
    facade.setTrafficHooks({});
    expect((await md.instruments()).map((i) => i.symbol)).toContain('BTC-PERP');
  });
});
