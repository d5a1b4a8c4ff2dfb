import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { D, dec, type BookLevel, type Decimal } from '@perpetua/core';
import { constantLatency, feeTier, FillSimulator, logProbability, powerProbability, powerProbability3, probabilisticQueue, riskAverseQueue, type QueueModel, type SimEvent } from '../src/index.js';

const LOT = dec('0.01');

/** A random market around our bid at 100: depth changes at 100 and 99, trades at or through 100, a touch that sometimes crosses. */
const marketEvent = fc.oneof(
  fc.record({ kind: fc.constant('book' as const), at100: fc.integer({ min: 0, max: 500 }).map((n) => n / 10), ask: fc.constantFrom(100.5, 101, 100) }),
  fc.record({ kind: fc.constant('trade' as const), price: fc.constantFrom(100, 100, 100, 99.5, 100.5), size: fc.integer({ min: 1, max: 300 }).map((n) => n / 100), side: fc.constantFrom('buy' as const, 'sell' as const) }),
);

type MarketEvent = { kind: 'book'; at100: number; ask: number } | { kind: 'trade'; price: number; size: number; side: 'buy' | 'sell' };

function run(model: QueueModel, startDepth: number, qtyLots: number, stream: readonly MarketEvent[]) {
  const cumulative: Decimal[] = [];
  let filled = D.ZERO;
  const sim = new FillSimulator({
    lotSize: LOT,
    queue: model,
    fees: feeTier('t', '0', '0'),
    latency: constantLatency({ entryMs: 0 }),
    onEvent: (e: SimEvent) => {
      if (e.kind === 'fill') filled = D.add(filled, e.qty);
    },
  });
  const levels = (at100: number, ask: number): [BookLevel[], BookLevel[]] => [
    [[100, at100], [99, 20]],
    [[ask, 5]],
  ];
  sim.onBook(...levels(startDepth, 101), 0);
  sim.submit({ clientOrderId: 'us', side: 'buy', price: dec(100), qty: (BigInt(qtyLots) * LOT) as Decimal, tif: 'post_only' }, 0);
  sim.advance(0);
  let t = 1;
  for (const e of stream) {
    if (e.kind === 'book') sim.onBook(...levels(e.at100, e.ask), t);
    else sim.onTrade(e.price, e.size, e.side, t);
    cumulative.push(filled);
    t++;
  }
  return { cumulative, filled };
}

const models: QueueModel[] = [probabilisticQueue(powerProbability(2)), probabilisticQueue(powerProbability3(3)), probabilisticQueue(logProbability)];

describe('fill model properties', () => {
  it('fills never exceed the order, whatever the stream and the model', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 1, max: 500 }), fc.array(marketEvent, { maxLength: 80 }), (depth, lots, stream) => {
        for (const m of [riskAverseQueue, ...models]) {
          const { filled } = run(m, depth, lots, stream);
          expect(filled <= (BigInt(lots) * LOT)).toBe(true);
          expect(filled % LOT).toBe(0n);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a risk-averse queue never fills earlier (or more) than a probabilistic one on the same stream', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 1, max: 500 }), fc.array(marketEvent, { maxLength: 80 }), (depth, lots, stream) => {
        const averse = run(riskAverseQueue, depth, lots, stream).cumulative;
        for (const m of models) {
          const prob = run(m, depth, lots, stream).cumulative;
          averse.forEach((a, i) => expect(a <= prob[i]!).toBe(true));
        }
      }),
      { numRuns: 300 },
    );
  });
});
