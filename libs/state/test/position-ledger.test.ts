import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { type Decimal, type Fill, D, dec, sideSign, toText } from '@perpetua/core';
import { LedgerError, applyFillToPosition, applyFunding, avgEntryOf, netPnl, unrealizedPnl } from '../src/position-ledger.js';
import { emptyPosition, type Position } from '../src/position.js';
import { ACCOUNT, SYMBOL, VENUE, makeFill, scaled, type FillSpec } from './fill-generator.js';

const flat = () => emptyPosition(VENUE, ACCOUNT, SYMBOL);
let n = 0;
const fill = (side: 'buy' | 'sell', price: string, qty: string, fee = '0', ts = 1): Fill => ({
  ...makeFill(`u${n++}`, { side, ticks: 1, lots: 1, feeUnits: 0 }),
  price,
  qty,
  fee,
  tsReceived: ts,
});
const replay = (fills: Fill[], from: Position = flat()): Position => fills.reduce(applyFillToPosition, from);

describe('applyFillToPosition: worked examples', () => {
  it('opens a long at the fill price', () => {
    const p = replay([fill('buy', '100', '1')]);
    expect(p).toMatchObject({ qty: '1', avgEntry: '100', costBasis: '100', realizedPnl: '0', fills: 1 });
  });

  it('adding moves the average entry, weighted by size', () => {
    const p = replay([fill('buy', '100', '1'), fill('buy', '200', '3')]);
    expect(p).toMatchObject({ qty: '4', avgEntry: '175', costBasis: '700', realizedPnl: '0', fills: 2 });
  });

  it('reducing realizes closed × (exit − avg) and keeps the average', () => {
    const p = replay([fill('buy', '100', '1'), fill('buy', '200', '3'), fill('sell', '300', '2')]);
    expect(p).toMatchObject({ qty: '2', avgEntry: '175', costBasis: '350', realizedPnl: '250' });
  });

  it('closing to flat realizes the rest and resets the entry to 0', () => {
    const p = replay([fill('buy', '100', '1'), fill('buy', '200', '3'), fill('sell', '300', '2'), fill('sell', '150', '2')]);
    expect(p).toMatchObject({ qty: '0', avgEntry: '0', costBasis: '0', realizedPnl: '200', fills: 4 });
  });

  it('shorts: adding averages, buying back below entry is a gain', () => {
    const p = replay([fill('sell', '100', '2'), fill('sell', '130', '1')]);
    expect(p).toMatchObject({ qty: '-3', avgEntry: '110', costBasis: '-330' });
    const q = applyFillToPosition(p, fill('buy', '90', '1'));
    expect(q).toMatchObject({ qty: '-2', avgEntry: '110', costBasis: '-220', realizedPnl: '20' });
  });

  it('crossing long → short realizes the closed part and opens the rest at the fill price', () => {
    const p = replay([fill('buy', '100', '1'), fill('sell', '110', '3')]);
    expect(p).toMatchObject({ qty: '-2', avgEntry: '110', costBasis: '-220', realizedPnl: '10' });
  });

  it('crossing short → long likewise', () => {
    const p = replay([fill('sell', '100', '1.5'), fill('buy', '120', '2')]);
    expect(p).toMatchObject({ qty: '0.5', avgEntry: '120', costBasis: '60', realizedPnl: '-30' });
  });

  it('an average that does not terminate is rounded half-even, and nothing leaks from the books', () => {
    const p = replay([fill('buy', '1', '1'), fill('buy', '2', '2')]);
    expect(p).toMatchObject({ qty: '3', avgEntry: '1.666666666666666667', costBasis: '5' });
    const q = applyFillToPosition(p, fill('sell', '2', '1'));
    // Released cost 5/3 rounds to 1.666666666666666667; realized takes the other side of that rounding.
    expect(q).toMatchObject({ qty: '2', costBasis: '3.333333333333333333', realizedPnl: '0.333333333333333333' });
    const r = applyFillToPosition(q, fill('sell', '2', '2'));
    // Flat: realized is exactly the cash PnL, −1 − 4 + 2 + 4 = 1.
    expect(r).toMatchObject({ qty: '0', avgEntry: '0', costBasis: '0', realizedPnl: '1' });
  });

  it('accumulates fees, rebates negative', () => {
    const p = replay([fill('buy', '100', '1', '0.05'), fill('sell', '101', '1', '-0.0101'), fill('buy', '99', '0.5', '0')]);
    expect(p.fees).toBe('0.0399');
  });

  it('canonicalizes text ("1.50" → "1.5")', () => {
    const p = replay([fill('buy', '100.50', '1.500', '0.0100')]);
    expect(p).toMatchObject({ qty: '1.5', avgEntry: '100.5', costBasis: '150.75', fees: '0.01' });
  });

  it('keeps updatedAt at the latest fill time even when fills arrive out of order', () => {
    expect(replay([fill('buy', '1', '1', '0', 50), fill('buy', '1', '1', '0', 20)]).updatedAt).toBe(50);
  });

  it('does not mutate its input', () => {
    const p = replay([fill('buy', '100', '1')]);
    const before = { ...p };
    applyFillToPosition(p, fill('sell', '120', '3'));
    expect(p).toEqual(before);
  });

  it('refuses a fill for another position', () => {
    expect(() => applyFillToPosition(flat(), { ...fill('buy', '1', '1'), symbol: 'ETH-PERP' })).toThrow(LedgerError);
    expect(() => applyFillToPosition(flat(), { ...fill('buy', '1', '1'), venue: 'other' })).toThrow(LedgerError);
    expect(() => applyFillToPosition(flat(), { ...fill('buy', '1', '1'), account: 'other' })).toThrow(LedgerError);
  });

  it('refuses non-positive prices and sizes', () => {
    expect(() => applyFillToPosition(flat(), fill('buy', '0', '1'))).toThrow(LedgerError);
    expect(() => applyFillToPosition(flat(), fill('buy', '1', '0'))).toThrow(LedgerError);
    expect(() => applyFillToPosition(flat(), fill('buy', '1', '-1'))).toThrow(LedgerError);
    expect(() => applyFillToPosition(flat(), fill('buy', 'abc', '1'))).toThrow();
  });
});

