import { afterEach, describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { signPayload } from '../../src/facades/binance/index.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { parseFaultSpec } from '../../src/faults/index.js';

/** clock_skew: a venue's server clock off ours while the fault lives, as a plain client of the simulator sees it. */

let sim: RunningSimulator | undefined;

/** A venue's REST origin (the three centralized venues' descriptors all have one). */
function restOf(s: RunningSimulator, venue: string): string {
  const d = s.ready.venues[venue]!;
  if (!('rest' in d)) throw new Error(`${venue} has no REST origin`);
  return d.rest;
}

afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

/** A signed Binance read at our clock: the façade checks its timestamp against the venue's. */
async function binanceBalance(s: RunningSimulator): Promise<{ status: number; code?: number }> {
  const creds = s.ready.venues['binanceusdm']!.credentials as { apiKey: string; secret: string };
  const params = `timestamp=${Date.now()}`;
  const res = await fetch(`${restOf(s, 'binanceusdm')}/fapi/v2/balance?${params}&signature=${signPayload(creds.secret, params)}`, { headers: { 'X-MBX-APIKEY': creds.apiKey } });
  const body = (await res.json()) as { code?: number };
  return { status: res.status, ...(typeof body.code === 'number' ? { code: body.code } : {}) };
}

/** A signed Bybit read at our clock (recv_window 5000). */
async function bybitWallet(s: RunningSimulator): Promise<number> {
  const creds = s.ready.venues['bybit']!.credentials as { apiKey: string; secret: string };
  const ts = String(Date.now());
  const query = 'accountType=UNIFIED';
  const sign = createHmac('sha256', creds.secret).update(`${ts}${creds.apiKey}5000${query}`).digest('hex');
  const res = await fetch(`${restOf(s, 'bybit')}/v5/account/wallet-balance?${query}`, { headers: { 'X-BAPI-API-KEY': creds.apiKey, 'X-BAPI-TIMESTAMP': ts, 'X-BAPI-RECV-WINDOW': '5000', 'X-BAPI-SIGN': sign } });
  return ((await res.json()) as { retCode: number }).retCode;
}

describe('clock_skew fault', () => {
  it('is validated: a venue and a non-zero whole ms', () => {
    expect(parseFaultSpec({ kind: 'clock_skew', venue: 'bybit', ms: -1500, durationMs: 1000 })).toMatchObject({ kind: 'clock_skew', ms: -1500 });
    expect(() => parseFaultSpec({ kind: 'clock_skew', venue: 'bybit', ms: 0 })).toThrow(/ms must not be 0/);
    expect(() => parseFaultSpec({ kind: 'clock_skew', venue: 'bybit' })).toThrow(/ms/);
  });

  it("moves the venue's server time while it lives, only that venue's, and back when it retires", async () => {
    sim = await startSimulator({ seed: 5, venues: ['binanceusdm', 'bybit'], admin: false });
    const s = sim;
    const binanceTime = async () => ((await (await fetch(`${restOf(s, 'binanceusdm')}/fapi/v1/time`)).json()) as { serverTime: number }).serverTime;
    expect(Math.abs((await binanceTime()) - Date.now())).toBeLessThan(1_000);

    s.faults.inject({ id: 'skew', kind: 'clock_skew', venue: 'binanceusdm', ms: 60_000 });
    expect((await binanceTime()) - Date.now()).toBeGreaterThan(59_000);
    expect(Math.abs(s.faults.serverTime('bybit') - Date.now())).toBeLessThan(1_000);
    s.faults.remove('skew');
    expect(Math.abs((await binanceTime()) - Date.now())).toBeLessThan(1_000);
  });

  it('within the venue\'s receive window signed requests are taken; past it they are refused with the venue\'s error', async () => {
    sim = await startSimulator({ seed: 5, venues: ['binanceusdm', 'bybit'], admin: false });
    expect(await binanceBalance(sim)).toEqual({ status: 200 });
    expect(await bybitWallet(sim)).toBe(0);

    // The venue 3 s ahead: our requests look 3 s old, inside Binance's default 5 s and Bybit's 5 s windows.
    sim.faults.inject({ id: 'ahead', kind: 'clock_skew', venue: 'binanceusdm', ms: 3_000 });
    sim.faults.inject({ id: 'ahead-bybit', kind: 'clock_skew', venue: 'bybit', ms: 3_000 });
    expect(await binanceBalance(sim)).toEqual({ status: 200 });
    expect(await bybitWallet(sim)).toBe(0);
    sim.faults.clear();

    // The venue 2 s behind: our requests are from its future, which both refuse past 1 s.
    sim.faults.inject({ id: 'behind', kind: 'clock_skew', venue: 'binanceusdm', ms: -2_000 });
    sim.faults.inject({ id: 'behind-bybit', kind: 'clock_skew', venue: 'bybit', ms: -2_000 });
    expect(await binanceBalance(sim)).toMatchObject({ status: 400, code: -1021 });
    expect(await bybitWallet(sim)).toBe(10002);
  });
});
