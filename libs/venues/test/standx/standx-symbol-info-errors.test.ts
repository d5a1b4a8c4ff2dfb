import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimWorld, startStandxFacade, type StandxFacade } from '@perpetua/sim';
import { StandxMarketData } from '../../src/standx/standx-market-data.js';
import { StandxRequestError, StandxResponseError } from '../../src/standx/standx-rest-errors.js';

/**
 * query_symbol_info answered badly (the simulator's traffic hook answers in the venue's place): instruments() fails
 * with the REST client's typed errors. A defect the fuzzing found (standx-rest-replies.fuzz.test.ts): an answer that
 * was not JSON threw a bare SyntaxError out of it.
 */
describe('StandX instruments(): a bad query_symbol_info answer', () => {
  const world = createSimWorld({ seed: 3, venues: ['standx'] });
  let facade: StandxFacade;
  let md: StandxMarketData;
  beforeAll(async () => {
    facade = await startStandxFacade({ world });
    md = new StandxMarketData({ restBaseUrl: facade.restUrl });
  });
  afterAll(async () => facade?.close());

  it('is a StandxResponseError when it is not JSON or not a symbol list, a StandxRequestError when refused', async () => {
    facade.setTrafficHooks({ onRest: () => ({ status: 200, body: '' }) });
    await expect(md.instruments()).rejects.toBeInstanceOf(StandxResponseError);
    facade.setTrafficHooks({ onRest: () => ({ status: 200, body: '{"symbol":' }) });
    await expect(md.instruments()).rejects.toBeInstanceOf(StandxResponseError);
    facade.setTrafficHooks({ onRest: () => ({ status: 200, body: [{ symbol: 'BTC-USD' }] }) });
    await expect(md.instruments()).rejects.toBeInstanceOf(StandxResponseError);
    facade.setTrafficHooks({ onRest: () => ({ status: 502, body: '<html>502 Bad Gateway</html>' }) });
    await expect(md.instruments()).rejects.toBeInstanceOf(StandxRequestError);
    facade.setTrafficHooks({});
    expect((await md.instruments()).map((i) => i.symbol)).toContain('BTC-PERP');
  });
});
