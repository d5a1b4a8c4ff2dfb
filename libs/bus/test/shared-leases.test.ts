import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NatsBus, SharedLeases, StandbyRunner, leaseKeys, type LeaderTerm, type LeaseStore } from '@perpetua/bus';
import { holdsFor, startNats, uniquePrefix, waitUntil, type TestServer } from '@perpetua/testkit';

// Symbol sharing and hot standby on a real JetStream KV bucket. A "crash" is a store that stops answering:
// the member neither renews nor releases, as after kill -9 or a partition.
let server: TestServer;
const buses: NatsBus[] = [];
const TTL = 1_500;
const timing = { ttlMs: TTL, renewEveryMs: 250, marginMs: 500 };

beforeAll(async () => {
  server = await startNats();
});

afterAll(async () => {
  for (const b of buses) await b.close();
  await server?.stop();
});

async function freezable(deployment: string): Promise<{ store: LeaseStore; freeze: () => void }> {
  const bus = await NatsBus.connect({ url: server.url, name: 'shared-lease-test', deployment });
  buses.push(bus);
  const real = await bus.leaseStore('leases', TTL);
  let frozen = false;
  const hang = <T>(call: () => Promise<T>): Promise<T> => (frozen ? new Promise<T>(() => {}) : call());
  return {
    store: {
      create: (k, h) => hang(() => real.create(k, h)),
      update: (k, h, r) => hang(() => real.update(k, h, r)),
      release: (k, r) => hang(() => real.release(k, r)),
      holder: (k) => hang(() => real.holder(k)),
      list: (u) => hang(() => real.list(u)),
    },
    freeze: () => (frozen = true),
  };
}

const SYMBOLS = ['BTC-PERP', 'ETH-PERP', 'SOL-PERP', 'XRP-PERP', 'DOGE-PERP'];

describe('SharedLeases on NATS KV', () => {
  it('members share the symbols, one holder each; a newcomer gets its share; a crashed member’s symbols move within ttl + a round', async () => {
    const deployment = uniquePrefix('share');
    const members = new Map<string, { leases: SharedLeases; freeze: () => void }>();
    const join = async (name: string) => {
      const { store, freeze } = await freezable(deployment);
      const leases = new SharedLeases({ ...timing, store, items: SYMBOLS, itemKey: (s) => `gateway.sim.symbol.${s}`, membersUnder: 'gateway.sim.member', member: name, now: Date.now });
      leases.start();
      members.set(name, { leases, freeze });
    };
    const holders = (s: string) => [...members].filter(([, m]) => m.leases.holds(s)).map(([n]) => n);
    const everyOnce = () => SYMBOLS.every((s) => holders(s).length === 1);
    const neverTwo = () => {
      for (const s of SYMBOLS) expect(holders(s).length, `${s} held by ${holders(s).join(', ')}`).toBeLessThanOrEqual(1);
    };
    const watch = (ms: number) =>
      holdsFor(
        () => {
          neverTwo();
          return true;
        },
        ms,
        'one holder per symbol',
        20,
      );

    await join('g1');
    await waitUntil(everyOnce, 3_000, 'g1 holds every symbol');
    await join('g2');
    // The newcomer gets ceil(5/2) or floor: never a symbol with two holders, and every one held again promptly.
    await watch(1_500);
    await waitUntil(() => everyOnce() && members.get('g2')!.leases.heldItems().length >= 2, 3_000, 'g2 has its share');
    expect(members.get('g1')!.leases.heldItems().length).toBeLessThanOrEqual(3);

    const g1Items = members.get('g1')!.leases.heldItems();
    members.get('g1')!.freeze();
    const died = Date.now();
    members.delete('g1'); // it holds nothing once its validity runs out; nobody else may hold its symbols before
    await waitUntil(everyOnce, 5_000, "g2 takes g1's symbols");
    expect(Date.now() - died).toBeLessThan(TTL + 1_500);
    expect(members.get('g2')!.leases.heldItems().sort()).toEqual([...SYMBOLS].sort());
    expect(g1Items.length).toBeGreaterThan(0);
    await members.get('g2')!.leases.stop();
  }, 30_000);
});

describe('StandbyRunner on NATS KV', () => {
  it('one active part at a time; the standby activates after the leader dies, and the dead term’s token is gone first', async () => {
    const deployment = uniquePrefix('standby');
    const log: string[] = [];
    const terms = new Map<string, LeaderTerm>();
    const runner = async (name: string) => {
      const { store, freeze } = await freezable(deployment);
      const r = new StandbyRunner({
        ...timing,
        tickMs: 50,
        store,
        key: leaseKeys.risk(),
        holder: name,
        now: Date.now,
        activate: async (term) => {
          terms.set(name, term);
          log.push(`${name} up`);
          return { stop: async () => void log.push(`${name} down`) };
        },
      });
      r.start();
      return { r, freeze };
    };
    const a = await runner('a');
    await waitUntil(() => a.r.isActive(), 3_000, 'a active');
    const b = await runner('b');
    await holdsFor(() => !b.r.isActive(), 1_000, 'b stays standby while a leads');
    const tokenA = terms.get('a')!.token()!;
    expect(tokenA).toBeGreaterThan(0);
    a.freeze();
    await waitUntil(() => b.r.isActive(), 5_000, 'b takes over');
    // a's term has no token any more (its validity ran out before b could acquire), and a stopped its part.
    expect(terms.get('a')!.token()).toBeUndefined();
    expect(terms.get('b')!.token()!).toBeGreaterThan(tokenA);
    expect(log.indexOf('a down')).toBeGreaterThan(-1);
    expect(log.indexOf('a down')).toBeLessThan(log.indexOf('b up'));
    // A graceful stop hands over at once.
    const c = await runner('c');
    await b.r.stop();
    await waitUntil(() => c.r.isActive(), 1_000, 'c takes over from a resigning b well before the ttl');
    await c.r.stop();
  }, 30_000);
});
