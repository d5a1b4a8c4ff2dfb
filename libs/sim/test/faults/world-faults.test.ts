import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BinanceFacade, signPayload, startBinanceFacade } from '../../src/facades/binance/index.js';
import { FaultError, FaultInjector } from '../../src/faults/index.js';
import { type SimWorldImpl, createSimWorld } from '../../src/world.js';
import { ManualClock } from './manual-clock.js';

/** World faults (halt, jump, basis, regime) and their undo when the duration ends, on a hand-driven clock. */

describe('world faults', () => {
  let world: SimWorldImpl;
  let facade: BinanceFacade;
  let clock: ManualClock;
  let injector: FaultInjector;

  beforeAll(async () => {
    world = createSimWorld({ seed: 5, venues: ['binanceusdm', 'standx'], assets: ['BTC'], background: false });
    facade = await startBinanceFacade({ world });
    clock = new ManualClock();
    injector = new FaultInjector({ world, clock });
    injector.attachBinance(facade);
  });

  afterAll(async () => {
    injector?.close();
    await facade?.close();
  });

  const placeOrder = async (): Promise<{ status: number; body: Record<string, unknown> }> => {
    const price = String(Math.floor(world.fairPrice('BTC') * 0.95));
    const params = `symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.002&price=${price}&timestamp=${Date.now()}`;
    const r = await fetch(`${facade.restUrl}/fapi/v1/order?${params}&signature=${signPayload(facade.credentials.secret, params)}`, {
      method: 'POST',
      headers: { 'X-MBX-APIKEY': facade.credentials.apiKey },
    });
    return { status: r.status, body: (await r.json()) as Record<string, unknown> };
  };

  it('halt_symbol: orders are refused while halted and accepted after the duration', async () => {
    injector.inject({ kind: 'halt_symbol', venue: 'binanceusdm', symbol: 'BTC-PERP', durationMs: 10_000 });
    expect(world.venue('binanceusdm').isHalted('BTC-PERP')).toBe(true);
    const refused = await placeOrder();
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({ code: -1122, msg: 'Invalid symbol status.' });
    expect(world.venue('standx').isHalted('BTC-PERP')).toBe(false);

    clock.advance(10_000);
    expect(world.venue('binanceusdm').isHalted('BTC-PERP')).toBe(false);
    const accepted = await placeOrder();
    expect(accepted.status).toBe(200);
    expect(injector.list()).toHaveLength(0);
  });

  it('price_jump: every venue moves by the fraction at once, and the client sees the new mark', async () => {
    const fair = world.fairPrice('BTC');
    const mids = { b: world.venueMid('binanceusdm', 'BTC'), s: world.venueMid('standx', 'BTC') };
    const view = injector.inject({ kind: 'price_jump', asset: 'BTC', fraction: -0.05 });
    expect(view.spec.venue).toBe('*');
    expect(world.fairPrice('BTC') / fair).toBeCloseTo(0.95, 9);
    expect(world.venueMid('binanceusdm', 'BTC') / mids.b).toBeCloseTo(0.95, 9);
    expect(world.venueMid('standx', 'BTC') / mids.s).toBeCloseTo(0.95, 9);
    expect(injector.list()).toHaveLength(0); // instantaneous

    world.step();
    const r = await fetch(`${facade.restUrl}/fapi/v1/premiumIndex?symbol=BTCUSDT`);
    const mark = Number(((await r.json()) as { markPrice: string }).markPrice);
    expect(mark / mids.b).toBeGreaterThan(0.94);
    expect(mark / mids.b).toBeLessThan(0.96);
  });

  it('basis: opens a known gap between two venues and closes it when the duration ends', () => {
    const gapBps = (): number => Math.log(world.venueMid('binanceusdm', 'BTC') / world.venueMid('standx', 'BTC')) * 10_000;
    const before = gapBps();
    injector.inject({ kind: 'basis', venue: 'binanceusdm', asset: 'BTC', bps: 40, durationMs: 5_000 });
    const base = world.venue('binanceusdm').config.basisBps;
    expect(gapBps() - before).toBeCloseTo(40 - base, 0);
    clock.advance(5_000);
    expect(gapBps()).toBeCloseTo(before, 6);
  });

  it('regime: stressed raises realized volatility; removing the fault calms it again', () => {
    const twin = createSimWorld({ seed: 5, venues: ['binanceusdm', 'standx'], assets: ['BTC'], background: false });
    const vol = (w: SimWorldImpl, steps: number): number => {
      const r: number[] = [];
      let last = w.fairPrice('BTC');
      for (let i = 0; i < steps; i++) {
        w.step();
        const p = w.fairPrice('BTC');
        r.push(Math.log(p / last));
        last = p;
      }
      const mean = r.reduce((a, b) => a + b, 0) / r.length;
      return Math.sqrt(r.reduce((a, b) => a + (b - mean) ** 2, 0) / r.length);
    };
    const calm = vol(twin, 500);
    const fault = injector.inject({ kind: 'regime', asset: 'BTC', regime: 'stressed' });
    const stressed = vol(world, 500);
    expect(stressed / calm).toBeGreaterThan(2);
    expect(injector.remove(fault.id)).toBe(true);
    expect(vol(world, 500) / calm).toBeLessThan(1.5);
  });

  it('refuses faults naming things the world does not have', () => {
    expect(() => injector.inject({ kind: 'halt_symbol', venue: 'binanceusdm', symbol: 'DOGE-PERP' })).toThrow(/symbol: binanceusdm has no symbol DOGE-PERP/);
    expect(() => injector.inject({ kind: 'basis', venue: 'kraken', asset: 'BTC', bps: 5 })).toThrow(/venue: unknown venue kraken/);
    expect(() => injector.inject({ kind: 'price_jump', venue: 'binanceusdm', asset: 'BTC', fraction: 0.1 })).toThrow(FaultError);
    expect(() => injector.inject({ kind: 'http_error', venue: 'standx', status: 429 })).toThrow(/no façade attached for standx/);
  });
});
