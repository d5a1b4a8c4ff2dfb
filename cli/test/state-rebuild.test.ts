import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { Fill, SimulatedClock, subjects, type FundingPayment } from '@perpetua/core';
import { NatsBus } from '@perpetua/bus';
import { RedisStateStore, positionDifferences, rebuildState, type FillHistory, type Position } from '@perpetua/state';
import { RiskService } from '@perpetua/service-risk';
import { FundingBooker } from '@perpetua/service-order-router';
import { createLogger } from '@perpetua/telemetry';
import { startNats, startRedis, uniquePrefix, waitUntil, type TestServer } from '@perpetua/testkit';
import { runCli } from './run-cli.js';

/**
 * Issue #27, acceptance 3: Redis wiped, state rebuilt from the FILLS stream (and the venues' funding
 * histories) equal to before, field by field. Fills go the normal way (published durably as a router
 * does, booked by risk's durable consumer), funding through the routers' FundingBooker; the whole of
 * the prefix's position state is then dumped key by key, wiped, rebuilt, and dumped again.
 */
const logger = createLogger({ service: 'state-rebuild-test', level: 'silent' });
let nats: TestServer;
let redis: TestServer;
let raw: Redis;

beforeAll(async () => {
  [nats, redis] = await Promise.all([startNats(), startRedis()]);
  raw = new Redis(redis.url);
}, 60_000);

afterAll(async () => {
  raw?.disconnect();
  await Promise.all([nats?.stop(), redis?.stop()]);
});

/**
 * Several venue accounts and symbols, both sides, partial fills of one order, a position crossing
 * zero, rebates and odd sizes: every branch of the ledger leaves its trace in the fields.
 */
function fillSet(): Fill[] {
  const fills: Fill[] = [];
  const books = [
    { venue: 'v1', account: 'a1', symbol: 'BTC-PERP', price: 60000 },
    { venue: 'v1', account: 'a2', symbol: 'BTC-PERP', price: 60010 },
    { venue: 'v1', account: 'a1', symbol: 'ETH-PERP', price: 3000 },
    { venue: 'v2', account: 'a1', symbol: 'BTC-PERP', price: 59990 },
  ];
  const sides = ['buy', 'buy', 'sell', 'sell', 'sell', 'buy', 'sell', 'buy'] as const;
  const sizes = ['0.013', '0.007', '0.005', '0.02', '0.001', '0.033', '0.011', '0.002'];
  let n = 0;
  books.forEach((b, bi) => {
    sides.forEach((side, i) => {
      // Two partial fills of each order: same clientOrderId, two fill ids.
      for (const part of [0, 1]) {
        n++;
        const price = (b.price + ((i * 7 + part * 3 + bi) % 11) - 5 + 0.5 * part).toFixed(1);
        fills.push({
          fillId: `f${n}`,
          venue: b.venue,
          account: b.account,
          symbol: b.symbol,
          clientOrderId: `o-${bi}-${i}`,
          venueOrderId: `vo-${bi}-${i}`,
          side,
          price,
          qty: part === 0 ? sizes[i]! : (Number(sizes[(i + 3) % sizes.length]) / 2).toFixed(4),
          fee: n % 3 === 0 ? `-${(n * 0.0013).toFixed(4)}` : (n * 0.0021).toFixed(4),
          liquidity: n % 3 === 0 ? 'maker' : 'taker',
          tsExchange: 1_700_000_000_000 + n * 1000 + 0.5,
          tsReceived: 1_700_000_000_000 + n * 1000 + 7,
        });
      }
    });
  });
  return fills;
}

const payments: FundingPayment[] = [
  { paymentId: 'p1', venue: 'v1', account: 'a1', symbol: 'BTC-PERP', amount: '0.731', tsExchange: 1_700_000_004_000 },
  { paymentId: 'p2', venue: 'v1', account: 'a1', symbol: 'BTC-PERP', amount: '-0.25', tsExchange: 1_700_000_100_000 },
  { paymentId: 'p3', venue: 'v1', account: 'a1', symbol: 'ETH-PERP', amount: '0.0105', tsExchange: 1_700_000_200_000 },
  { paymentId: 'p4', venue: 'v1', account: 'a2', symbol: 'BTC-PERP', amount: '-1.5', tsExchange: 1_700_000_300_000 },
  { paymentId: 'p5', venue: 'v2', account: 'a1', symbol: 'BTC-PERP', amount: '2', tsExchange: 1_700_000_400_000 },
];

