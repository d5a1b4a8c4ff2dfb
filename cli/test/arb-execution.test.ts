import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArbEpisodeMessage, D, dec, patterns, ZERO, type Decimal } from '@perpetua/core';
import { InProcessBus } from '@perpetua/bus';
import { MemoryStateStore } from '@perpetua/state';
import { startSimulator, type RunningSimulator } from '@perpetua/sim';
import { createLogger, createMetrics } from '@perpetua/telemetry';
import { PerpetuaConfig } from '../src/perpetua-config.js';
import { startGateway, startOrderRouter, startRisk, type RunningService } from '../src/compose/build-services.js';
import { resolveVenues } from '../src/compose/resolve-venues.js';
import { startArbDetector } from '../src/compose/start-arb-detector.js';
import { engineAccount, waitFor } from './trading-harness.js';

/**
 * Acceptance for arbitrage execution (arb.execute): against the simulator, with
 * the real gateways, risk, live order routers (Binance USD-M through ccxt, StandX
 * native) and the executor in one process. The simulator opens a gap (StandX rich),
 * and its order rejections make legs fail: a one-legged fill is hedged — completed
 * on the short leg's venue, or unwound where it filled — and the position across
 * both venues ends flat (tolerance 0), in our books and on the venues' engines.
 */
const SYMBOL = 'BTC-PERP';
const ACCOUNT = 'demo';
let sim: RunningSimulator;
let bus: InProcessBus;
let store: MemoryStateStore;
const running: RunningService[] = [];
const episodes: ArbEpisodeMessage[] = [];

beforeAll(async () => {
  sim = await startSimulator({ seed: 11, admin: false, venues: ['binanceusdm', 'standx'] });
  bus = new InProcessBus();
  store = new MemoryStateStore();
  const config = PerpetuaConfig.parse({
    venues: { binanceusdm: { kind: 'ccxt', exchange: 'binanceusdm', symbols: [SYMBOL] }, standx: { kind: 'standx', symbols: [SYMBOL] } },
    trading: { mode: 'live' },
    strategy: { account: ACCOUNT, venue: 'binanceusdm', symbol: SYMBOL },
    risk: { maxPosition: '1', maxOrderSize: '0.1' },
    arb: {
      threshold: 0.001,
      takerFees: { binanceusdm: 0.0004, standx: 0.0004 },
      execute: true,
      execution: { defaultMaxQty: '0.01', tolerance: '0', cooldownMs: 2_000, legTimeoutMs: 5_000 },
    },
    telemetry: { logLevel: 'silent' },
  });
  const venues = await resolveVenues(config, sim.ready);
  const deps = { bus, logger: createLogger({ service: 'arb-exec-test', level: 'silent' }), registry: createMetrics({ service: 'arb-exec-test', defaultMetrics: false }) };
  bus.subscribe(patterns.allArbEpisodes, ArbEpisodeMessage, (e) => void episodes.push(e));
  for (const v of Object.keys(venues)) running.push(await startGateway(config, venues, v, deps));
  running.push(await startRisk(config, { ...deps, store }));
  for (const v of Object.keys(venues)) {
    const router = startOrderRouter(config, venues, v, { ...deps, store, cancelOnStop: true });
    running.push(router);
    await router.started;
  }
  running.push(await startArbDetector(config, venues, deps));
}, 120_000);

afterAll(async () => {
  sim?.faults.clear();
  for (const r of running.reverse()) await r.stop();
  await bus?.close();
  await sim?.close();
});

/** Signed positions on both venues: as booked by risk, and as the venues' engines hold them. */
async function positions(): Promise<{ booked: Decimal; venues: Decimal; detail: string }> {
  let booked: Decimal = ZERO;
  let venues: Decimal = ZERO;
  const parts: string[] = [];
  for (const v of ['binanceusdm', 'standx']) {
    const b = dec((await store.getPosition(v, ACCOUNT, SYMBOL))?.qty ?? '0');
    const e = dec(sim.world.venue(v).position(engineAccount(sim.ready, v), SYMBOL).qty);
    booked = D.add(booked, b);
    venues = D.add(venues, e);
    parts.push(`${v}: booked ${String(b)} venue ${String(e)}`);
  }
  return { booked, venues, detail: parts.join(', ') };
}

