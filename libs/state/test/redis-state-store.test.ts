import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { startRedis, uniquePrefix, type TestServer } from '@perpetua/testkit';
import { RedisStateStore } from '../src/redis-state-store.js';
import { RedisKeys } from '../src/redis-keys.js';
import { StateConflictError } from '../src/state-errors.js';
import type { StateStore } from '../src/state-store.js';
import { stateStoreContract } from './state-contract.js';
import { ACCOUNT, SYMBOL, VENUE, makeFill } from './fill-generator.js';

let server: TestServer;
let admin: Redis;

beforeAll(async () => {
  server = await startRedis();
  admin = new Redis(server.url);
});
afterAll(async () => {
  await admin?.quit();
  await server?.stop();
});

stateStoreContract('redis', async () => {
  const prefix = uniquePrefix('state');
  const keys = new RedisKeys(prefix);
  const clients: StateStore[] = [];
  return {
    interleaves: true,
    connect: async () => {
      const s = new RedisStateStore(server.url, { prefix });
      clients.push(s);
      return s;
    },
    corrupt: {
      setPositionField: async (venue, account, symbol, field, value) => void (await admin.hset(keys.position(venue, account, symbol), field, value)),
      deletePositionField: async (venue, account, symbol, field) => void (await admin.hdel(keys.position(venue, account, symbol), field)),
      setHaltRaw: async (raw) => void (await admin.set(keys.halt, raw)),
      setOpenOrdersRaw: async (venue, account, raw) => void (await admin.set(keys.openOrders(venue, account), raw)),
    },
    dispose: async () => {
      await Promise.all(clients.map((c) => c.close()));
      const left = await admin.keys(`${prefix}:*`);
      if (left.length > 0) await admin.del(...left);
    },
  };
});

/** Simulates another process writing the position between every read and write, `times` times. */
class RacedStore extends RedisStateStore {
  constructor(
    url: string,
    prefix: string,
    private times: number,
    maxAttempts: number,
  ) {
    super(url, { prefix, maxAttempts });
  }
  protected override async readSnapshot(posKey: string, idSetKey: string, id: string) {
    const snap = await super.readSnapshot(posKey, idSetKey, id);
    if (this.times-- > 0) await admin.hincrby(posKey, 'version', 1);
    return snap;
  }
}

