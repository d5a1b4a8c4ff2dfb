/**
 * Bybit v5's error envelope `{retCode, retMsg, result: {}, retExtInfo: {}, time}` and the codes this façade answers
 * with. Bybit sends business errors with HTTP 200 (only unknown paths get 404); codes follow Bybit's v5 "Error Codes"
 * page so ccxt maps each to the exception class it would for the real venue.
 */
export class BybitApiError extends Error {
  override name = 'BybitApiError';
  constructor(
    readonly retCode: number,
    msg: string,
    readonly status: number = 200,
  ) {
    super(msg);
  }
}

const err = (code: number, msg: string, status = 200) => new BybitApiError(code, msg, status);

/** Named constructors, one per Bybit error this façade answers with. */
export const BybitErrors = {
  params: (detail: string) => err(10001, `params error: ${detail}`),
  badJson: () => err(10001, 'Request parameter error.'),
  /** ccxt maps this exact text to BadSymbol (broad match), as Bybit sends it. */
  unknownSymbol: () => err(10001, 'Not supported symbols'),
  category: () => err(10001, 'params error: Illegal category'),
  timestamp: (serverTime: number) =>
    err(10002, `invalid request, please check your server timestamp or recv_window param. req_timestamp out of range, server_timestamp[${serverTime}]`),
  invalidKey: () => err(10003, 'API key is invalid.'),
  badSignature: () => err(10004, 'error sign! origin_string[...]'),
  internal: () => err(10016, 'Server error.', 500),
  notFound: () => err(10017, 'Request path not found or request method is invalid', 404),
  orderNotFound: () => err(110001, 'order not exists or too late to cancel'),
  orderFinished: () => err(110008, 'The order has been filled or cancelled'),
  amendNoChange: () => err(10001, 'params error: The order remains unchanged as the parameters entered match the existing ones.'),
  amendQtyBelowFilled: () => err(10001, 'params error: qty must be greater than the filled qty'),
  /** Not documented for linear: the simulator refuses the amend and the order stays (see venue-defaults). */
  amendPostOnlyWouldCross: () => err(10001, 'params error: PostOnly order will take liquidity'),
  insufficientBalance: () => err(110007, 'ab not enough for new order'),
  reduceOnly: () => err(110017, 'current position is zero, cannot fix reduce-only order qty'),
  leverageNotModified: () => err(110043, 'leverage not modified'),
  duplicateLinkId: () => err(110072, 'OrderLinkedID is duplicate'),
  minNotional: (min: string) => err(110094, `Order does not meet minimum order value ${min}USDT`),
  halted: () => err(110066, 'No trading is allowed at the current time'),
} as const;