describe('funding and PnL at a mark', () => {
  it('adds funding payments (positive paid) and leaves the rest alone', () => {
    const p = replay([fill('buy', '100', '2')]);
    const q = applyFunding(applyFunding(p, '0.25', 10), '-0.05', 5);
    expect(q).toMatchObject({ funding: '0.2', qty: '2', realizedPnl: '0', fills: 1, updatedAt: 10 });
  });

  it('unrealized is qty × mark − costBasis; net subtracts fees and funding', () => {
    const p = applyFunding(replay([fill('buy', '100', '2', '0.1'), fill('sell', '110', '1', '0.05')]), '0.3');
    expect(p.realizedPnl).toBe('10');
    expect(toText(unrealizedPnl(p, '105'))).toBe('5');
    expect(toText(unrealizedPnl(p, dec('95')))).toBe('-5');
    expect(toText(netPnl(p, '105'))).toBe('14.55');
    const s = replay([fill('sell', '100', '2')]);
    expect(toText(unrealizedPnl(s, '90'))).toBe('20');
    expect(toText(unrealizedPnl(flat(), '90'))).toBe('0');
  });

  it('avgEntryOf is 0 when flat', () => {
    expect(avgEntryOf(dec('0'), dec('0'))).toBe(0n);
    expect(toText(avgEntryOf(dec('-330'), dec('-3')))).toBe('110');
  });
});

// ---- properties: fills on a 0.1 tick and 0.001 lot, so every notional is exact ----

const specArb: fc.Arbitrary<FillSpec> = fc.record({
  side: fc.constantFrom('buy' as const, 'sell' as const),
  ticks: fc.integer({ min: 1, max: 2_000_000 }),
  lots: fc.integer({ min: 1, max: 5_000 }),
  feeUnits: fc.integer({ min: -10_000, max: 10_000 }),
});
const specsArb = fc.array(specArb, { minLength: 1, maxLength: 60 });
const markArb = fc.integer({ min: 1, max: 2_000_000 }).map((t) => scaled(t, 1));
const toFills = (specs: FillSpec[]) => specs.map((s, i) => makeFill(`p${i}`, s, { tsReceived: i }));
const sum = (xs: Decimal[]): Decimal => xs.reduce(D.add, D.ZERO);
const signedQty = (f: Fill): Decimal => (sideSign(f.side) === 1 ? dec(f.qty) : D.neg(dec(f.qty)));

