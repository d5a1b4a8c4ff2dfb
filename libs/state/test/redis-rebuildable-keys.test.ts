import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { startRedis, uniquePrefix, type TestServer } from '@perpetua/testkit';
import { RedisStateStore } from '../src/redis-state-store.js';

// The wipe ahead of a rebuild: this prefix's position state only; never another prefix's keys or another application's.
let server: TestServer;
let raw: Redis;

beforeAll(async () => {
  server = await startRedis();
  raw = new Redis(server.url);
});

afterAll(async () => {
  raw?.disconnect();
  await server?.stop();
});

const fill = (fillId: string, account: string) => ({
  fillId, venue: 'v', account, symbol: 'BTC-PERP', clientOrderId: `c-${fillId}`, side: 'buy' as const,
  price: '100', qty: '1', fee: '0', liquidity: 'maker' as const, tsExchange: 1, tsReceived: 1,
});

describe('RedisStateStore.wipeRebuildable', () => {
  it("deletes positions, ids, fill logs and watermarks of its prefix; keeps the halt, open orders, fences and everyone else's keys", async () => {
    const root = uniquePrefix('w');
    const mine = new RedisStateStore(server.url, { prefix: root });
    const neighbour = new RedisStateStore(server.url, { prefix: `${root}2` }); // a prefix that starts like mine
    try {
      for (const s of [mine, neighbour]) {
        await s.applyFill(fill('f1', 'a'));
        await s.applyFunding('v', 'a', 'BTC-PERP', '1', 'p1', 5);
        await s.advanceFillWatermark('v', 'a', 1);
        await s.advanceFundingWatermark('v', 'a', 5);
        await s.setHalt({ halted: true, reason: 'stays' });
      }
      await mine.fenced({ scope: 'risk', token: () => 3 }).setHalt({ halted: true, reason: 'stays' });
      await raw.set(`other-app:${root}:pos:x`, 'not ours');
      const neighbourBefore = (await raw.keys(`${root}2:*`)).sort();

      expect((await mine.rebuildableKeys()).map((k) => k.slice(root.length + 1))).toEqual([
        'fillidts:v', 'filllog:v:a:BTC-PERP', 'fillmark:v:a', 'fills:v', 'funding:v:a:BTC-PERP', 'fundmark:v:a', 'pos:v:a:BTC-PERP', 'positions',
      ]);
      expect(await mine.wipeRebuildable()).toBe(8);
      expect(await mine.rebuildableKeys()).toEqual([]);
      expect((await raw.keys(`${root}:*`)).sort()).toEqual([`${root}:fence:risk`, `${root}:halt`]);
      expect(await mine.getHalt()).toEqual({ halted: true, reason: 'stays' });
      expect((await raw.keys(`${root}2:*`)).sort()).toEqual(neighbourBefore);
      expect(await neighbour.getPosition('v', 'a', 'BTC-PERP')).toMatchObject({ fills: 1, funding: '1' });
      expect(await raw.get(`other-app:${root}:pos:x`)).toBe('not ours');
    } finally {
      await raw.del(`other-app:${root}:pos:x`);
      await mine.close();
      await neighbour.close();
    }
  });
});
