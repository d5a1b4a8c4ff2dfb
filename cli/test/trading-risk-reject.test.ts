import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RiskRejectMessage, subjects } from '@perpetua/core';
import { NatsBus } from '@perpetua/bus';
import { FaultInjector, createSimWorld, startBinanceFacade, startSimAdmin, type BinanceFacade, type SimAdmin, type SimReady, type SimWorldImpl, type TapRestRequest } from '@perpetua/sim';
import { holdsFor, startNats, startRedis, uniquePrefix, type TestServer } from '@perpetua/testkit';
import { TradingStack, waitFor, type ServiceChild } from './trading-harness.js';

/**
 * Acceptance for risk's rules end to end: a quoter, risk, a live order router
 * and a gateway on Binance (through ccxt) against the simulator's Binance
 * façade, whose every REST request the test records. An order risk refuses
 * (too large; priced outside the band around the mark) is published on
 * risk.reject with its rule and never reaches the venue; with the limit at
 * exactly the quoter's size the same orders do reach it (the recording works,
 * and equal passes).
 *
 * The façade is started here rather than through startSimulator so that its
 * one seam (the tap) records instead of carrying the fault injector.
 */
const VENUE = 'binanceusdm';
const SIZE = '0.01';

interface SeenOrder {
  at: number;
  method: string;
  params: URLSearchParams;
}

let nats: TestServer;
let redis: TestServer;
let world: SimWorldImpl;
let facade: BinanceFacade;
let injector: FaultInjector;
let admin: SimAdmin;
let bus: NatsBus;
let stack: TradingStack;
let dir: string;
const seen: SeenOrder[] = [];
const rejects: Array<RiskRejectMessage & { at: number }> = [];

/** Order placements and amendments the façade received (ccxt may sign the parameters into the query or the body). */
function record(req: TapRestRequest): { kind: 'pass' } {
  if (/^\/fapi\/v1\/(order|batchOrders)$/.test(req.path) && (req.method === 'POST' || req.method === 'PUT'))
    seen.push({ at: Date.now(), method: req.method, params: new URLSearchParams(`${req.query}&${req.body}`) });
  return { kind: 'pass' };
}

const ordersSince = (t: number): SeenOrder[] => seen.filter((o) => o.at >= t);
const rejectsSince = (t: number, rule: string): number => rejects.filter((r) => r.at >= t && r.rule === rule && r.venue === VENUE).length;

beforeAll(async () => {
  [nats, redis] = await Promise.all([startNats(), startRedis()]);
  world = createSimWorld({ seed: 53, clock: 'wall', stepMs: 100, venues: [VENUE] });
  facade = await startBinanceFacade({ world, host: '127.0.0.1', tap: { rest: record } });
  // The admin API only serves the ready descriptor here; the injector is never attached to the façade.
  injector = new FaultInjector({ world });
  const ready: SimReady = {
    event: 'ready',
    seed: world.seed,
    venues: { [VENUE]: { protocol: 'binanceusdm', rest: facade.restUrl, ws: facade.wsUrl, credentials: { ...facade.credentials, accountId: facade.accountId } } },
  };
  admin = await startSimAdmin({ injector, world, host: '127.0.0.1', port: 0, ready: () => ({ ...ready, admin: admin.url }) });
  world.start(100);

  dir = mkdtempSync(join(tmpdir(), 'perpetua-risk-e2e-'));
  const config = join(dir, 'perpetua.yaml');
  // Only the venue this simulator serves (the default config names all four).
  writeFileSync(config, ['venues:', `  ${VENUE}:`, '    kind: ccxt', `    exchange: ${VENUE}`, ''].join('\n'));
  bus = await NatsBus.connect({ url: nats.url, name: 'risk-e2e' });
  bus.subscribe(subjects.riskReject(), RiskRejectMessage, (r) => void rejects.push({ ...r, at: Date.now() }));
  stack = new TradingStack({ natsUrl: nats.url, redisUrl: redis.url, simAdmin: admin.url, keyPrefix: `${uniquePrefix('riske2e')}:`, args: ['--config', config] });
}, 60_000);

