import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { D, dec, type Instrument, type Side } from '@perpetua/core';
import { quoteLadder, type LadderInput } from '../src/runtime/quote-ladder.js';

const INSTRUMENT: Instrument = {
  venue: 'sim',
  symbol: 'BTC-PERP',
  venueSymbol: 'BTCUSDT',
  base: 'BTC',
  quote: 'USDT',
  tickSize: '0.1',
  lotSize: '0.001',
  minQty: '0.002',
  contractSize: '1',
  minNotional: '100',
  makerFee: 0,
  takerFee: 0,
};

const slotName = (side: Side, level: number) => `${side === 'buy' ? 'bid' : 'ask'}-${level}`;
const input = (over: Partial<LadderInput> = {}): LadderInput => ({
  levelZero: { bid: { price: 99_900.05, size: 0.01 }, ask: { price: 100_100.05, size: 0.01 } },
  hygiene: { order_levels: 1, order_level_spread: 10, order_level_amount: 0, minimum_spread: 0 },
  instrument: INSTRUMENT,
  position: D.ZERO,
  maxPosition: dec('1'),
  mid: 100_000,
  bestBid: 99_999.9,
  bestAsk: 100_000.1,
  sidesOff: new Set(),
  slotName,
  ...over,
});

describe('quote ladder', () => {
  it('snaps prices passive (bid down, ask up) and sizes down to the lot', () => {
    const out = quoteLadder(input({ levelZero: { bid: { price: 99_900.09, size: 0.0109 }, ask: { price: 100_100.01, size: 0.0109 } } }));
    expect(out).toEqual([
      { slot: 'bid-0', side: 'buy', price: '99900', qty: '0.01', postOnly: true },
      { slot: 'ask-0', side: 'sell', price: '100100.1', qty: '0.01', postOnly: true },
    ]);
  });

  it("a side's limit (a model's band edge) holds every level: an outer level beyond it sits at it", () => {
    const out = quoteLadder(
      input({
        levelZero: { bid: { price: 99_900.05, size: 0.01, limit: 99_850 }, ask: { price: 100_100.05, size: 0.01, limit: 100_250 } },
        hygiene: { order_levels: 3, order_level_spread: 10, order_level_amount: 0, minimum_spread: 0 },
      }),
    );
    expect(out.map((q) => `${q.slot}@${q.price}`)).toEqual(['bid-0@99900', 'bid-1@99850', 'bid-2@99850', 'ask-0@100100.1', 'ask-1@100200.2', 'ask-2@100250']);
  });

  it('expands levels: each order_level_spread bps further out and order_level_amount bigger', () => {
    const out = quoteLadder(input({ hygiene: { order_levels: 3, order_level_spread: 10, order_level_amount: 0.005, minimum_spread: 0 } }));
    // bid level i: 99900.05·(1 − i·0.001) → 99900.0, 99800.1 (99800.14995 floored), 99700.2 (99700.2499 floored)
    expect(out.filter((q) => q.side === 'buy').map((q) => [q.slot, q.price, q.qty])).toEqual([
      ['bid-0', '99900', '0.01'],
      ['bid-1', '99800.1', '0.015'],
      ['bid-2', '99700.2', '0.02'],
    ]);
    // ask level i: 100100.05·(1 + i·0.001) → 100100.1, 100200.2 (100200.15005 ceiled), 100300.3 (100300.2501 ceiled)
    expect(out.filter((q) => q.side === 'sell').map((q) => [q.slot, q.price, q.qty])).toEqual([
      ['ask-0', '100100.1', '0.01'],
      ['ask-1', '100200.2', '0.015'],
      ['ask-2', '100300.3', '0.02'],
    ]);
  });

  it('never quotes below the venue minimum size or notional', () => {
    expect(quoteLadder(input({ levelZero: { bid: { price: 99_900, size: 0.0019 } } }))).toEqual([]); // below minQty 0.002
    expect(quoteLadder(input({ levelZero: { bid: { price: 40_000, size: 0.002 } } }))).toEqual([]); // 80 < minNotional 100
    expect(quoteLadder(input({ levelZero: { bid: { price: 60_000, size: 0.002 } } }))).toHaveLength(1); // 120
  });

  it('keeps a quote off the other side of the book', () => {
    const out = quoteLadder(input({ levelZero: { bid: { price: 100_000.5, size: 0.01 }, ask: { price: 99_999.5, size: 0.01 } } }));
    expect(out.map((q) => q.price)).toEqual(['100000', '100000']);
  });

  it('drops levels inside the minimum spread', () => {
    const out = quoteLadder(input({ hygiene: { order_levels: 2, order_level_spread: 10, order_level_amount: 0, minimum_spread: 15 } }));
    // level 0 is 10 bps from the mid: dropped; level 1 is 20 bps: kept.
    expect(out.map((q) => q.slot)).toEqual(['bid-1', 'ask-1']);
  });

  it('quotes no side that is cooling down', () => {
    expect(quoteLadder(input({ sidesOff: new Set<Side>(['buy']) })).map((q) => q.side)).toEqual(['sell']);
  });

  it('caps a side at the room left to max_position, flooring to the lot', () => {
    const out = quoteLadder(input({ position: dec('0.995'), hygiene: { order_levels: 3, order_level_spread: 10, order_level_amount: 0, minimum_spread: 0 } }));
    // Bids: room 0.005 → one bid of 0.005; asks: room 1.995 → three asks of 0.01.
    expect(out.filter((q) => q.side === 'buy').map((q) => q.qty)).toEqual(['0.005']);
    expect(out.filter((q) => q.side === 'sell')).toHaveLength(3);
    // Beyond the limit already: no bids at all.
    expect(quoteLadder(input({ position: dec('1.2') })).map((q) => q.side)).toEqual(['sell']);
  });

  it('property: no wanted set can take |position| past max_position, even if every same-side quote filled', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -3_000, max: 3_000 }),
        fc.integer({ min: 1, max: 2_000 }),
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 2, max: 800 }),
        fc.integer({ min: 0, max: 300 }),
        (posLots, maxLots, levels, sizeLots, stepLots) => {
          const position = dec(posLots) / 1000n as typeof D.ZERO;
          const maxPosition = dec(maxLots) / 1000n as typeof D.ZERO;
          const out = quoteLadder(
            input({
              position,
              maxPosition,
              levelZero: { bid: { price: 99_000, size: sizeLots / 1000 }, ask: { price: 101_000, size: sizeLots / 1000 } },
              hygiene: { order_levels: levels, order_level_spread: 5, order_level_amount: stepLots / 1000, minimum_spread: 0 },
            }),
          );
          const sum = (s: Side) => out.filter((q) => q.side === s).reduce((a, q) => D.add(a, dec(q.qty)), D.ZERO);
          const bound = D.max(D.abs(position), maxPosition);
          expect(D.abs(D.add(position, sum('buy')))).toBeLessThanOrEqual(bound);
          expect(D.abs(D.sub(position, sum('sell')))).toBeLessThanOrEqual(bound);
          // And it never becomes worse on the side already past the limit.
          if (position >= maxPosition) expect(sum('buy')).toBe(D.ZERO);
          if (position <= -maxPosition) expect(sum('sell')).toBe(D.ZERO);
          for (const q of out) expect(dec(q.qty)).toBeGreaterThanOrEqual(dec(INSTRUMENT.minQty));
        },
      ),
    );
  });

  it('property: bids below asks, every price on the tick', () => {
    fc.assert(
      fc.property(fc.double({ min: 1_000, max: 1e6, noNaN: true }), fc.double({ min: 0.5, max: 500, noNaN: true }), fc.integer({ min: 1, max: 5 }), (mid, bps, levels) => {
        const out = quoteLadder(
          input({
            mid,
            bestBid: mid - 0.1,
            bestAsk: mid + 0.1,
            levelZero: { bid: { price: mid * (1 - bps / 1e4), size: 0.01 }, ask: { price: mid * (1 + bps / 1e4), size: 0.01 } },
            hygiene: { order_levels: levels, order_level_spread: 3, order_level_amount: 0, minimum_spread: 0 },
          }),
        );
        const bids = out.filter((q) => q.side === 'buy').map((q) => Number(q.price));
        const asks = out.filter((q) => q.side === 'sell').map((q) => Number(q.price));
        if (bids.length && asks.length) expect(Math.max(...bids)).toBeLessThan(Math.min(...asks));
        for (const q of out) expect(dec(q.price) % dec('0.1')).toBe(0n);
      }),
    );
  });
});