/** A venue account's funding history, as its trading adapter reports it. */
const fundingVenue = (venue: string, account: string) => ({
  venue,
  account,
  fundingPayments: async (sinceMs: number) => payments.filter((p) => p.venue === venue && p.account === account && p.tsExchange >= sinceMs),
});

/** Every key of the prefix with its whole value: hashes, sets (sorted), lists and strings. */
async function dump(prefix: string): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const keys = (await raw.keys(`${prefix}:*`)).sort();
  for (const key of keys) {
    const type = await raw.type(key);
    if (type === 'hash') out[key] = await raw.hgetall(key);
    else if (type === 'set') out[key] = (await raw.smembers(key)).sort();
    else if (type === 'list') out[key] = await raw.lrange(key, 0, -1);
    else if (type === 'zset') out[key] = await raw.zrange(key, 0, -1, 'WITHSCORES');
    else out[key] = await raw.get(key);
  }
  return out;
}

async function publishFills(bus: NatsBus, store: RedisStateStore, fills: Fill[]): Promise<void> {
  // As a router's FillPublisher: durable, message id venue:fillId, then the fill watermark.
  for (const f of fills) {
    await bus.publishDurable('fills', subjects.fill(f.venue, f.symbol), f, `${f.venue}:${f.fillId}`);
    await store.advanceFillWatermark(f.venue, f.account, Math.max(0, Math.floor(f.tsExchange)));
  }
}

function natsFills(bus: NatsBus): FillHistory {
  return {
    async readFills(onFill) {
      let lastSeq = 0;
      const r = await bus.readDurable('fills', Fill, (fill, m) => onFill(fill, { streamSeq: m.streamSeq, lastSeq }), { onStart: (s) => (lastSeq = s.lastSeq) });
      return { firstSeq: r.state.firstSeq, lastSeq: r.state.lastSeq, messages: r.state.messages, invalid: r.invalid };
    },
  };
}

