import { D, dec, toText } from '@perpetua/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ContractSize, ContractSizeError } from '../../src/ccxt/contract-size.js';

const okxBtc = { symbol: 'BTC/USDT:USDT', contract: true, linear: true, inverse: false, contractSize: 0.01 };

describe('ContractSize', () => {
  it('converts an OKX BTC-USDT-SWAP size (0.01 BTC a contract) both ways', () => {
    const cs = ContractSize.of(okxBtc);
    expect(cs.converts).toBe(true);
    expect(cs.toContracts('0.05', '1')).toEqual({ ok: true, contracts: '5' });
    expect(cs.toContracts('0.5', '0.01')).toEqual({ ok: true, contracts: '50' });
    expect(cs.toContracts('0.0001', '0.01')).toEqual({ ok: true, contracts: '0.01' });
    expect(cs.toBase(50)).toBe(0.5);
    expect(cs.toBaseText(0.07)).toBe('0.0007');
    expect(cs.toBaseText(-3)).toBe('-0.03');
    expect(cs.stepInBase('0.01')).toBe('0.0001');
  });

  it('refuses a size that is not a whole contract step, never rounding it', () => {
    const cs = ContractSize.of(okxBtc);
    const r = cs.toContracts('0.055', '1');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/not a whole number of contract steps/);
    expect(cs.toContracts('0.00005', '0.01').ok).toBe(false);
    expect(cs.toContracts('0', '1').ok).toBe(false);
    expect(cs.toContracts('-0.05', '1').ok).toBe(false);
    expect(cs.toContracts('abc', '1').ok).toBe(false);
  });

  it('is the identity where the market trades in base units', () => {
    expect(ContractSize.of({ symbol: 'BTC/USDT:USDT', contract: true, linear: true, contractSize: 1 })).toBe(ContractSize.UNIT);
    expect(ContractSize.of({ symbol: 'BTC/USDT', contract: false })).toBe(ContractSize.UNIT);
    expect(ContractSize.UNIT.toContracts('0.123', '0.001')).toEqual({ ok: true, contracts: '0.123' });
    expect(ContractSize.UNIT.toContracts('0.1234', '0.001').ok).toBe(false);
    expect(ContractSize.UNIT.toBase(0.123)).toBe(0.123);
  });

  it('refuses inverse (coin-margined) contracts and nonsense sizes with a clear error', () => {
    expect(() => ContractSize.of({ symbol: 'BTC/USD:BTC', contract: true, linear: false, inverse: true, contractSize: 100 })).toThrow(ContractSizeError);
    expect(() => ContractSize.of({ symbol: 'BTC/USD:BTC', contract: true, linear: false, inverse: true, contractSize: 100 })).toThrow(/inverse \(coin-margined\)/);
    expect(() => ContractSize.of({ ...okxBtc, contractSize: 0 })).toThrow(ContractSizeError);
    expect(() => ContractSize.of({ ...okxBtc, contractSize: Number.NaN })).toThrow(ContractSizeError);
  });

  // Contract sizes and steps as venues list them: 10^-k and 10^k, and a few non-decimal multiples (Gate's 0.0001, OKX's 0.1, 10, 25).
  const sizeText = fc.constantFrom('0.0001', '0.001', '0.01', '0.1', '1', '10', '25', '100', '0.5', '0.025');
  const stepText = fc.constantFrom('1', '0.1', '0.01', '0.001', '5');

  it('base -> contracts -> base is exact on the contract step (property)', () => {
    fc.assert(
      fc.property(sizeText, stepText, fc.bigInt({ min: 1n, max: 10n ** 9n }), (size, step, n) => {
        const cs = ContractSize.ofText(size);
        // n whole steps, in base units.
        const base = toText(D.mul(D.mul(dec(n), dec(step)), dec(size)));
        const r = cs.toContracts(base, step);
        expect(r).toEqual({ ok: true, contracts: toText(D.mul(dec(n), dec(step))) });
        if (r.ok) {
          expect(cs.baseText(r.contracts)).toBe(base);
          expect(dec(cs.toBaseText(Number(r.contracts)))).toBe(dec(base));
        }
      }),
    );
  });

  it('a size off the contract step is refused, never rounded up (property)', () => {
    fc.assert(
      fc.property(sizeText, stepText, fc.bigInt({ min: 0n, max: 10n ** 9n }), fc.integer({ min: 1, max: 999 }), (size, step, n, part) => {
        const cs = ContractSize.ofText(size);
        const baseStep = D.mul(dec(step), dec(size));
        // n whole steps plus a fraction (part/1000) of one: never a multiple.
        const off = D.add(D.mul(dec(n), baseStep), D.div(D.mul(baseStep, dec(part)), dec(1000), 'down'));
        fc.pre(off % baseStep !== 0n && off > 0n);
        const r = cs.toContracts(toText(off), step);
        expect(r.ok).toBe(false);
      }),
    );
  });
});