afterAll(async () => {
  await stack?.killAll();
  await bus?.close();
  world?.stop();
  injector?.close();
  await admin?.close();
  await facade?.close();
  await Promise.all([nats?.stop(), redis?.stop()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Risk with these limits (env), after the previous risk stopped. */
async function restartRisk(current: ServiceChild | undefined, env: NodeJS.ProcessEnv): Promise<ServiceChild> {
  if (current) expect(await stack.stop(current)).toBe(0);
  return stack.spawn('risk', undefined, { PERPETUA_RISK__MAX_POSITION: '0.5', ...env });
}

describe('risk rules end to end: the venue never sees a refused order', () => {
  it('max order size and the price band refuse before the venue; at the limit the orders go through', async () => {
    const phase1 = Date.now();
    const [risk1] = await Promise.all([
      restartRisk(undefined, { PERPETUA_RISK__MAX_ORDER_SIZE: '0.005' }),
      stack.spawn('gateway', VENUE),
      stack.spawn('order-router', VENUE),
      // 2 bps each side: never through the book, so only the rule under test can refuse.
      stack.quoter(VENUE, { spreadBps: 2, size: SIZE }),
    ]);

    // 1. Max order size below the quoter's size: every quote refused as max_order_size, nothing sent.
    await waitFor(() => rejectsSince(phase1, 'max_order_size') >= 6, 60_000, 'max_order_size rejects');
    // Anything wrongly approved would reach the venue within this window.
    await holdsFor(() => ordersSince(phase1).length === 0, 1_000, () => `no order at the venue while max_order_size refuses (${ordersSince(phase1).length} seen)`);
    const sizeRejects = rejects.filter((r) => r.at >= phase1 && r.rule === 'max_order_size');
    expect(sizeRejects[0]).toMatchObject({ source: `mm-${VENUE}`, venue: VENUE, symbol: 'BTC-PERP' });
    expect(sizeRejects[0]!.detail).toContain(`size ${SIZE} > max order size 0.005`);
    expect(ordersSince(phase1).map((o) => o.params.get('quantity'))).toEqual([]);

    // 2. Price band of 0 bps around the mark: quotes 2 bps from mid are refused as price_from_mark.
    const phase2 = Date.now();
    const risk2 = await restartRisk(risk1, { PERPETUA_RISK__MAX_ORDER_SIZE: '0.1', PERPETUA_RISK__MAX_FROM_MARK_BPS: '0' });
    // A fresh risk has no mark for its first intents and refuses them too ("no mark or mid": the band fails closed);
    // once the market is in, the refusals name the distance.
    const banded = () => rejects.filter((r) => r.at >= phase2 && r.rule === 'price_from_mark' && /bps from (mark|mid) .* > max 0 bps/.test(r.detail));
    await waitFor(() => rejectsSince(phase2, 'price_from_mark') >= 6 && banded().length > 0, 30_000, 'price_from_mark rejects naming the distance');
    await holdsFor(() => ordersSince(phase2).length === 0, 1_000, () => `no order at the venue while price_from_mark refuses (${ordersSince(phase2).length} seen)`);
    expect(rejects.filter((r) => r.at >= phase2 && r.rule === 'price_from_mark').every((r) => /bps from (mark|mid) .* > max 0 bps|no mark or mid price/.test(r.detail))).toBe(true);
    expect(ordersSince(phase2).map((o) => o.params.get('price'))).toEqual([]);

    // 3. The limit at exactly the quoter's size (equal passes): the same quotes reach the venue.
    const phase3 = Date.now();
    await restartRisk(risk2, { PERPETUA_RISK__MAX_ORDER_SIZE: SIZE });
    await waitFor(() => ordersSince(phase3).length >= 2, 30_000, 'orders at the façade once the limit allows them');
    expect(ordersSince(phase3).every((o) => o.params.get('quantity') === SIZE)).toBe(true);
    expect(rejectsSince(phase3, 'max_order_size')).toBe(0);
    // Over the whole run the venue saw orders only in the phase that allowed them.
    expect(seen.filter((o) => o.at < phase3)).toEqual([]);
  }, 180_000);
});
