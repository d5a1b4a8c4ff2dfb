import { perpOf, Instrument, SymbolMap } from '@perpetua/core';
import type { Exchange, Market } from 'ccxt';

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

/** Linear perpetual swaps of one settlement currency, as our instruments, plus the symbol map. */
export function ccxtInstruments(ex: Exchange, opts: CcxtInstrumentOptions): { instruments: Instrument[]; symbols: SymbolMap } {
  const symbols = new SymbolMap(opts.venue);
  const instruments: Instrument[] = [];
  for (const m of Object.values(ex.markets ?? {}) as Market[]) {
    if (!m || !m.swap || !m.linear || m.settle !== opts.settle || m.active === false) continue;
    const canonical = perpOf(String(m.base));
    if (symbols.canonicals().includes(canonical)) continue; // one perp per base: the first listed
    const lot = stepText(ex, m.precision?.amount, 'amount precision', m.symbol);
    instruments.push(
      Instrument.parse({
        venue: opts.venue,
        symbol: canonical,
        venueSymbol: m.symbol,
        base: m.base,
        quote: m.quote,
        tickSize: stepText(ex, m.precision?.price, 'price precision', m.symbol),
        lotSize: lot,
        minQty: m.limits?.amount?.min ? String(m.limits.amount.min) : lot,
        contractSize: String(m.contractSize ?? 1),
        makerFee: opts.makerFee ?? m.maker ?? 0.0002,
        takerFee: opts.takerFee ?? m.taker ?? 0.0005,
      }),
    );
    symbols.add(canonical, m.symbol);
  }
  return { instruments, symbols };
}
