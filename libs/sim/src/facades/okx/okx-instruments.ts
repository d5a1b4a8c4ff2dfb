import { D, dec, toText } from '@perpetua/core';
import type { SimInstrument, VenueEngine } from '../../engine/types.js';

/**
 * OKX's contract value (ctVal, base units per contract) of the linear swaps the façade lists, as OKX sets them
 * (BTC-USDT-SWAP 0.01 BTC, ETH-USDT-SWAP 0.1 ETH); other assets trade one base unit per contract.
 */
const CONTRACT_VALUES: Readonly<Record<string, string>> = { BTC: '0.01', ETH: '0.1' };

/** One listed swap: the engine's instrument (base units) and its OKX face (contracts). */
export interface OkxInstrument {
  instId: string;
  inst: SimInstrument;
  ctVal: string;
  /** Contract steps: lotSz and minSz in contracts, tickSz as the engine's tick. */
  lotSz: string;
  minSz: string;
}

export class OkxSizeError extends Error {}

/**
 * The façade's instruments, named as OKX names linear swaps (BTC-PERP margined in USDT is BTC-USDT-SWAP), and the
 * one place the façade converts between the wire's contracts and the engine's base units, exactly.
 */
export class OkxInstruments {
  private readonly byInstId = new Map<string, OkxInstrument>();
  private readonly bySymbol = new Map<string, OkxInstrument>();

  constructor(instruments: readonly SimInstrument[]) {
    for (const inst of instruments) {
      const ctVal = CONTRACT_VALUES[inst.asset] ?? '1';
      const lotSz = exactDiv(inst.lotSize, ctVal);
      const minSz = exactDiv(inst.minQty, ctVal);
      if (lotSz === undefined || minSz === undefined) throw new Error(`okx façade: ${inst.symbol} lot ${inst.lotSize} is not a whole step of ctVal ${ctVal}`);
      const o: OkxInstrument = { instId: `${inst.asset}-${inst.quote}-SWAP`, inst, ctVal, lotSz, minSz };
      this.byInstId.set(o.instId, o);
      this.bySymbol.set(inst.symbol, o);
    }
  }

  static of(engine: VenueEngine): OkxInstruments {
    return new OkxInstruments(engine.instruments());
  }

  get(instId: string): OkxInstrument | undefined {
    return this.byInstId.get(instId);
  }

  ofSymbol(symbol: string): OkxInstrument {
    const o = this.bySymbol.get(symbol);
    if (!o) throw new Error(`okx façade: no instrument for ${symbol}`);
    return o;
  }

  all(): OkxInstrument[] {
    return [...this.byInstId.values()];
  }
}

/** A wire size (contracts) as engine base units; undefined when it is not a decimal. */
export function toBase(o: OkxInstrument, contracts: string): string | undefined {
  try {
    return toText(D.mul(dec(contracts), dec(o.ctVal)));
  } catch {
    return undefined;
  }
}

/** Engine base units as wire contracts (exact: every engine size is a whole lot, a whole contract step). */
export function toContracts(o: OkxInstrument, base: string): string {
  const c = exactDiv(base, o.ctVal);
  if (c === undefined) throw new OkxSizeError(`okx façade: ${base} ${o.inst.asset} is not a whole number of contract steps`);
  return c;
}

function exactDiv(a: string, b: string): string | undefined {
  const q = D.div(dec(a), dec(b), 'down');
  return D.mul(q, dec(b)) === dec(a) ? toText(q) : undefined;
}
