import type { TradingAdapter, TradingHandlers } from '@perpetua/venues';

/**
 * A trading adapter started ahead, for a hot-standby router: connected and
 * authenticated while standing by (a ccxt adapter takes seconds to start), so
 * a takeover only reconciles. Until a router starts it, its events go nowhere
 * — the leader of the moment has its own — and the new leader reads what it
 * missed from the venue when it reconciles. `start` hands the events to the
 * router; `detach` takes them back from a router that did not start.
 */
export interface WarmTradingAdapter extends TradingAdapter {
  detach(): void;
  /**
   * The symbols of the orders and fills its stream delivered while no router had it (the leader's, seen from
   * the standby): where a takeover's reconcile looks for orders to cancel besides the configured symbols.
   */
  symbolsSeen(): string[];
}

/** Symbols remembered from the stream while standing by (a venue account trades a handful). */
const MAX_SYMBOLS_SEEN = 100;

export interface WarmOptions {
  now: () => number;
  /**
   * While standing by, read the account's recent fills this often: an adapter learns the client ids of the
   * orders behind them (ccxt: one order lookup each), which the reconcile of a takeover would otherwise wait for.
   */
  refreshEveryMs?: number;
  /** How far back each read goes: the router's reconcile re-reads as far (its watermark margin, 60 s). */
  refreshWindowMs?: number;
  /**
   * The symbols whose fills are read (with those seen on the stream): the ones a takeover's reconcile reads. Absent:
   * every symbol of the adapter — on Binance hundreds of weight-5 calls, which would hold ccxt's limiter for minutes.
   */
  symbols?: () => readonly string[];
}

export async function startWarmTradingAdapter(adapter: TradingAdapter, o: WarmOptions): Promise<WarmTradingAdapter> {
  let target: TradingHandlers | undefined;
  let closed = false;
  let refreshing = false;
  const seen = new Set<string>();
  const standingBy = (symbol: string): void => {
    if (seen.size < MAX_SYMBOLS_SEEN) seen.add(symbol);
  };
  await adapter.start({
    onOrderEvent: (e) => (target ? target.onOrderEvent(e) : standingBy(e.symbol)),
    onFill: (f) => (target ? target.onFill(f) : standingBy(f.symbol)),
  });
  const refresh = () => {
    if (target || closed || refreshing || !adapter.fillsSince) return;
    refreshing = true;
    const symbols = o.symbols ? [...new Set([...o.symbols(), ...seen])] : undefined;
    adapter
      .fillsSince(o.now() - (o.refreshWindowMs ?? 60_000), symbols)
      .catch(() => undefined) // only warming: the takeover reads the fills for real
      .finally(() => (refreshing = false));
  };
  const timer = setInterval(refresh, o.refreshEveryMs ?? 5_000);
  timer.unref();
  refresh();
  return new Proxy(adapter, {
    get(a, prop, receiver) {
      if (prop === 'start') return async (handlers: TradingHandlers) => void (target = handlers);
      if (prop === 'detach') return () => void (target = undefined);
      if (prop === 'symbolsSeen') return () => [...seen];
      if (prop === 'close')
        return async () => {
          closed = true;
          clearInterval(timer);
          await a.close();
        };
      const v: unknown = Reflect.get(a, prop, receiver);
      return typeof v === 'function' ? (v as (...args: unknown[]) => unknown).bind(a) : v;
    },
  }) as WarmTradingAdapter;
}
