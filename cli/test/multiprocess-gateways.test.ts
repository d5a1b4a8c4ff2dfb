import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import { BookMessage, patterns, VenueStatusMessage } from '@perpetua/core';
import { NatsBus } from '@perpetua/bus';
import { startSimulator, type RunningSimulator } from '@perpetua/sim';
import { holdsFor, startNats, type TestServer, waitUntil } from '@perpetua/testkit';
import { spawnUntilReady, type ReadyChild } from './spawn-ready.js';

/**
 * Acceptance for the gateways: one `perpetua service gateway` process per
 * venue (Binance and Bybit through ccxt, StandX and GRVT natively) against the
 * simulator, publishing on a real nats-server. After a minute of live market
 * each venue's published book equals the simulator's true book; gateways
 * started at different times need no coordination, and stopping one changes
 * only its own venue's status.
 */
const Ready = z.object({ event: z.literal('ready'), service: z.literal('gateway'), venue: z.string(), http: z.string() });
const VENUES = ['binanceusdm', 'bybit', 'okx', 'standx', 'grvt'] as const;
const SYMBOLS = ['BTC-PERP', 'ETH-PERP'] as const;
const RUN_MS = Number(process.env['GATEWAY_SOAK_MS'] ?? 60_000);

let nats: TestServer;
let sim: RunningSimulator;
let bus: NatsBus;
const gateways = new Map<string, ReadyChild<z.infer<typeof Ready>>>();
const lastBook = new Map<string, BookMessage>();
const statuses: VenueStatusMessage[] = [];

function gateway(venue: string): Promise<ReadyChild<z.infer<typeof Ready>>> {
  return spawnUntilReady(['service', 'gateway', '--venue', venue], Ready, {
    NATS_URL: nats.url,
    PERPETUA_SIM__ADMIN: sim.ready.admin!,
    PERPETUA_GATEWAY__DEPTH: '20',
    PERPETUA_TELEMETRY__LOG_LEVEL: 'warn',
  });
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  nats = await startNats();
  sim = await startSimulator({ seed: 21 });
  bus = await NatsBus.connect({ url: nats.url, name: 'gateway-acceptance' });
  bus.subscribe(patterns.allBooks, BookMessage, (b) => void lastBook.set(`${b.venue}/${b.symbol}`, b));
  bus.subscribe(patterns.allStatus, VenueStatusMessage, (s) => void statuses.push(s));
}, 60_000);

afterAll(async () => {
  await Promise.all([...gateways.values()].map((g) => g.stop('SIGKILL')));
  await bus?.close();
  await sim?.close();
  await nats?.stop();
});

describe('gateways as separate processes against the simulator', () => {
  it(
    'publish books equal to the venue books after a live run, start independently, and fail alone',
    async () => {
      // Two now, two later: no coordination between them.
      for (const v of ['binanceusdm', 'standx'] as const) gateways.set(v, await gateway(v));
      await waitUntil(() => lastBook.has('binanceusdm/BTC-PERP') && lastBook.has('standx/BTC-PERP'), 30_000, 'first books', 50);
      for (const v of ['bybit', 'okx', 'grvt'] as const) gateways.set(v, await gateway(v));
      await waitUntil(() => VENUES.every((v) => SYMBOLS.every((s) => lastBook.get(`${v}/${s}`)?.stale === false)), 30_000, 'good books from every venue', 50);

      await wait(RUN_MS);

      // Freeze the market and let the last updates through: each published book must equal the venue's own.
      sim.world.stop();
      const equalsVenue = (v: (typeof VENUES)[number], s: (typeof SYMBOLS)[number]): boolean => {
        const published = lastBook.get(`${v}/${s}`)!;
        const truth = sim.world.venue(v).book(s, 20);
        const levels = (side: ReadonlyArray<readonly [string, string]>) => side.map(([p, q]) => [Number(p), Number(q)]);
        return !published.stale && isDeepStrictEqual(published.bids, levels(truth.bids)) && isDeepStrictEqual(published.asks, levels(truth.asks)) && (v !== 'binanceusdm' || published.venueSeq === truth.lastUpdateId);
      };
      const behind = () => VENUES.flatMap((v) => SYMBOLS.filter((s) => !equalsVenue(v, s)).map((s) => `${v} ${s}`));
      await waitUntil(() => behind().length === 0, 10_000, () => `every published book equal to its venue's (not yet: ${behind().join(', ')})`, 50);
      for (const v of VENUES)
        for (const s of SYMBOLS) {
          const published = lastBook.get(`${v}/${s}`)!;
          const truth = sim.world.venue(v).book(s, 20);
          expect(published.stale, `${v} ${s} stale`).toBe(false);
          expect(published.bids, `${v} ${s} bids`).toEqual(truth.bids.map(([p, q]) => [Number(p), Number(q)]));
          expect(published.asks, `${v} ${s} asks`).toEqual(truth.asks.map(([p, q]) => [Number(p), Number(q)]));
          // Binance's diff stream carries the venue's update id: the same sequence, not just the same levels.
          if (v === 'binanceusdm') expect(published.venueSeq).toBe(truth.lastUpdateId);
        }

      // Stopping one gateway changes its venue's status only; the others keep publishing.
      sim.world.start(100);
      const before = statuses.length;
      const seqBefore = new Map(VENUES.map((v) => [v, lastBook.get(`${v}/BTC-PERP`)!.seq]));
      expect(await gateways.get('standx')!.stop('SIGTERM')).toBe(0);
      await waitUntil(() => statuses.slice(before).some((st) => st.venue === 'standx' && st.state === 'down'), 5_000, 'standx down', 50);
      const othersDown = () => statuses.slice(before).filter((st) => st.venue !== 'standx' && st.state === 'down');
      const stillPublishing = () => VENUES.filter((x) => x !== 'standx').every((v) => lastBook.get(`${v}/BTC-PERP`)!.seq > seqBefore.get(v)!);
      // Over the same two seconds: no other venue goes down, and each of the others publishes a new book.
      await Promise.all([
        holdsFor(() => othersDown().length === 0, 2_000, () => `no other venue down (${othersDown().map((st) => st.venue).join(', ')})`),
        waitUntil(stillPublishing, 2_000, 'a new book from every other venue', 50),
      ]);
      const after = statuses.slice(before);
      expect(after.filter((st) => st.venue !== 'standx' && st.state === 'down')).toEqual([]);
      for (const v of VENUES.filter((x) => x !== 'standx')) expect(lastBook.get(`${v}/BTC-PERP`)!.seq, v).toBeGreaterThan(seqBefore.get(v)!);
    },
    RUN_MS + 120_000,
  );
});