describe('applyFillToPosition: properties', () => {
  it('qty is the signed sum of fills, fees the sum of fees, fills the count', () => {
    fc.assert(
      fc.property(specsArb, (specs) => {
        const fills = toFills(specs);
        const p = replay(fills);
        expect(p.qty).toBe(toText(sum(fills.map(signedQty))));
        expect(p.fees).toBe(toText(sum(fills.map((f) => dec(f.fee)))));
        expect(p.fills).toBe(fills.length);
      }),
    );
  });

  it('realized + unrealized at a mark equals the cash PnL of all fills marked there, exactly', () => {
    fc.assert(
      fc.property(specsArb, markArb, (specs, mark) => {
        const fills = toFills(specs);
        const p = replay(fills);
        const m = dec(mark);
        const cash = sum(fills.map((f) => D.mul(signedQty(f), D.sub(m, dec(f.price)))));
        expect(toText(D.add(dec(p.realizedPnl), unrealizedPnl(p, m)))).toBe(toText(cash));
      }),
    );
  });

  it('qty and fees do not depend on the order of fills', () => {
    fc.assert(
      fc.property(specsArb.chain((s) => fc.tuple(fc.constant(s), fc.shuffledSubarray(s, { minLength: s.length, maxLength: s.length }))), ([a, b]) => {
        const p = replay(toFills(a));
        const q = replay(toFills(b));
        expect(q.qty).toBe(p.qty);
        expect(q.fees).toBe(p.fees);
      }),
    );
  });

  it('when every fill is on one side, avgEntry is the size-weighted VWAP to 18 places and nothing is realized', () => {
    fc.assert(
      fc.property(specsArb, fc.constantFrom('buy' as const, 'sell' as const), (specs, side) => {
        const fills = toFills(specs.map((s) => ({ ...s, side })));
        const p = replay(fills);
        const vwap = D.div(sum(fills.map((f) => D.mul(dec(f.price), dec(f.qty)))), sum(fills.map((f) => dec(f.qty))));
        expect(p.avgEntry).toBe(toText(vwap));
        expect(p.realizedPnl).toBe('0');
      }),
    );
  });

  it('a reducing fill realizes closed × (exit − exact avg entry) × sign, to within half a unit in the 18th place', () => {
    fc.assert(
      fc.property(specsArb, specArb, (specs, last) => {
        const before = replay(toFills(specs));
        const q = dec(before.qty);
        if (q === 0n) return;
        const closing: FillSpec = { ...last, side: q > 0n ? 'sell' : 'buy' };
        const f = makeFill('last', closing);
        const after = applyFillToPosition(before, f);
        const closed = D.min(dec(f.qty), D.abs(q));
        const delta = D.sub(dec(after.realizedPnl), dec(before.realizedPnl));
        // exact: closed·(P − C/Q)·sign(Q) = (sign(Q)·closed·P·|Q| − C·closed) / |Q|, in units of 1e-18
        const absQ = D.abs(q);
        const numerator = BigInt(D.sign(q)) * D.mul(closed, dec(f.price)) * absQ - dec(before.costBasis) * closed;
        const err = delta * absQ - numerator; // both in units of 1e-36 (raw delta × raw |Q|)
        const errAbs = err < 0n ? -err : err;
        expect(errAbs * 2n <= absQ).toBe(true);
      }),
    );
  });

  it('the open position is priced within the range of the fill prices, and flat means entry 0', () => {
    fc.assert(
      fc.property(specsArb, (specs) => {
        const fills = toFills(specs);
        let p = flat();
        for (const f of fills) {
          p = applyFillToPosition(p, f);
          if (p.qty === '0') {
            expect(p.avgEntry).toBe('0');
            expect(p.costBasis).toBe('0');
          } else {
            const prices = fills.map((x) => dec(x.price));
            const avg = dec(p.avgEntry);
            expect(avg >= prices.reduce(D.min)).toBe(true);
            expect(avg <= prices.reduce(D.max)).toBe(true);
            expect(D.sign(dec(p.costBasis))).toBe(D.sign(dec(p.qty)));
          }
        }
      }),
    );
  });

  it('when flat, realized PnL is exactly the cash PnL of the fills', () => {
    fc.assert(
      fc.property(specsArb, (specs) => {
        const fills = toFills(specs);
        const p = replay(fills);
        const closeSide = dec(p.qty) > 0n ? 'sell' : 'buy';
        const closer = dec(p.qty) === 0n ? [] : [{ ...makeFill('close', { side: closeSide, ticks: 1, lots: 1, feeUnits: 0 }), price: '1000', qty: toText(D.abs(dec(p.qty))) }];
        const all = [...fills, ...closer];
        const q = replay(closer, p);
        const cash = sum(all.map((f) => D.neg(D.mul(signedQty(f), dec(f.price)))));
        expect(q.qty).toBe('0');
        expect(q.realizedPnl).toBe(toText(cash));
      }),
    );
  });
});
