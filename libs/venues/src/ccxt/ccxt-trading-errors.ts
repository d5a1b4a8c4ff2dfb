import { ccxtErrors } from './ccxt-modules.js';

const { BadResponse, BaseError, CancelPending, DDoSProtection, InvalidNonce, NetworkError, OrderNotFound, RateLimitExceeded } = ccxtErrors;

/**
 * What a failed ccxt call tells us about the order it carried:
 * - 'not_found': the venue answered that it has no such (open) order;
 * - 'rejected': the venue answered and refused, or ccxt refused before sending: nothing was placed;
 * - 'unknown': no usable answer (timeout, lost connection, 5xx, unreadable body): the venue may or may not
 *   have acted, so only a query can tell. Never retried blindly.
 */
export type CcxtFailureKind = 'not_found' | 'rejected' | 'unknown';

export interface CcxtFailure {
  kind: CcxtFailureKind;
  reason: string;
}

/** ccxt's class hierarchy decides: ExchangeError and its kin are answers, NetworkError and BadResponse are not. */
export function classifyCcxtError(err: unknown): CcxtFailure {
  const reason = describeError(err);
  if (err instanceof OrderNotFound) return { kind: 'not_found', reason };
  // Rate limits and a stale timestamp are NetworkErrors in ccxt, but the venue refused the request before acting.
  if (err instanceof RateLimitExceeded || err instanceof DDoSProtection || err instanceof InvalidNonce) return { kind: 'rejected', reason };
  if (err instanceof NetworkError || err instanceof BadResponse || err instanceof CancelPending) return { kind: 'unknown', reason };
  // Every other ccxt error (ExchangeError, plain OperationFailed such as Binance's -2020) carries the venue's refusal.
  if (err instanceof BaseError) return { kind: 'rejected', reason };
  // Not ccxt's: we cannot tell whether the request left, so it is a question for queryOrder.
  return { kind: 'unknown', reason };
}

/** Class and message, without query strings (they can carry signatures) and bounded for OrderEvent.reason. */
export function describeError(err: unknown): string {
  const text = err instanceof Error ? `${err.constructor.name}: ${err.message}` : String(err);
  return text.replace(/\?\S*/g, '').slice(0, 300);
}
