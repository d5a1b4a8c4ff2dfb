/** Public and private topic names of Bybit v5 that the façade serves. */
export type PublicTopic =
  | { kind: 'orderbook'; depth: number; venueSymbol: string }
  | { kind: 'publicTrade'; venueSymbol: string }
  | { kind: 'tickers'; venueSymbol: string };

export type PrivateTopic = 'order' | 'execution' | 'position' | 'wallet';

/** Depths of the linear `orderbook.<depth>.<symbol>` topic. */
export const BOOK_DEPTHS = [1, 50, 200, 500] as const;

export function parsePublicTopic(name: string): PublicTopic | undefined {
  const parts = name.split('.');
  if (parts[0] === 'orderbook' && parts.length === 3) {
    const depth = Number(parts[1]);
    if (!(BOOK_DEPTHS as readonly number[]).includes(depth)) return undefined;
    return { kind: 'orderbook', depth, venueSymbol: parts[2] as string };
  }
  if ((parts[0] === 'publicTrade' || parts[0] === 'tickers') && parts.length === 2) return { kind: parts[0], venueSymbol: parts[1] as string };
  return undefined;
}

/** `order` and the categorised `order.linear` (likewise for execution, position) name the same linear stream. */
export function parsePrivateTopic(name: string): PrivateTopic | undefined {
  const [base, category, ...rest] = name.split('.');
  if (rest.length > 0 || (category !== undefined && category !== 'linear')) return undefined;
  if (base === 'order' || base === 'execution' || base === 'position') return base;
  if (base === 'wallet' && category === undefined) return 'wallet';
  return undefined;
}
