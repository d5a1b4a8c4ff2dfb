import { afterEach, describe, expect, it } from 'vitest';
import { snapPrice } from '@perpetua/core';
import { startSimulator, type RunningSimulator } from '@perpetua/sim';
import { holdsFor, waitUntil } from '@perpetua/testkit';
import { InvalidNonce, type Exchange } from 'ccxt';
import { CcxtClockOffset, CLOCK_OFFSET_REFRESH_MS } from '../../src/ccxt/ccxt-clock-offset.js';
import { createCcxtExchange, type CcxtConnection } from '../../src/ccxt/ccxt-exchange.js';
import { CcxtTrading } from '../../src/ccxt/ccxt-trading.js';
import type { VenueOrderRequest } from '../../src/venue-adapter.js';

/**
 * A venue clock behind ours (the simulator's clock_skew fault): Binance and Bybit refuse a signed request more than
 * 1 s in their future, so without the measured offset no order and no cancel-all would reach them.
 */

/** 2.5 s behind ours: past the 1 s the venues take from their future, inside nothing else. */
const SKEW_MS = -2_500;

let sim: RunningSimulator | undefined;
const opened: Array<{ close(): Promise<unknown> }> = [];

afterEach(async () => {
  for (const c of opened.splice(0)) await c.close().catch(() => undefined);
  await sim?.close();
  sim = undefined;
});

function connectionOf(s: RunningSimulator, venue: string): CcxtConnection {
  const d = s.ready.venues[venue]!;
  if (!('rest' in d)) throw new Error(`${venue} has no REST origin`);
  const creds = d.credentials as { apiKey: string; secret: string };
  return { exchangeId: venue, apiKey: creds.apiKey, secret: creds.secret, restBaseUrl: d.rest, wsBaseUrl: d.rest.replace(/^http/, 'ws'), enableRateLimit: false };
}

let seq = 0;
const cid = (tag: string) => `t${tag}${process.pid}n${++seq}`;

describe.each(['binanceusdm', 'bybit'] as const)('ccxt trading under a venue clock 2.5 s behind ours (%s, simulator clock_skew)', (venue) => {
  async function setup(now?: () => number) {
    sim = await startSimulator({ seed: 9, venues: [venue], admin: false });
    const s = sim;
    const invalid: string[] = [];
    const a = new CcxtTrading({ venue, account: 'acct-1', connection: connectionOf(s, venue), onInvalid: (k, d) => invalid.push(`${k}: ${d}`), ...(now ? { now } : {}) });
    opened.push(a);
    const accountId = (s.ready.venues[venue]!.credentials as { accountId: string }).accountId;
    const engine = s.world.venue(venue);
    const resting = async (clientOrderId: string): Promise<VenueOrderRequest> => {
      const inst = (await a.instruments()).find((i) => i.symbol === 'BTC-PERP')!;
      const price = snapPrice(inst, 'buy', Number(engine.book('BTC-PERP', 1).bids[0]![0]) * 0.9);
      return { clientOrderId, symbol: 'BTC-PERP', side: 'buy', type: 'limit', price, qty: '0.002', tif: 'post_only', reduceOnly: false };
    };
    return { s, a, invalid, resting, engineOpen: () => engine.openOrders(accountId) };
  }

  /** A plain ccxt instance (no offset) with the simulator's skew live: refused for its timestamp. */
  async function expectPlainRefused(s: RunningSimulator): Promise<void> {
    const plain = await createCcxtExchange(connectionOf(s, venue));
    opened.push(plain);
    await expect(plain.fetchBalance()).rejects.toBeInstanceOf(InvalidNonce);
  }

  it('the skew arriving after connect: the refused request measures the offset and goes again; places and cancel-all go through', async () => {
    const { s, a, invalid, resting, engineOpen } = await setup();
    await a.instruments();
    s.faults.inject({ id: 'behind', kind: 'clock_skew', venue, ms: SKEW_MS });
    await expectPlainRefused(s);

    for (let i = 0; i < 2; i++) expect(await a.placeOrder(await resting(cid('skew')))).toMatchObject({ status: 'accepted' });
    expect(engineOpen()).toHaveLength(2);
    expect(await a.cancelAll()).toBe(2);
    expect(engineOpen()).toEqual([]);
    expect(invalid).toEqual([]);
  });

  it('the skew there before connect: measured at connect, nothing refused', async () => {
    const { s, a, invalid, resting, engineOpen } = await setup();
    s.faults.inject({ id: 'behind', kind: 'clock_skew', venue, ms: SKEW_MS });
    await expectPlainRefused(s);

    const id = cid('pre');
    expect(await a.placeOrder(await resting(id))).toMatchObject({ status: 'accepted' });
    expect(await a.openOrders('BTC-PERP')).toContainEqual(expect.objectContaining({ clientOrderId: id }));
    expect(await a.cancelOrder('BTC-PERP', id)).toBe(true);
    expect((await a.placeOrder(await resting(cid('pre')))).status).toBe('accepted');
    expect(await a.cancelAll()).toBe(1);
    expect(engineOpen()).toEqual([]);
    expect(invalid).toEqual([]);
  });

  it(`measures again on the first request ${CLOCK_OFFSET_REFRESH_MS / 1000} s (on the injected clock) after the last, not before`, async () => {
    sim = await startSimulator({ seed: 9, venues: [venue], admin: false });
    const s = sim;
    const ex: Exchange = await createCcxtExchange(connectionOf(s, venue));
    opened.push(ex);
    await ex.loadMarkets();
    let t = 1_000_000;
    const failures: string[] = [];
    const clock = new CcxtClockOffset(() => t, (d) => failures.push(d));
    clock.install(ex, ex);
    await clock.measure(ex);
    const offset = () => Number(ex.options['timeDifference']);
    expect(Math.abs(offset())).toBeLessThan(1_000);

    s.faults.inject({ id: 'behind', kind: 'clock_skew', venue, ms: SKEW_MS });
    t += CLOCK_OFFSET_REFRESH_MS - 1;
    await ex.fetchTicker('BTC/USDT:USDT');
    await holdsFor(() => Math.abs(offset()) < 1_000, 300, 'the offset unchanged before the refresh is due');

    t += 1;
    await ex.fetchTicker('BTC/USDT:USDT');
    await waitUntil(() => offset() > 2_000, 5_000, () => `the offset measured again (now ${offset()})`);
    await ex.fetchBalance(); // signed with it: taken
    expect(failures).toEqual([]);
  });
});
