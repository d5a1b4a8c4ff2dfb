import type { SimInstrument, SimRejection } from '../../engine/types.js';
import { type BybitApiError, BybitErrors } from './errors.js';

/**
 * An engine refusal in Bybit's words. Refusals Bybit does not answer with an error (a crossing post-only, an
 * unfillable FOK, a market order into an empty book) are handled before this: Bybit accepts those and cancels them.
 */
export function rejectionError(r: SimRejection, inst?: SimInstrument): BybitApiError {
  switch (r.reason) {
    case 'unknown_symbol':
      return BybitErrors.unknownSymbol();
    case 'unknown_account':
      return BybitErrors.invalidKey();
    case 'symbol_halted':
      return BybitErrors.halted();
    case 'invalid_price':
    case 'invalid_price_tick':
      return BybitErrors.params('price invalid');
    case 'invalid_qty':
    case 'invalid_qty_lot':
      return BybitErrors.params('Qty invalid');
    case 'below_min_qty':
      return BybitErrors.params('The number of contracts exceeds minimum limit allowed');
    case 'below_min_notional':
      return BybitErrors.minNotional(inst?.minNotional ?? '0');
    case 'invalid_order':
      return BybitErrors.params('order invalid');
    case 'insufficient_margin':
      return BybitErrors.insufficientBalance();
    case 'reduce_only_violation':
      return BybitErrors.reduceOnly();
    case 'duplicate_client_order_id':
      return BybitErrors.duplicateLinkId();
    case 'order_not_found':
      return BybitErrors.orderNotFound();
    case 'invalid_leverage':
      return BybitErrors.params('buyLeverage invalid');
    case 'amend_no_change':
      return BybitErrors.amendNoChange();
    case 'amend_qty_below_filled':
      return BybitErrors.amendQtyBelowFilled();
    case 'post_only_would_cross':
      // Reached on amend only: a new crossing post-only is accepted and cancelled at once (cancelledAtOnceReason).
      return BybitErrors.amendPostOnlyWouldCross();
    case 'fok_not_fillable':
    case 'no_liquidity':
    case 'account_exists':
      return BybitErrors.internal();
  }
}

/** Bybit's rejectReason for an order it accepted and cancelled at once, or undefined if the refusal is an error. */
export function cancelledAtOnceReason(r: SimRejection): string | undefined {
  switch (r.reason) {
    case 'post_only_would_cross':
      return 'EC_PostOnlyWillTakeLiquidity';
    case 'fok_not_fillable':
      return 'EC_FOKOrderCancelled';
    case 'no_liquidity':
      return 'EC_NoImmediateQtyToFill';
    default:
      return undefined;
  }
}