describe('state rebuild after a Redis wipe', () => {
  it('rebuilds positions, PnL, fees, funding, fill logs and watermarks equal to before, key by key and field by field', async () => {
    const deployment = uniquePrefix('rb');
    const prefix = uniquePrefix('rbk');
    const bus = await NatsBus.connect({ url: nats.url, name: 'rebuild-test', deployment });
    const store = new RedisStateStore(redis.url, { prefix });
    // One fill whose venue told it without an id (StandX's stream): booked under the id made from its content.
    const fills = fillSet().map((f, i) => (i === 11 ? { ...f, fillId: 'sx-content-11', idFromContent: true } : f));
    const registry = new Registry();
    const risk = new RiskService({ bus, store, limits: { maxPosition: '100', maxOrderSize: '100' }, logger, registry });
    try {
      await risk.start();
      await store.setHalt({ halted: true, reason: 'kept across the rebuild', since: 5 });
      await publishFills(bus, store, fills);
      // The same fill again under its own id (deduplicated by the stream) and under another id (stored twice, booked once).
      await publishFills(bus, store, [fills[3]!]);
      await bus.publishDurable('fills', subjects.fill(fills[5]!.venue, fills[5]!.symbol), fills[5]!, `${fills[5]!.venue}:${fills[5]!.fillId}:again`);
      // One trade told twice under two ids (fill-content-dedupe.ts): the venue's id after the content id, and a
      // content id after the venue's id. Both stored, neither booked, and the rebuild books the same.
      const { idFromContent: _, ...withVenueId } = fills[11]!;
      await publishFills(bus, store, [{ ...withVenueId, fillId: 'venue-11' }, { ...fills[9]!, fillId: 'sx-content-9', idFromContent: true }]);
      const booked = async () => (await store.listPositions()).reduce((n, p) => n + p.fills, 0);
      await waitUntil(async () => (await booked()) === fills.length, 20_000, 'risk booked every fill');

      const clock = new SimulatedClock(1_700_000_500_000);
      for (const [venue, account] of [['v1', 'a1'], ['v1', 'a2'], ['v2', 'a1']] as const) {
        const booker = new FundingBooker({ adapter: fundingVenue(venue, account), store, bus, clock, logger, registry: new Registry(), options: { lookbackMs: 86_400_000 } });
        await booker.poll();
      }
      await waitUntil(async () => (await store.listPositions()).some((p) => p.funding !== '0'), 5_000, 'funding booked');
      await risk.stop();

      const before = await dump(prefix);
      // 4 positions with their fill logs and funding id sets, 2 fill-id sets and their 2 time sets, 2+2 fill content marks, the index, 3+3 watermarks, the halt.
      expect(Object.keys(before)).toHaveLength(4 * 3 + 2 + 2 + 4 + 1 + 6 + 1);
      expect(await store.hasFill('v1', 'venue-11')).toBe(true);
      const positionsBefore = await store.listPositions();
      expect(positionsBefore).toHaveLength(4);
      expect(positionsBefore.find((p) => p.venue === 'v1' && p.account === 'a1' && p.symbol === 'BTC-PERP')?.funding).toBe('0.481');

      // The wipe: every rebuildable key of the prefix goes; the halt stays.
      expect(await store.wipeRebuildable()).toBeGreaterThan(10);
      expect(await store.rebuildableKeys()).toEqual([]);
      expect(await store.listPositions()).toEqual([]);
      expect(await store.getHalt()).toEqual({ halted: true, reason: 'kept across the rebuild', since: 5 });

      const progress: number[] = [];
      const report = await rebuildState({
        fills: natsFills(bus),
        store,
        funding: { sources: [fundingVenue('v1', 'a1'), fundingVenue('v1', 'a2'), fundingVenue('v2', 'a1')], sinceMs: 1_700_000_500_000 - 86_400_000 },
        progressEvery: 10,
        onProgress: (p) => progress.push(p.fillsReplayed + p.duplicatesSkipped),
      });

      expect(report).toMatchObject({
        fillsReplayed: fills.length,
        duplicatesSkipped: 3,
        invalidMessages: 0,
        accounts: ['v1/a1', 'v1/a2', 'v2/a1'],
        symbols: ['v1/BTC-PERP', 'v1/ETH-PERP', 'v2/BTC-PERP'],
        positions: 4,
        fundingBooked: payments.length,
        fundingDuplicates: 0,
        stream: { firstSeq: 1, lastSeq: fills.length + 3, messages: fills.length + 3 },
        truncated: false,
      });
      expect(progress.at(-1)).toBe(fills.length + 3);
      expect(progress.length).toBeGreaterThan(3);

      const positionsAfter = await store.listPositions();
      expect(positionDifferences(positionsBefore, positionsAfter)).toEqual([]);
      for (const p of positionsBefore) expect(fieldByField(positionsAfter, p)).toEqual(p);
      expect(await dump(prefix)).toEqual(before);
    } finally {
      await risk.stop();
      await store.close();
      await bus.close();
    }
  }, 60_000);
});

