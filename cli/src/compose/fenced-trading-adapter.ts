import type { AmendChange, TradingAdapter } from '@perpetua/venues';

/** A venue call refused because this router is not (or no longer) the leader of its venue account. */
export class NotLeaderError extends Error {
  override name = 'NotLeaderError';
}

/**
 * The trading adapter of a router that leads by a lease: every call that
 * changes the venue (place, amend, cancel) first checks that this router's
 * term still holds a token — the lease is held and within its validity, which
 * ends before anyone else can acquire it — and refuses otherwise. Reads pass.
 * The venue cannot check a token, so this check, before each call, is the fence.
 */
export function fencedTradingAdapter(adapter: TradingAdapter, token: () => number | undefined, onRefused?: (call: string) => void): TradingAdapter {
  const guard = (call: string): void => {
    if (token() !== undefined) return;
    onRefused?.(call);
    throw new NotLeaderError(`${adapter.venue}/${adapter.account}: ${call} refused, this router is not the leader`);
  };
  const fenced: TradingAdapter = {
    venue: adapter.venue,
    account: adapter.account,
    instruments: () => adapter.instruments(),
    start: (handlers) => adapter.start(handlers),
    placeOrder: async (request) => {
      guard('place');
      return adapter.placeOrder(request);
    },
    cancelOrder: async (symbol, clientOrderId) => {
      guard('cancel');
      return adapter.cancelOrder(symbol, clientOrderId);
    },
    cancelAll: async (symbol) => {
      guard('cancel_all');
      return adapter.cancelAll(symbol);
    },
    openOrders: (symbol) => adapter.openOrders(symbol),
    queryOrder: (symbol, clientOrderId) => adapter.queryOrder(symbol, clientOrderId),
    positions: () => adapter.positions(),
    fundingPayments: (sinceMs, symbols) => adapter.fundingPayments(sinceMs, symbols),
    close: () => adapter.close(),
  };
  const amend = adapter.amendOrder?.bind(adapter);
  if (amend)
    fenced.amendOrder = async (symbol: string, clientOrderId: string, change: AmendChange) => {
      guard('amend');
      return amend(symbol, clientOrderId, change);
    };
  if (adapter.fillsSince) fenced.fillsSince = adapter.fillsSince.bind(adapter);
  if (adapter.balance) fenced.balance = adapter.balance.bind(adapter);
  return fenced;
}
