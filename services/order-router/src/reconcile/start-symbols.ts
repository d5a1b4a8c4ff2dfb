/** Most symbols a start run asks about one by one; beyond it the one all-symbol query costs less. */
export const MAX_START_SYMBOLS = 20;

/**
 * Pure: the symbols a start (takeover) run asks the venue about, one open-orders query each, or undefined for
 * one all-symbol query. Per symbol: the symbols the caller knows the account trades (the configured ones, and
 * those a warm standby's stream saw orders in) and those of the orders the previous run persisted. An
 * all-symbol query is heavy on some venues (Binance USD-M weight 40, against 1 with a symbol) and ccxt's limiter
 * then holds every next call ~2 s, the orphans' cancels included. Undefined (the all-symbol query) when no
 * symbols are known or the persisted orders could not be read: then nothing says where earlier orders rest.
 */
export function startSymbols(known: readonly string[] | undefined, persisted: readonly { symbol: string }[] | undefined): string[] | undefined {
  if (known === undefined || known.length === 0 || persisted === undefined) return undefined;
  const out = new Set<string>([...known, ...persisted.map((o) => o.symbol)]);
  return out.size > MAX_START_SYMBOLS ? undefined : [...out];
}