/** Opens a 60 bps gap (StandX rich) until the first episode after `from` is reported, then closes it. */
async function episodeWithGap(from: number): Promise<ArbEpisodeMessage> {
  sim.faults.inject({ kind: 'basis', venue: 'standx', asset: 'BTC', bps: 60, id: 'gap' });
  try {
    await waitFor(() => episodes.length > from, 30_000, 'an arbitrage episode');
  } finally {
    sim.faults.remove('gap');
  }
  return episodes[from]!;
}

/** Every episode so far ends flat, and our books and the venues agree that the two venues net to zero. */
async function expectFlat(): Promise<void> {
  // Let the fills reach the books, and any episode started before the gap closed finish.
  await waitFor(async () => {
    const p = await positions();
    return p.booked === 0n && p.venues === 0n;
  }, 20_000, 'a flat position across both venues').catch(() => undefined);
  const p = await positions();
  expect(p.venues, p.detail).toBe(0n);
  expect(p.booked, p.detail).toBe(0n);
  for (const e of episodes) {
    expect(e.outcome, JSON.stringify(e)).not.toBe('unhedged');
    expect(dec(e.residual)).toBe(0n);
  }
}

describe('arbitrage execution against the simulator', () => {
  it('both legs fill: a complete episode with its realized edge, flat across the venues', async () => {
    const e = await episodeWithGap(0);
    expect(e).toMatchObject({ symbol: SYMBOL, buyVenue: 'binanceusdm', sellVenue: 'standx', outcome: 'complete', residual: '0' });
    expect(e.legs.map((l) => [l.role, l.venue, l.side, l.status])).toEqual([
      ['buy', 'binanceusdm', 'buy', 'filled'],
      ['sell', 'standx', 'sell', 'filled'],
    ]);
    expect(e.matchedQty).toBe('0.01');
    // The gap is 60 bps and both taker fees 4 bps: the realized edge is what the fills say, and positive here.
    expect(e.realizedEdge).toBeGreaterThan(0);
    await expectFlat();
  }, 90_000);

  it('the sell leg is rejected once: the short leg is completed on its own venue (hedged), flat', async () => {
    const from = episodes.length;
    sim.faults.inject({ kind: 'reject_orders', venue: 'standx', count: 1, id: 'reject-once' });
    const e = await episodeWithGap(from);
    sim.faults.remove('reject-once');
    expect(e.outcome, JSON.stringify(e)).toBe('hedged');
    expect(e.legs.map((l) => [l.role, l.venue, l.status])).toEqual([
      ['buy', 'binanceusdm', 'filled'],
      ['sell', 'standx', 'rejected'],
      ['complete', 'standx', 'filled'],
    ]);
    await expectFlat();
  }, 90_000);

  it('the sell venue rejects everything: the filled buy is unwound on its venue, flat', async () => {
    const from = episodes.length;
    sim.faults.inject({ kind: 'reject_orders', venue: 'standx', id: 'reject-all' });
    const e = await episodeWithGap(from);
    sim.faults.remove('reject-all');
    expect(e.outcome, JSON.stringify(e)).toBe('unwound');
    expect(e.legs.map((l) => [l.role, l.venue, l.side, l.status])).toEqual([
      ['buy', 'binanceusdm', 'buy', 'filled'],
      ['sell', 'standx', 'sell', 'rejected'],
      ['complete', 'standx', 'sell', 'rejected'],
      ['unwind', 'binanceusdm', 'sell', 'filled'],
    ]);
    // The unwind costs the spread and two fees: the episode reports the loss it realized.
    expect(Number(e.cashFlow)).toBeLessThan(0);
    await expectFlat();
  }, 90_000);
});
