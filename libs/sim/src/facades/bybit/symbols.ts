import { ConcatenatedSymbols } from '../concatenated-symbols.js';

/** Bybit linear symbols: BTC-PERP margined in USDT is BTCUSDT. */
export type BybitSymbols = ConcatenatedSymbols;
export const BybitSymbols = {
  of: (engine: Parameters<typeof ConcatenatedSymbols.of>[0]): BybitSymbols => ConcatenatedSymbols.of(engine, 'bybit'),
};
