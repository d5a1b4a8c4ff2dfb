import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { NatsBus } from '@perpetua/bus';
import { startNats, uniquePrefix, waitUntil, type TestServer } from '@perpetua/testkit';
import { loose, type LooseBus } from './loose-bus.js';

// Two deployments on one NATS account (one server, no auth): each must see only its own fills,
// order events, plain messages and last values, with its own streams and durable consumers.
let server: TestServer;
let admin: NatsConnection;
const buses: NatsBus[] = [];

beforeAll(async () => {
  server = await startNats();
  admin = await connect({ servers: server.url, name: 'deployments-admin' });
});

afterAll(async () => {
  for (const b of buses) await b.close();
  await admin?.close();
  await server?.stop();
});

const Fill = z.object({ id: z.string() });

async function open(deployment: string): Promise<LooseBus<NatsBus>> {
  const bus = await NatsBus.connect({ url: server.url, name: `deployment-${deployment}`, deployment });
  buses.push(bus);
  return loose(bus);
}

describe('deployments sharing one NATS account', () => {
  it('keeps streams, durable consumers, subjects and buckets apart', async () => {
    const a = uniquePrefix('a');
    const b = uniquePrefix('b');
    const [busA, busB] = [await open(a), await open(b)];
    const seenA: string[] = [];
    const seenB: string[] = [];
    const subjectsA: string[] = [];
    // The same consumer name in both, as two copies of the risk service would use.
    await busA.consumeDurable('fills', 'risk-positions', Fill, async (f, meta) => {
      seenA.push(f.id);
      subjectsA.push(meta.subject);
    });
    await busB.consumeDurable('fills', 'risk-positions', Fill, async (f) => {
      seenB.push(f.id);
    });
    const plainA: string[] = [];
    busA.subscribe('fill.>', Fill, (f) => {
      plainA.push(f.id);
    });
    await busA.flush();

    await busA.publishDurable('fills', 'fill.binanceusdm.BTC-PERP', { id: 'a1' }, 'binanceusdm:a1');
    await busB.publishDurable('fills', 'fill.binanceusdm.BTC-PERP', { id: 'b1' }, 'binanceusdm:b1');
    // The same msgId in the other deployment is not a duplicate there: each stream de-duplicates its own.
    expect((await busB.publishDurable('fills', 'fill.binanceusdm.BTC-PERP', { id: 'a1-in-b' }, 'binanceusdm:a1')).duplicate).toBe(false);
    await busA.publishDurable('fills', 'fill.bybit.ETH-PERP', { id: 'a2' }, 'bybit:a2');

    await waitUntil(() => seenA.length === 2 && seenB.length === 2 && plainA.length === 2, 10_000, () => `fills seen: a ${seenA} b ${seenB} plain a ${plainA}`);
    expect(seenA.sort()).toEqual(['a1', 'a2']);
    expect(seenB.sort()).toEqual(['a1-in-b', 'b1']);
    expect(plainA.sort()).toEqual(['a1', 'a2']);
    // Handlers see the subjects the code uses, not the wire's.
    expect(subjectsA.sort()).toEqual(['fill.binanceusdm.BTC-PERP', 'fill.bybit.ETH-PERP']);

    const jsm = await jetstreamManager(admin);
    const streams: string[] = [];
    for await (const name of jsm.streams.names()) streams.push(name);
    expect(streams).toEqual(expect.arrayContaining([`${a}_FILLS`, `${a}_ORDER_EVENTS`, `${b}_FILLS`, `${b}_ORDER_EVENTS`]));
    expect(streams).not.toContain('FILLS');
    expect((await jsm.streams.info(`${a}_FILLS`)).config.subjects).toEqual([`${a}.fill.>`]);
    expect((await jsm.consumers.info(`${a}_FILLS`, `${a}_risk-positions`)).config.durable_name).toBe(`${a}_risk-positions`);
    expect((await jsm.consumers.info(`${b}_FILLS`, `${b}_risk-positions`)).num_pending).toBe(0);

    await busA.putLast('md-last-book', 'binanceusdm.BTC-PERP', { id: 'book-a' });
    expect(await busA.getLast('md-last-book', 'binanceusdm.BTC-PERP', Fill)).toEqual({ id: 'book-a' });
    expect(await busB.getLast('md-last-book', 'binanceusdm.BTC-PERP', Fill)).toBeUndefined();
  });

  it('answers requests only within the deployment', async () => {
    const [busA, busB] = [await open(uniquePrefix('ra')), await open(uniquePrefix('rb'))];
    busA.serve('control.risk.status', z.object({}), () => ({ who: 'a' }));
    busB.serve('control.risk.status', z.object({}), () => ({ who: 'b' }));
    await busA.flush();
    await busB.flush();
    expect(await busA.request('control.risk.status', {}, z.object({ who: z.string() }))).toEqual({ who: 'a' });
    expect(await busB.request('control.risk.status', {}, z.object({ who: z.string() }))).toEqual({ who: 'b' });
  });

  it('refuses a deployment name that cannot be a subject token', async () => {
    await expect(NatsBus.connect({ url: server.url, name: 'x', deployment: 'a.b' })).rejects.toThrow(/invalid deployment name/);
  });
});
