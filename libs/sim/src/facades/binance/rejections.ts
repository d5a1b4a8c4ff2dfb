import type { SimInstrument, SimRejection } from '../../engine/types.js';
import { BinanceApiError, BinanceErrors } from './errors.js';

/**
 * An engine refusal in Binance's words. `context` picks between codes that depend on the
 * call: an unknown order is -2011 on cancel and -2013 on query.
 */
export function rejectionError(r: SimRejection, context: 'place' | 'cancel' | 'query' | 'leverage' | 'amend', inst?: SimInstrument, leverage?: string): BinanceApiError {
  switch (r.reason) {
    case 'unknown_symbol':
      return BinanceErrors.invalidSymbol();
    case 'unknown_account':
      return BinanceErrors.rejectedApiKey();
    case 'symbol_halted':
      return context === 'amend' ? BinanceErrors.amendSymbolNotTrading() : BinanceErrors.invalidSymbolStatus();
    case 'invalid_price':
      return BinanceErrors.priceLessThanZero();
    case 'invalid_price_tick':
      return BinanceErrors.priceNotOnTick();
    case 'invalid_qty':
      return BinanceErrors.qtyLessThanZero();
    case 'invalid_qty_lot':
      return BinanceErrors.qtyNotOnStep();
    case 'below_min_qty':
      return BinanceErrors.qtyBelowMin();
    case 'below_min_notional':
      return BinanceErrors.minNotional(inst?.minNotional ?? '0');
    case 'invalid_order':
      return context === 'amend' ? BinanceErrors.amendLimitOnly() : BinanceErrors.unsupportedCombination();
    case 'post_only_would_cross':
      return BinanceErrors.postOnlyRejected();
    case 'insufficient_margin':
      return BinanceErrors.marginInsufficient();
    case 'reduce_only_violation':
      return BinanceErrors.reduceOnlyRejected();
    case 'duplicate_client_order_id':
      return BinanceErrors.duplicateClientOrderId();
    case 'fok_not_fillable':
      return BinanceErrors.fokRejected();
    case 'no_liquidity':
      return BinanceErrors.unableToFill();
    case 'order_not_found':
      return context === 'cancel' ? BinanceErrors.cancelRejected() : BinanceErrors.noSuchOrder();
    case 'invalid_leverage':
      return BinanceErrors.invalidLeverage(leverage ?? '?');
    case 'account_exists':
      return BinanceErrors.unknown();
    case 'amend_no_change':
      return BinanceErrors.amendNoChange();
    case 'amend_qty_below_filled':
      return BinanceErrors.amendQtyNotAboveExecuted();
  }
}
