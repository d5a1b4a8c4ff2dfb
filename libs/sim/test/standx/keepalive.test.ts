/**
 * StandX's keepalive on the market stream: the server sends WebSocket pings; a client
 * that answers with pongs stays connected, one that does not gets StandX's 408 notice
 * and is dropped. Periods are shortened (StandX: ping 10 s, timeout 5 min).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.js';
import { StreamClient } from './stream-client.js';
import { DepthBook, PongTimeoutNotice } from './wire-shapes.js';

// Generous against event-loop stalls on a loaded machine: a pong must be processed within the timeout.
const PING_MS = 50;
const PONG_TIMEOUT_MS = 1_000;

describe('StandX façade: server pings and pong handling', () => {
  let h: Harness | undefined;
  const clients: StreamClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await h?.close();
    h = undefined;
  });

  it('keeps a client that answers pings and drops a silent one with the 408 notice', async () => {
    h = await startHarness({ seed: 41, facade: { pingIntervalMs: PING_MS, pongTimeoutMs: PONG_TIMEOUT_MS } });
    const answering = await StreamClient.connect(h.facade.wsUrl);
    const silent = await StreamClient.connect(h.facade.wsUrl, { autoPong: false });
    clients.push(answering, silent);
    answering.send({ subscribe: { channel: 'depth_book', symbol: 'BTC-USD' } });
    silent.send({ subscribe: { channel: 'depth_book', symbol: 'BTC-USD' } });

    const dropped = await Promise.race([
      silent.closed,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('silent client was not dropped')), 5_000)),
    ]);
    expect(dropped.code).toBe(1006); // terminated, as StandX does after its notice
    expect(silent.pings).toBeGreaterThan(0);
    expect(silent.others.map((o) => PongTimeoutNotice.safeParse(o).success)).toContain(true);

    // Well past the timeout, the answering client is still connected and still served.
    await new Promise((r) => setTimeout(r, PONG_TIMEOUT_MS));
    expect(answering.open).toBe(true);
    expect(answering.pings).toBeGreaterThan(3);
    expect(answering.others).toEqual([]);
    expect(h.facade.wsClientCount).toBe(1);
    const from = answering.messages.length;
    h.world.step();
    DepthBook.parse((await answering.waitFor((m) => m.channel === 'depth_book', 'snapshot after the drop', 3_000, from)).data);
  });

  it('keeps a client that never answers pings but pings the server itself, as StandX docs allow', async () => {
    h = await startHarness({ seed: 42, facade: { pingIntervalMs: PING_MS, pongTimeoutMs: PONG_TIMEOUT_MS } });
    const pinger = await StreamClient.connect(h.facade.wsUrl, { autoPong: false });
    clients.push(pinger);
    const timer = setInterval(() => pinger.ping(), PING_MS);
    try {
      await new Promise((r) => setTimeout(r, 2.5 * PONG_TIMEOUT_MS));
    } finally {
      clearInterval(timer);
    }
    expect(pinger.open).toBe(true);
    expect(pinger.pings).toBeGreaterThan(5);
    expect(pinger.others).toEqual([]);
  });
});
