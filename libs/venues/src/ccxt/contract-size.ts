import { D, dec, DecimalError, isDecimalText, toText, type Decimal } from '@perpetua/core';

/**
 * The one place base units meet contracts. Everything above the ccxt adapter (book sizes, orders, fills,
 * positions, an instrument's lot and minimum) is in base units; ccxt's unified `amount` on a contract market is
 * a number of contracts (OKX BTC-USDT-SWAP: one contract is 0.01 BTC). A market that is not a contract, or whose
 * contract is one base unit, converts as the identity.
 */

/** What this needs of a ccxt market. */
export interface ContractMarket {
  symbol: string;
  contract?: boolean;
  linear?: boolean | undefined;
  inverse?: boolean | undefined;
  contractSize?: number | undefined;
}

export class ContractSizeError extends Error {
  override name = 'ContractSizeError';
}

export type ToContracts = { ok: true; contracts: string } | { ok: false; reason: string };

export class ContractSize {
  /** Base units per contract ('1' when the market trades in base units). */
  readonly text: string;
  private readonly size: Decimal;
  /** Whether anything needs converting (size is not 1). */
  readonly converts: boolean;

  private constructor(size: Decimal) {
    this.size = size;
    this.text = toText(size);
    this.converts = size !== D.ONE;
  }

  static readonly UNIT = new ContractSize(D.ONE);

  /**
   * The conversion of a ccxt market. An inverse (coin-margined) contract is refused: its contract is a quote
   * amount (OKX BTC-USD-SWAP: 100 USD), so no fixed base size exists and nothing here can size it.
   */
  static of(m: ContractMarket): ContractSize {
    if (m.contract !== true) return ContractSize.UNIT;
    if (m.inverse === true || m.linear === false)
      throw new ContractSizeError(`${m.symbol}: inverse (coin-margined) contracts are not supported; trade the linear (USDT-margined) perpetual`);
    const cs = m.contractSize;
    if (cs === undefined) return ContractSize.UNIT; // ccxt's convention: a contract market without a size trades in base units
    if (!Number.isFinite(cs) || cs <= 0) throw new ContractSizeError(`${m.symbol}: contract size ${cs} is not a positive number`);
    return ContractSize.ofText(numberText(cs));
  }

  static ofText(text: string): ContractSize {
    if (!isDecimalText(text) || dec(text) <= 0n) throw new ContractSizeError(`contract size ${text} is not a positive decimal`);
    const size = dec(text);
    return size === D.ONE ? ContractSize.UNIT : new ContractSize(size);
  }

  /**
   * Base units as contracts, exact on the venue's contract step (`contractStep`, ccxt's amount precision, in
   * contracts). A size that is not a whole number of steps is refused, never rounded: rounding up would trade
   * more than asked, rounding down silently less.
   */
  toContracts(baseQty: string, contractStep: string): ToContracts {
    if (!isDecimalText(baseQty) || dec(baseQty) <= 0n) return { ok: false, reason: `bad qty ${baseQty}` };
    const step = dec(contractStep);
    if (step <= 0n) return { ok: false, reason: `bad contract step ${contractStep}` };
    const base = dec(baseQty);
    const baseStep = D.mul(step, this.size);
    // mul is exact unless the product needs more than 18 places, which no venue's step does.
    if (baseStep <= 0n || D.div(baseStep, this.size, 'down') !== step)
      return { ok: false, reason: `contract step ${contractStep} x size ${this.text} is not representable` };
    if (base % baseStep !== 0n)
      return {
        ok: false,
        reason: `qty ${baseQty} is not a whole number of contract steps (${contractStep} contract x ${this.text} = ${toText(baseStep)} base)`,
      };
    return { ok: true, contracts: toText(D.div(base, this.size, 'down')) };
  }

  /** Contracts (decimal text) as base units, exact. */
  baseText(contracts: string): string {
    return this.converts ? toText(D.mul(dec(contracts), this.size)) : contracts;
  }

  /** Contracts as ccxt gives them (a number parsed from the venue's decimal text) as base units, exact. */
  toBase(contracts: number): number {
    return this.converts ? Number(this.toBaseText(contracts)) : contracts;
  }

  /** The same as decimal text (what orders, fills and positions carry). */
  toBaseText(contracts: number): string {
    const text = numberText(contracts);
    return this.converts ? toText(D.mul(dec(text), this.size)) : text;
  }

  /** A contract step (lot, minimum) as its size in base units. */
  stepInBase(contractStep: string): string {
    return toText(D.mul(dec(contractStep), this.size));
  }
}

/** Decimal text of a number: its shortest round-trip form (ccxt parsed it from the venue's text). */
function numberText(n: number): string {
  try {
    return toText(dec(n));
  } catch (err) {
    if (!(err instanceof DecimalError)) throw err;
    return toText(dec(n.toFixed(18)));
  }
}