describe('perpetua state rebuild', () => {
  it('refuses a store with position state, dry-runs without writing, and with --force rebuilds equal to before', async () => {
    const deployment = uniquePrefix('rc');
    const prefix = uniquePrefix('rck');
    const env = { NATS_URL: nats.url, REDIS_URL: redis.url, PERPETUA_NATS__DEPLOYMENT: deployment, PERPETUA_REDIS__KEY_PREFIX: prefix };
    const bus = await NatsBus.connect({ url: nats.url, name: 'rebuild-cli-test', deployment });
    const store = new RedisStateStore(redis.url, { prefix });
    const risk = new RiskService({ bus, store, limits: { maxPosition: '100', maxOrderSize: '100' }, logger, registry: new Registry() });
    const fills = fillSet().slice(0, 40);
    try {
      await risk.start();
      await publishFills(bus, store, fills);
      await waitUntil(async () => (await store.listPositions()).reduce((n, p) => n + p.fills, 0) === fills.length, 20_000, 'risk booked every fill');
      await risk.stop();
      const before = await dump(prefix);

      const refused = await runCli(['state', 'rebuild'], env);
      expect(refused.code, refused.stderr).toBe(1);
      expect(refused.stderr).toMatch(/already holds \d+ keys of position state.*--force/s);
      expect(await dump(prefix)).toEqual(before);

      const dry = await runCli(['state', 'rebuild', '--dry-run'], env);
      expect(dry.code, dry.stderr).toBe(0);
      const dryResult = JSON.parse(dry.stdout.trim().split('\n').at(-1)!);
      expect(dryResult).toMatchObject({ dryRun: true, wiped: 0, differences: [], report: { fillsReplayed: fills.length, positions: 3, truncated: false } });
      expect(await dump(prefix)).toEqual(before);

      // Damage a position by hand: the dry run names the field.
      const key = store.keys.position('v1', 'a1', 'BTC-PERP');
      await raw.hset(key, 'fees', '123');
      const damaged = JSON.parse((await runCli(['state', 'rebuild', '--dry-run'], env)).stdout.trim().split('\n').at(-1)!);
      expect(damaged.differences).toEqual([{ venue: 'v1', account: 'a1', symbol: 'BTC-PERP', field: 'fees', before: '123', after: (before[key] as Record<string, string>).fees }]);

      const forced = await runCli(['state', 'rebuild', '--force'], env);
      expect(forced.code, forced.stderr).toBe(0);
      expect(JSON.parse(forced.stdout.trim().split('\n').at(-1)!)).toMatchObject({ dryRun: false, prefix, report: { fillsReplayed: fills.length, duplicatesSkipped: 0, positions: 3 } });
      expect(forced.stderr).toMatch(/replayed 40 fills/);
      expect(await dump(prefix)).toEqual(before);

      // After a plain wipe the store is empty: no --force needed.
      await store.wipeRebuildable();
      const plain = await runCli(['state', 'rebuild'], env);
      expect(plain.code, plain.stderr).toBe(0);
      expect(await dump(prefix)).toEqual(before);

      const usage = await runCli(['state', 'rebuild', '--dry-run', '--force'], env);
      expect(usage.code).toBe(2);
      const paperFunding = await runCli(['state', 'rebuild', '--funding-since', '2026-01-01T00:00:00Z'], env);
      expect(paperFunding.code).toBe(2);
      expect(paperFunding.stderr).toMatch(/only live trading/);
      expect((await runCli(['state', 'rebuild', '--funding-since', 'yesterday'], env)).code).toBe(2);
    } finally {
      await risk.stop();
      await store.close();
      await bus.close();
    }
  }, 120_000);
});

describe('perpetua state rebuild on a stream past its limit', () => {
  it('refuses a stream that discarded its first fills unless --allow-truncated, and says so in the report', async () => {
    const deployment = uniquePrefix('rt');
    const prefix = uniquePrefix('rtk');
    const env = { NATS_URL: nats.url, REDIS_URL: redis.url, PERPETUA_NATS__DEPLOYMENT: deployment, PERPETUA_REDIS__KEY_PREFIX: prefix, PERPETUA_NATS__FILLS_MAX_MESSAGES: '1000' };
    const bus = await NatsBus.connect({ url: nats.url, name: 'rebuild-limit-test', deployment, fillsMaxMessages: 1000 });
    try {
      const base = fillSet()[0]!;
      for (let n = 1; n <= 1003; n++) {
        await bus.publishDurable('fills', subjects.fill(base.venue, base.symbol), { ...base, fillId: `t${n}`, side: n % 2 ? 'buy' : 'sell' }, `${base.venue}:t${n}`);
      }
      expect(await bus.durableStreamState('fills')).toMatchObject({ firstSeq: 4, lastSeq: 1003, messages: 1000, maxMessages: 1000 });
      const refused = await runCli(['state', 'rebuild'], env);
      expect(refused.code, refused.stderr).toBe(1);
      expect(refused.stderr).toMatch(/no longer holds its first fills \(it starts at sequence 4; it keeps 1000 fills/);
      const partial = await runCli(['state', 'rebuild', '--allow-truncated'], env);
      expect(partial.code, partial.stderr).toBe(0);
      expect(JSON.parse(partial.stdout.trim().split('\n').at(-1)!)).toMatchObject({ report: { fillsReplayed: 1000, truncated: true, stream: { firstSeq: 4, lastSeq: 1003 } } });
    } finally {
      await bus.close();
    }
  }, 120_000);
});

function fieldByField(positions: Position[], p: Position): Position | undefined {
  return positions.find((q) => q.venue === p.venue && q.account === p.account && q.symbol === p.symbol);
}
