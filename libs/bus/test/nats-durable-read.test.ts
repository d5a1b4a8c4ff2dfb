import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { Fill, deploymentNames, subjects } from '@perpetua/core';
import { DEFAULT_FILLS_MAX_MESSAGES, DEFAULT_ORDER_EVENTS_MAX_AGE_MS, NatsBus, ORDER_EVENTS_MAX_MESSAGES } from '@perpetua/bus';
import { startNats, uniquePrefix, type TestServer } from '@perpetua/testkit';

// FILLS kept for a rebuild (no age limit, a byte bound) and read back from its first message.
let server: TestServer;
let admin: NatsConnection;

beforeAll(async () => {
  server = await startNats();
  admin = await connect({ servers: server.url, name: 'durable-read-admin' });
});

afterAll(async () => {
  await admin?.close();
  await server?.stop();
});

const fill = (n: number): Fill => ({
  fillId: `f${n}`, venue: 'v1', account: 'a', symbol: 'BTC-PERP', clientOrderId: `c${n}`, side: n % 2 ? 'buy' : 'sell',
  price: '100', qty: '1', fee: '0', liquidity: 'maker', tsExchange: n, tsReceived: n,
});

describe('NatsBus: the FILLS stream as a rebuild reads it', () => {
  it('keeps fills with no age limit under a count bound, the configured one once a process says so', async () => {
    const deployment = uniquePrefix('r');
    const bus = await NatsBus.connect({ url: server.url, name: 'read-test', deployment });
    const jsm = await jetstreamManager(admin);
    const name = deploymentNames(deployment).stream('FILLS');
    const info = await jsm.streams.info(name);
    expect(info.config.max_age).toBe(0);
    expect(info.config.max_msgs).toBe(DEFAULT_FILLS_MAX_MESSAGES);
    expect(info.config.max_bytes).toBe(-1); // a byte limit would reserve storage on the server
    expect((await bus.durableStreamState('fills')).maxMessages).toBe(DEFAULT_FILLS_MAX_MESSAGES);
    await bus.close();
    const bounded = await NatsBus.connect({ url: server.url, name: 'read-test', deployment, fillsMaxMessages: 5000 });
    expect((await jsm.streams.info(name)).config.max_msgs).toBe(5000);
    await bounded.close();
    await expect(NatsBus.connect({ url: server.url, name: 'read-test', deployment, fillsMaxMessages: 10 })).rejects.toThrow(/fillsMaxMessages/);
  });

  it('bounds ORDER_EVENTS (an audit trail) by age and count, the configured age once a process says so', async () => {
    const deployment = uniquePrefix('r');
    const bus = await NatsBus.connect({ url: server.url, name: 'read-test', deployment });
    const jsm = await jetstreamManager(admin);
    const name = deploymentNames(deployment).stream('ORDER_EVENTS');
    const info = await jsm.streams.info(name);
    expect(info.config.max_age).toBe(DEFAULT_ORDER_EVENTS_MAX_AGE_MS * 1_000_000);
    expect(info.config.max_msgs).toBe(ORDER_EVENTS_MAX_MESSAGES);
    await bus.close();
    const day = 24 * 60 * 60 * 1000;
    const shorter = await NatsBus.connect({ url: server.url, name: 'read-test', deployment, orderEventsMaxAgeMs: day });
    expect((await jsm.streams.info(name)).config.max_age).toBe(day * 1_000_000);
    await shorter.close();
    // Shorter than the 2 h de-duplication window: JetStream would refuse the stream; we say why first.
    await expect(NatsBus.connect({ url: server.url, name: 'read-test', deployment, orderEventsMaxAgeMs: 60 * 60 * 1000 })).rejects.toThrow(/orderEventsMaxAgeMs/);
  });

  it('reads every stored fill in stream order, counts what fails the schema, and leaves no consumer behind', async () => {
    const deployment = uniquePrefix('r');
    const bus = await NatsBus.connect({ url: server.url, name: 'read-test', deployment });
    const empty = await bus.readDurable('fills', Fill, async () => {
      throw new Error('nothing to read');
    });
    expect(empty).toMatchObject({ read: 0, invalid: 0, state: { messages: 0, lastSeq: 0 } });

    for (let n = 1; n <= 600; n++) await bus.publishDurable('fills', subjects.fill('v1', 'BTC-PERP'), fill(n), `v1:f${n}`);
    // Not a fill by the schema, yet on a fill subject: stored, skipped by the read.
    await bus.publishDurable('fills', subjects.fill('v1', 'BTC-PERP'), { ...fill(601), price: 'x' } as unknown as Fill, 'v1:bad');
    const seen: Array<[string, number]> = [];
    let started = 0;
    const r = await bus.readDurable('fills', Fill, async (f, m) => void seen.push([f.fillId, m.streamSeq]), { onStart: (s) => (started = s.lastSeq) });
    expect(started).toBe(601);
    expect(r).toMatchObject({ read: 600, invalid: 1, state: { firstSeq: 1, lastSeq: 601, messages: 601 } });
    expect(seen).toEqual(Array.from({ length: 600 }, (_, i) => [`f${i + 1}`, i + 1]));

    // A handler that throws ends the read with its error.
    await expect(bus.readDurable('fills', Fill, async (f) => {
      if (f.fillId === 'f3') throw new Error('refused f3');
    })).rejects.toThrow('refused f3');
    const jsm = await jetstreamManager(admin);
    const consumers = await jsm.consumers.list(deploymentNames(deployment).stream('FILLS')).next();
    expect(consumers.filter((c) => c.config.durable_name !== undefined)).toEqual([]);
    await bus.close();
  });
});
