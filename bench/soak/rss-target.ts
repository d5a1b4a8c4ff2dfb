/** Venues whose adapter is ccxt in the default configuration (the simulator's Binance, Bybit and OKX façades). */
const CCXT_VENUES = new Set(['binanceusdm', 'bybit', 'okx']);

/**
 * The steady RSS target of a stack process by its id (`gateway.bybit`, `risk`, `order-router.binanceusdm#2`), in MB,
 * as issue #26 states them: every service 80 MB, a gateway that loads ccxt 120 MB. The simulator is not a service
 * (it stands in for the venues) and has none.
 */
export function rssTargetMb(processId: string): number | undefined {
  const [group] = processId.split('#');
  const [service, venue] = group!.split('.');
  if (service === 'sim') return undefined;
  if (service === 'gateway' && venue !== undefined && CCXT_VENUES.has(venue)) return 120;
  return 80;
}
