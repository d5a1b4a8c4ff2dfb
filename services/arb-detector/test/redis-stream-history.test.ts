import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import type { ArbOpportunityMessage } from '@perpetua/core';
import { InProcessBus } from '@perpetua/bus';
import { startRedis, uniquePrefix, type TestServer } from '@perpetua/testkit';
import { LastValueHistory, RedisStreamHistory, arbStreamKey, readOpportunityStream } from '../src/index.js';

/** The capped stream on a real redis-server. */
let server: TestServer;
let redis: Redis;

beforeAll(async () => {
  server = await startRedis();
  redis = new Redis(server.url);
}, 60_000);

afterAll(async () => {
  redis?.disconnect();
  await server?.stop();
});

const event = (i: number): ArbOpportunityMessage => ({
  event: i % 3 === 0 ? 'opened' : 'updated',
  symbol: 'BTC-PERP',
  buyVenue: 'a',
  sellVenue: 'b',
  buyPrice: 100,
  sellPrice: 101,
  buyVwap: 100,
  sellVwap: 101,
  qty: 1 + i,
  grossEdge: 0.01,
  netEdge: 0.009,
  netProfit: 0.9,
  peakEdge: 0.009,
  openedAt: 0,
  durationMs: i,
  ts: i,
  triggerVenue: 'b',
  triggerSeq: i,
  tsExchange: i,
  tsReceived: i,
});

describe('RedisStreamHistory', () => {
  it('keeps about the last N events in a capped stream that a late reader gets back in order, schema-checked', async () => {
    const key = arbStreamKey(`${uniquePrefix('arb')}:`);
    const errors: unknown[] = [];
    const bus = new InProcessBus();
    const history = new RedisStreamHistory(new LastValueHistory(bus, 10, (e) => errors.push(e)), redis, key, 100, (e) => errors.push(e));
    for (let i = 0; i < 1_000; i++) history.record(event(i));
    await redis.ping(); // every XADD above was sent before this answer comes back
    const len = await redis.xlen(key);
    expect(len).toBeGreaterThanOrEqual(100);
    expect(len).toBeLessThan(1_000); // capped (approximately, as MAXLEN ~ trims whole nodes)
    await redis.xadd(key, '*', 'event', '{"not":"an opportunity"}');
    const { events, invalid } = await readOpportunityStream(redis, key, 51);
    expect(invalid).toBe(1);
    expect(events.map((e) => e.ts)).toEqual(Array.from({ length: 50 }, (_, i) => 950 + i));
    expect(history.recent().map((e) => e.ts)).toEqual(Array.from({ length: 10 }, (_, i) => 990 + i));
    expect(errors).toEqual([]);
    await bus.close();
  });
});
