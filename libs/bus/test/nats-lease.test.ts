import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lease, NatsBus, type LeaseStore } from '@perpetua/bus';
import { holdsFor, startNats, uniquePrefix, waitUntil, type TestServer } from '@perpetua/testkit';

// Leases in a real JetStream KV bucket: one holder at a time, a lapsed holder replaced
// within the ttl, and fencing tokens that only grow.
let server: TestServer;
const buses: NatsBus[] = [];

beforeAll(async () => {
  server = await startNats();
});

afterAll(async () => {
  for (const b of buses) await b.close();
  await server?.stop();
});

async function store(deployment: string, ttlMs: number): Promise<LeaseStore> {
  const bus = await NatsBus.connect({ url: server.url, name: 'lease-test', deployment });
  buses.push(bus);
  return bus.leaseStore('leases', ttlMs);
}

describe('leases on NATS KV', () => {
  it('create and update are conditional on the revision', async () => {
    const s = await store(uniquePrefix('l'), 2000);
    const r1 = await s.create('risk.main', 'a');
    expect(r1).toBeGreaterThan(0);
    expect(await s.create('risk.main', 'b')).toBeUndefined();
    const r2 = await s.update('risk.main', 'a', r1!);
    expect(r2).toBeGreaterThan(r1!);
    expect(await s.update('risk.main', 'b', r1!)).toBeUndefined();
    expect(await s.holder('risk.main')).toEqual({ holder: 'a', revision: r2 });
    await s.release('risk.main', r1!); // stale revision: not ours to delete
    expect((await s.holder('risk.main'))?.holder).toBe('a');
    await s.release('risk.main', r2!);
    expect(await s.create('risk.main', 'b')).toBeGreaterThan(r2!);
  });

  it('two candidates: exactly one leads; when it stops renewing the other takes over with a larger token', async () => {
    const deployment = uniquePrefix('ha');
    const ttlMs = 1500;
    const timing = { ttlMs, renewEveryMs: 300, marginMs: 300, tickMs: 50, now: Date.now, key: 'router.binanceusdm.main' };
    // a's store stops answering when `frozen` (the process is paused or cut off: its writes never land).
    const real = await store(deployment, ttlMs);
    let frozen = false;
    const hang = <T>(call: () => Promise<T>): Promise<T> => (frozen ? new Promise<T>(() => {}) : call());
    const storeA: LeaseStore = {
      create: (k, h) => hang(() => real.create(k, h)),
      update: (k, h, r) => hang(() => real.update(k, h, r)),
      release: (k, r) => hang(() => real.release(k, r)),
      holder: (k) => real.holder(k),
      list: (u) => real.list(u),
    };
    const a = new Lease({ ...timing, store: storeA, holder: 'a' });
    const b = new Lease({ ...timing, store: await store(deployment, ttlMs), holder: 'b' });
    a.start();
    await waitUntil(() => a.isLeader(), 5_000, 'a leads');
    b.start();
    // b keeps trying for several renew periods and never leads while a renews.
    await holdsFor(() => !b.isLeader(), 1_500, 'b not leading while a renews', 50);
    const tokenA = a.token()!;
    // a stops renewing without releasing (paused, cut off, or killed); b leads within the ttl plus a renew period.
    frozen = true;
    const died = Date.now();
    await waitUntil(() => b.isLeader(), 5_000, 'b takes over');
    expect(Date.now() - died).toBeLessThan(ttlMs + 1_000);
    expect(a.isLeader()).toBe(false); // its own clock already told it to stop: a stale leader refuses to act
    expect(b.token()!).toBeGreaterThan(tokenA);
    await b.stop();
  });

  it('a resigning leader hands over at once', async () => {
    const deployment = uniquePrefix('rs');
    const timing = { ttlMs: 5000, renewEveryMs: 300, marginMs: 500, tickMs: 50, now: Date.now, key: 'risk.main' };
    const a = new Lease({ ...timing, store: await store(deployment, 5000), holder: 'a' });
    const b = new Lease({ ...timing, store: await store(deployment, 5000), holder: 'b' });
    a.start();
    await waitUntil(() => a.isLeader(), 5_000, 'a leads');
    b.start();
    await a.stop();
    await waitUntil(() => b.isLeader(), 2_000, 'b leads after a resigned (well before the 5 s ttl)');
    await b.stop();
  });
});
