import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { dec, toText, add, sub, mul, div, roundToStep, divInt, DecimalError } from '../src/decimal.js';

describe('decimal', () => {
  it('parses and prints canonically', () => {
    expect(toText(dec('1.50'))).toBe('1.5');
    expect(toText(dec('-0.000001'))).toBe('-0.000001');
    expect(toText(dec('0'))).toBe('0');
    expect(toText(dec(0.1))).toBe('0.1');
    expect(toText(dec('1e-8'))).toBe('0.00000001');
    expect(toText(dec('12345678901234567890.5'))).toBe('12345678901234567890.5');
  });

  it('rejects what is not a decimal', () => {
    for (const bad of ['', 'abc', '1.2.3', 'NaN', '1e999', '0.0000000000000000001']) expect(() => dec(bad)).toThrow(DecimalError);
    expect(() => dec(Number.NaN)).toThrow(DecimalError);
    expect(() => dec(Infinity)).toThrow(DecimalError);
  });

  it('adds 0.1 + 0.2 exactly', () => {
    expect(toText(add(dec('0.1'), dec('0.2')))).toBe('0.3');
  });

  it('multiplies prices by sizes exactly', () => {
    expect(toText(mul(dec('100123.45'), dec('0.003')))).toBe('300.37035');
  });

  it('divides with half-even rounding at 18 places', () => {
    expect(toText(div(dec('1'), dec('3')))).toBe('0.333333333333333333');
    expect(toText(div(dec('2'), dec('3')))).toBe('0.666666666666666667');
  });

  it('rounds integers by every rule', () => {
    expect(divInt(7n, 2n, 'down')).toBe(3n);
    expect(divInt(-7n, 2n, 'down')).toBe(-3n);
    expect(divInt(7n, 2n, 'up')).toBe(4n);
    expect(divInt(-7n, 2n, 'up')).toBe(-4n);
    expect(divInt(-7n, 2n, 'floor')).toBe(-4n);
    expect(divInt(-7n, 2n, 'ceil')).toBe(-3n);
    expect(divInt(5n, 2n, 'half-even')).toBe(2n);
    expect(divInt(7n, 2n, 'half-even')).toBe(4n);
    expect(divInt(-5n, 2n, 'half-even')).toBe(-2n);
  });

  it('round-trips any text it prints (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), (raw) => {
        const d = raw as ReturnType<typeof dec>;
        expect(dec(toText(d))).toBe(d);
      }),
    );
  });

  it('gives the same values when a text or value comes again, past the memo filling up and starting over', () => {
    // The first pass fills and clears the memo (4,096 entries); the second reads what it holds or parses anew.
    const texts = Array.from({ length: 10_000 }, (_, i) => `${(i * 7919) % 100_003}.${i % 1000}`);
    const first = texts.map((t) => dec(t));
    const printed = first.map((d) => toText(d));
    for (let pass = 0; pass < 2; pass++) {
      texts.forEach((t, i) => {
        expect(dec(t)).toBe(first[i]);
        expect(dec(` ${t} `)).toBe(first[i]);
        expect(toText(first[i]!)).toBe(printed[i]);
      });
    }
    expect(() => dec('1.2.3')).toThrow(DecimalError); // a bad text is never remembered as good
    expect(() => dec('1.2.3')).toThrow(DecimalError);
  });

  it('add and sub are inverse (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), (a, b) => {
        const x = a as ReturnType<typeof dec>;
        const y = b as ReturnType<typeof dec>;
        expect(sub(add(x, y), y)).toBe(x);
      }),
    );
  });

  it('roundToStep lands on a multiple within one step (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 24n }), fc.bigInt({ min: 1n, max: 10n ** 20n }), (v, s) => {
        const value = v as ReturnType<typeof dec>;
        const step = s as ReturnType<typeof dec>;
        const down = roundToStep(value, step, 'floor');
        const up = roundToStep(value, step, 'ceil');
        expect(down % step).toBe(0n);
        expect(up % step).toBe(0n);
        expect(down <= value && value <= up).toBe(true);
        expect(up - down <= step).toBe(true);
      }),
    );
  });
});
