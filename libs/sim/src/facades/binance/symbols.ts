import { ConcatenatedSymbols } from '../concatenated-symbols.js';

/** Binance USD-M symbols: BTC-PERP margined in USDT is BTCUSDT. */
export type BinanceSymbols = ConcatenatedSymbols;
export const BinanceSymbols = {
  of: (engine: Parameters<typeof ConcatenatedSymbols.of>[0]): BinanceSymbols => ConcatenatedSymbols.of(engine, 'binance'),
};
