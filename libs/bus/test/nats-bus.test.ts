import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { connect, nanos, type NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { NatsBus, type NatsBusOptions } from '@perpetua/bus';
import { startNats, uniquePrefix, type TestServer, waitUntil } from '@perpetua/testkit';
import { runBusContract } from './bus-contract.js';
import { startTcpProxy } from './tcp-proxy.js';
import { loose, type LooseBus } from './loose-bus.js';

// One nats-server for this file. Each test's bus gets its own stream and bucket
// prefix and its streams are deleted afterwards: streams capture the real
// subjects (fill.>, order.event.*), so only one set may exist at a time.
let server: TestServer;
let admin: NatsConnection;

beforeAll(async () => {
  server = await startNats();
  admin = await connect({ servers: server.url, name: 'contract-admin' });
});

afterAll(async () => {
  await admin?.close();
  await server?.stop();
});

runBusContract('NatsBus', async (options) => {
  const prefix = `${uniquePrefix('c')}_`;
  const bus = await NatsBus.connect({ url: server.url, name: 'contract', streamPrefix: prefix, bucketPrefix: prefix, ...options });
  return {
    bus,
    publishRaw: async (subject, data) => {
      admin.publish(subject, data);
      await admin.flush();
    },
    cleanup: async () => {
      await bus.close();
      const jsm = await jetstreamManager(admin);
      for await (const name of jsm.streams.names()) if (name.startsWith(prefix) || name.startsWith(`KV_${prefix}`)) await jsm.streams.delete(name);
    },
  };
});

// The same contract with a deployment name: every subject, stream, consumer and bucket scoped.
runBusContract('NatsBus with a deployment', async (options) => {
  const deployment = uniquePrefix('dep');
  const bus = await NatsBus.connect({ url: server.url, name: 'contract-deployment', deployment, ...options });
  return {
    bus,
    publishRaw: async (subject, data) => {
      admin.publish(`${deployment}.${subject}`, data);
      await admin.flush();
    },
    cleanup: async () => {
      await bus.close();
      const jsm = await jetstreamManager(admin);
      for await (const name of jsm.streams.names()) if (name.startsWith(`${deployment}_`) || name.startsWith(`KV_${deployment}_`)) await jsm.streams.delete(name);
    },
  };
});

describe('NatsBus on JetStream', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function deleteStreams(prefix: string): Promise<void> {
    const jsm = await jetstreamManager(admin);
    for await (const name of jsm.streams.names()) if (name.startsWith(prefix) || name.startsWith(`KV_${prefix}`)) await jsm.streams.delete(name);
  }

  async function openBus(options: Partial<NatsBusOptions> & { streamPrefix: string }): Promise<LooseBus<NatsBus>> {
    const bus = await NatsBus.connect({ url: server.url, name: 'js-test', bucketPrefix: options.streamPrefix, ...options });
    cleanups.push(() => bus.close());
    return loose(bus);
  }

  it('creates the streams under the prefix on the real subjects, and updates the window on reconnect', async () => {
    const prefix = `${uniquePrefix('s')}_`;
    cleanups.push(() => deleteStreams(prefix));
    await openBus({ streamPrefix: prefix, duplicateWindowMs: 60_000 });
    const jsm = await jetstreamManager(admin);
    const fills = await jsm.streams.info(`${prefix}FILLS`);
    const events = await jsm.streams.info(`${prefix}ORDER_EVENTS`);
    expect(fills.config.subjects).toEqual(['fill.>']);
    expect(events.config.subjects).toEqual(['order.event.*']);
    expect(fills.config.duplicate_window).toBe(nanos(60_000));

    // A second service connecting with another window updates it; both keep working.
    const other = await openBus({ streamPrefix: prefix, duplicateWindowMs: 120_000 });
    expect((await jsm.streams.info(`${prefix}FILLS`)).config.duplicate_window).toBe(nanos(120_000));
    expect((await other.publishDurable('fills', 'fill.w.BTC-PERP', { n: 1 }, 'w1')).duplicate).toBe(false);
  });

  it('defaults the de-duplication window to two hours', async () => {
    const prefix = `${uniquePrefix('d')}_`;
    cleanups.push(() => deleteStreams(prefix));
    await openBus({ streamPrefix: prefix });
    const jsm = await jetstreamManager(admin);
    expect((await jsm.streams.info(`${prefix}ORDER_EVENTS`)).config.duplicate_window).toBe(nanos(2 * 60 * 60 * 1000));
  });

  it('explains why a second prefix cannot share the server', async () => {
    const prefix = `${uniquePrefix('a')}_`;
    cleanups.push(() => deleteStreams(prefix));
    await openBus({ streamPrefix: prefix });
    await expect(NatsBus.connect({ url: server.url, name: 'js-test', streamPrefix: `${uniquePrefix('b')}_` })).rejects.toThrow(/cannot set up JetStream stream .*FILLS on fill\.>: .*overlap/);
  });

  it('refuses a prefix that cannot be part of a stream or bucket name', async () => {
    await expect(NatsBus.connect({ url: server.url, name: 'x', streamPrefix: 'a.b' })).rejects.toThrow(/invalid streamPrefix/);
    await expect(NatsBus.connect({ url: server.url, name: 'x', bucketPrefix: 'a b' })).rejects.toThrow(/invalid bucketPrefix/);
  });

  it('survives a dropped connection: durable consumers resume and subscriptions come back', async () => {
    const prefix = `${uniquePrefix('r')}_`;
    cleanups.push(() => deleteStreams(prefix));
    const proxy = await startTcpProxy(server.url);
    cleanups.push(() => proxy.close());
    const publisher = await openBus({ streamPrefix: prefix });
    const bus = await openBus({ streamPrefix: prefix, url: proxy.url, reconnectTimeWaitMs: 50 });

    const durable: number[] = [];
    const plain: number[] = [];
    await bus.consumeDurable('fills', 'survivor', Num, async (m) => void durable.push(m.n));
    bus.subscribe('live.x', Num, (m) => void plain.push(m.n));
    await bus.flush();
    await publisher.publishDurable('fills', 'fill.rc.BTC-PERP', { n: 1 }, 'rc1');
    await waitUntil(() => durable.length === 1, 3_000, 'the first fill', 5);

    proxy.dropAll();
    // Stored while the consumer is cut off: delivered after it reconnects.
    await publisher.publishDurable('fills', 'fill.rc.BTC-PERP', { n: 2 }, 'rc2');
    // A liveness property, not a latency. If the server hands the fill to the pull of the connection being dropped,
    // it is redelivered after the consumer's ack wait (10 s): the bound exceeds that, with room for a busy machine.
    await waitUntil(() => durable.length === 2, 30_000, 'the fill stored during the outage', 5);
    // Core pub/sub is at most once: keep publishing until the resubscription is in place.
    // Bounded in time, not in tries: on a busy machine the resubscription has taken over 10 s.
    let n = 0;
    await waitUntil(() => (publisher.publish('live.x', { n: n++ }), plain.length > 0), 30_000, 'the subscription to come back', 20);
    expect(durable).toEqual([1, 2]);
    expect(proxy.accepted).toBeGreaterThanOrEqual(2); // it really reconnected
  }, 90_000);
});

const Num = z.object({ n: z.number() });
