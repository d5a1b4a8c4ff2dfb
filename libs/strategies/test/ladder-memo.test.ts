import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CachedSnapper, dec, type Instrument, type Side, type WantedQuote } from '@perpetua/core';
import { LadderMemo } from '../src/runtime/ladder-memo.js';
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
const HYGIENE = { order_levels: 2, order_level_spread: 10, order_level_amount: 0.005, minimum_spread: 1 };
const SNAPPER = new CachedSnapper(INSTRUMENT);

/** A call's varying inputs, drawn from few values so that consecutive calls often repeat. */
const step = fc.record({
  bid: fc.option(fc.constantFrom(99_990.04, 99_990.06, 99_980), { nil: undefined }),
  ask: fc.option(fc.constantFrom(100_010.04, 100_010.06), { nil: undefined }),
  size: fc.constantFrom(0.01, 0.0105),
  position: fc.constantFrom('0', '0.5', '-0.99', '1'),
  best: fc.constantFrom(0, 0.2),
  off: fc.constantFrom<Side[]>([], ['buy'], ['sell'], ['buy', 'sell']),
  renamed: fc.boolean(),
});

describe('ladder memo', () => {
  it('answers what quoteLadder answers for every call of a sequence, reusing the last answer only when the input repeats (property)', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 60 }), (steps) => {
        const memo = new LadderMemo();
        let version = 0;
        const renamed = new Set<string>();
        const slotName = (side: Side, level: number) => {
          const base = `${side === 'buy' ? 'bid' : 'ask'}-${level}`;
          return renamed.has(base) ? `${base}-r` : base;
        };
        let last: WantedQuote[] | undefined;
        let lastKey = '';
        for (const s of steps) {
          if (s.renamed) {
            if (renamed.has('bid-0')) renamed.delete('bid-0');
            else renamed.add('bid-0');
            version++;
          }
          const mid = 100_000 + s.best;
          const input: LadderInput = {
            levelZero: { ...(s.bid !== undefined ? { bid: { price: s.bid, size: s.size } } : {}), ...(s.ask !== undefined ? { ask: { price: s.ask, size: s.size } } : {}) },
            hygiene: HYGIENE,
            instrument: INSTRUMENT,
            snapper: SNAPPER,
            position: dec(s.position),
            maxPosition: dec('1'),
            mid,
            bestBid: mid - 0.1,
            bestAsk: mid + 0.1,
            sidesOff: new Set(s.off),
            slotName,
          };
          const got = memo.ladder(input, version);
          expect(got).toEqual(quoteLadder(input));
          const key = JSON.stringify({ ...s, renamed: undefined, version });
          if (key === lastKey) expect(got).toBe(last);
          last = got;
          lastKey = key;
        }
      }),
    );
  });
});