describe('RedisStateStore specifics', () => {
  it('keeps prefixes apart', async () => {
    const a = new RedisStateStore(server.url, { prefix: uniquePrefix('a') });
    const b = new RedisStateStore(server.url, { prefix: uniquePrefix('b') });
    await a.applyFill(makeFill('iso', { side: 'buy', ticks: 10_000, lots: 1, feeUnits: 0 }));
    await a.setHalt({ halted: true });
    expect(await b.getPosition(VENUE, ACCOUNT, SYMBOL)).toBeUndefined();
    expect(await b.hasFill(VENUE, 'iso')).toBe(false);
    expect(await b.getHalt()).toEqual({ halted: false });
    expect(await b.listPositions()).toEqual([]);
    await Promise.all([a.close(), b.close()]);
  });

  it('keeps names with separators from colliding', async () => {
    const s = new RedisStateStore(server.url, { prefix: uniquePrefix('sep') });
    const f = makeFill('sep', { side: 'buy', ticks: 10_000, lots: 1, feeUnits: 0 });
    await s.applyFill({ ...f, venue: 'a:b', account: 'c' });
    await s.applyFill({ ...f, venue: 'a', account: 'b:c' });
    expect((await s.listPositions()).map((p) => [p.venue, p.account])).toEqual([
      ['a', 'b:c'],
      ['a:b', 'c'],
    ]);
    await s.close();
  });

  it('accepts a client the caller owns and leaves it open on close', async () => {
    const client = new Redis(server.url);
    const s = new RedisStateStore(client, { prefix: uniquePrefix('own') });
    await s.setHalt({ halted: true, reason: 'x' });
    await s.close();
    expect(await client.ping()).toBe('PONG');
    expect(await new RedisStateStore(client, { prefix: s.keys.prefix }).getHalt()).toEqual({ halted: true, reason: 'x' });
    await client.quit();
  });

  it('treats a trailing colon in the prefix as the separator', () => {
    expect(new RedisKeys('perpetua:').position('sim', 'a', 'BTC-PERP')).toBe('perpetua:pos:sim:a:BTC-PERP');
    expect(new RedisKeys('perpetua').halt).toBe('perpetua:halt');
  });

  it('refuses a prefix that could collide or is empty', () => {
    expect(() => new RedisKeys(':')).toThrow(/prefix/);
    expect(() => new RedisStateStore(server.url, { prefix: '' })).toThrow(/prefix/);
    expect(() => new RedisStateStore(server.url, { prefix: 'has space' })).toThrow(/prefix/);
  });

  it('retries a compare-and-set conflict on a fresh read', async () => {
    const prefix = uniquePrefix('race');
    const seedStore = new RedisStateStore(server.url, { prefix });
    await seedStore.applyFill(makeFill('r0', { side: 'buy', ticks: 10_000, lots: 1_000, feeUnits: 0 }));
    const s = new RacedStore(server.url, prefix, 3, 10);
    const r = await s.applyFill(makeFill('r1', { side: 'buy', ticks: 10_030, lots: 2_000, feeUnits: 0 }));
    expect(r.applied).toBe(true);
    expect(r.position).toMatchObject({ qty: '3', avgEntry: '1002', fills: 2 });
    expect(await s.fillLog(VENUE, ACCOUNT, SYMBOL)).toEqual(['r0', 'r1']);
    expect(await admin.hget(s.keys.position(VENUE, ACCOUNT, SYMBOL), 'version')).toBe('5'); // seed + 3 outside bumps + our write
    await Promise.all([s.close(), seedStore.close()]);
  });

  it('gives up with a clear error after the bounded number of conflicts, booking nothing', async () => {
    const prefix = uniquePrefix('race');
    const seedStore = new RedisStateStore(server.url, { prefix });
    await seedStore.applyFill(makeFill('r0', { side: 'buy', ticks: 10_000, lots: 1, feeUnits: 0 }));
    const s = new RacedStore(server.url, prefix, Number.POSITIVE_INFINITY, 3);
    await expect(s.applyFill(makeFill('r1', { side: 'buy', ticks: 10_000, lots: 1, feeUnits: 0 }))).rejects.toThrow(StateConflictError);
    await expect(s.applyFill(makeFill('r1', { side: 'buy', ticks: 10_000, lots: 1, feeUnits: 0 }))).rejects.toThrow(/after 3 compare-and-set conflicts/);
    expect(await seedStore.hasFill(VENUE, 'r1')).toBe(false);
    expect((await seedStore.getPosition(VENUE, ACCOUNT, SYMBOL))!.fills).toBe(1);
    await Promise.all([s.close(), seedStore.close()]);
  });

  it('keeps the fill content marks bounded by count and by age (exchange time), in step with each other', async () => {
    const prefix = uniquePrefix('content');
    const s = new RedisStateStore(server.url, { prefix, fillContentWindowMs: 60_000, fillContentMaxEntries: 5 });
    const t0 = 1_700_000_000_000;
    const fill = (i: number, ts: number) => makeFill(`k${i}`, { side: 'buy', ticks: 10_000, lots: 1, feeUnits: 0 }, { venueOrderId: `o${i}`, tsExchange: ts });
    for (let i = 0; i < 20; i++) await s.applyFill(fill(i, t0 + i));
    expect(await admin.hlen(s.keys.fillContents(VENUE))).toBe(5);
    expect(await admin.zcard(s.keys.fillContentTimes(VENUE))).toBe(5);
    // A fill two minutes on: every earlier mark is beyond the window.
    await s.applyFill(fill(99, t0 + 120_000));
    expect(await admin.hlen(s.keys.fillContents(VENUE))).toBe(1);
    expect(await admin.zrange(s.keys.fillContentTimes(VENUE), 0, -1)).toEqual(await admin.hkeys(s.keys.fillContents(VENUE)));
    // Funding touches no mark.
    expect(await s.applyFunding(VENUE, ACCOUNT, SYMBOL, '1', 'p1')).toBe(true);
    expect(await admin.hlen(s.keys.fillContents(VENUE))).toBe(1);
    await s.close();
  });

  it('keeps the fill ids and a position\'s fill log bounded by count and by age (exchange time); funding ids untouched', async () => {
    const prefix = uniquePrefix('ids');
    const s = new RedisStateStore(server.url, { prefix, fillIdWindowMs: 60_000, maxFillIds: 5, maxFillLog: 3 });
    const t0 = 1_700_000_000_000;
    const fill = (i: number, ts: number) => makeFill(`i${i}`, { side: 'buy', ticks: 10_000, lots: 1, feeUnits: 0 }, { tsExchange: ts });
    for (let i = 0; i < 20; i++) await s.applyFill(fill(i, t0 + i));
    expect((await admin.smembers(s.keys.fillIds(VENUE))).sort()).toEqual(['i15', 'i16', 'i17', 'i18', 'i19']);
    expect(await admin.zcard(s.keys.fillIdTimes(VENUE))).toBe(5);
    expect(await s.fillLog(VENUE, ACCOUNT, SYMBOL)).toEqual(['i17', 'i18', 'i19']);
    expect((await s.getPosition(VENUE, ACCOUNT, SYMBOL))!.fills).toBe(20);
    // A remembered id is still a duplicate.
    expect((await s.applyFill(fill(19, t0 + 19))).applied).toBe(false);
    // A fill two minutes on: every earlier id is beyond the window.
    await s.applyFill(fill(99, t0 + 120_000));
    expect(await admin.smembers(s.keys.fillIds(VENUE))).toEqual(['i99']);
    expect(await admin.zrange(s.keys.fillIdTimes(VENUE), 0, -1)).toEqual(['i99']);
    // Funding ids live in their own set and are not trimmed.
    expect(await s.applyFunding(VENUE, ACCOUNT, SYMBOL, '1', 'p1')).toBe(true);
    expect(await s.applyFunding(VENUE, ACCOUNT, SYMBOL, '1', 'p1')).toBe(false);
    expect(await admin.smembers(s.keys.fillIds(VENUE))).toEqual(['i99']);
    await s.close();
  });
});
