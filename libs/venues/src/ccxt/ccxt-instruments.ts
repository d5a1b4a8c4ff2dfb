import { perpOf, Instrument, SymbolMap } from '@perpetua/core';
import type { Exchange, Market } from 'ccxt';
import { ContractSize, ContractSizeError } from './contract-size.js';

export interface CcxtInstrumentOptions {
  venue: string;
  /** Settlement currency of the perps to list (USDT by default). */
  settle: string;
  /** Fee overrides (fractions); ccxt's defaults otherwise. */
  makerFee?: number;
  takerFee?: number;
}

/** Decimal text of a ccxt precision value, whichever precision mode the exchange uses. */
function stepText(ex: Exchange, value: number | undefined, what: string, symbol: string): string {
  if (value === undefined || !Number.isFinite(value) || value <= 0) throw new Error(`${ex.id}: market ${symbol} has no ${what}`);
  // DECIMAL_PLACES (2) gives a count of decimals; TICK_SIZE (4) the step itself.
  const step = ex.precisionMode === 2 ? 10 ** -value : value;
  // toPrecision(12) drops binary noise (0.1 stays 0.1); Number() then String() removes trailing zeros.
  const text = String(Number(step.toPrecision(12)));
  return text.includes('e') ? step.toFixed(20).replace(/0+$/, '') : text;
}

/** How one venue symbol's sizes convert: base units per contract, and the venue's size step in contracts. */
export interface ContractSpec {
  size: ContractSize;
  /** ccxt's amount precision as a step, in contracts (or base units where the size is 1). */
  step: string;
}

export interface CcxtInstrumentSet {
  instruments: Instrument[];
  symbols: SymbolMap;
  /** By venue symbol (ccxt's unified symbol). */
  contracts: Map<string, ContractSpec>;
}

/**
 * Linear perpetual swaps of one settlement currency, as our instruments (lot and minimum in base units), plus the
 * symbol map and each symbol's contract conversion. Inverse (coin-margined) swaps of that currency are refused.
 */
export function ccxtInstruments(ex: Exchange, opts: CcxtInstrumentOptions): CcxtInstrumentSet {
  const symbols = new SymbolMap(opts.venue);
  const instruments: Instrument[] = [];
  const contracts = new Map<string, ContractSpec>();
  for (const m of Object.values(ex.markets ?? {}) as Market[]) {
    if (!m || !m.swap || m.settle !== opts.settle || m.active === false) continue;
    if (m.inverse === true)
      throw new ContractSizeError(`${ex.id}: ${m.symbol} settles in ${opts.settle}: inverse (coin-margined) contracts are not supported; configure a linear settlement currency (USDT)`);
    if (!m.linear) continue;
    const canonical = perpOf(String(m.base));
    if (symbols.canonicals().includes(canonical)) continue; // one perp per base: the first listed
    const size = ContractSize.of(m);
    const step = stepText(ex, m.precision?.amount, 'amount precision', m.symbol);
    const min = m.limits?.amount?.min ? String(Number(m.limits.amount.min.toPrecision(12))) : step;
    // Our lot and minimum are base units: the venue's contract step and minimum times the contract size.
    const lot = size.stepInBase(step);
    instruments.push(
      Instrument.parse({
        venue: opts.venue,
        symbol: canonical,
        venueSymbol: m.symbol,
        base: m.base,
        quote: m.quote,
        tickSize: stepText(ex, m.precision?.price, 'price precision', m.symbol),
        lotSize: lot,
        minQty: size.stepInBase(min),
        contractSize: size.text,
        makerFee: opts.makerFee ?? m.maker ?? 0.0002,
        takerFee: opts.takerFee ?? m.taker ?? 0.0005,
      }),
    );
    symbols.add(canonical, m.symbol);
    contracts.set(m.symbol, { size, step });
  }
  return { instruments, symbols, contracts };
}
