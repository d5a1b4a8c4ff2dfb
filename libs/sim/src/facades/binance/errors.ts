/**
 * Binance USD-M's error shape, `{"code":-1121,"msg":"Invalid symbol."}`, with the HTTP status
 * Binance sends it with (400 for request errors, 401 for key errors, 404 for unknown paths).
 * Codes and messages follow Binance's "Error Codes" page for USDⓈ-M futures, so ccxt maps
 * each to the same exception class it would for the real venue.
 */
export interface BinanceErrorBody {
  code: number;
  msg: string;
}

export class BinanceApiError extends Error {
  override name = 'BinanceApiError';
  constructor(
    readonly code: number,
    msg: string,
    readonly status: number = 400,
  ) {
    super(msg);
  }

  body(): BinanceErrorBody {
    return { code: this.code, msg: this.message };
  }
}

const err = (code: number, msg: string, status = 400) => new BinanceApiError(code, msg, status);

/** Named constructors, one per Binance error this façade answers with. */
export const BinanceErrors = {
  unknown: () => err(-1000, 'An unknown error occured while processing the request.', 500),
  tooManyRequests: () => err(-1003, 'Too many requests; please use the websocket for live updates.', 429),
  unsupportedCombination: (detail = 'Unsupported order combination.') => err(-1014, detail),
  timestampAhead: () => err(-1021, "Timestamp for this request was 1000ms ahead of the server's time."),
  timestampOutside: () => err(-1021, 'Timestamp for this request is outside of the recvWindow.'),
  badSignature: () => err(-1022, 'Signature for this request is not valid.'),
  illegalChars: (param: string, range: string) =>
    err(-1100, `Illegal characters found in parameter '${param}'; legal range is '${range}'.`),
  duplicateParam: (param: string) => err(-1101, `Duplicate values for parameter '${param}'.`),
  mandatoryParam: (param: string) => err(-1102, `Mandatory parameter '${param}' was not sent, was empty/null, or malformed.`),
  mandatoryEither: (a: string, b: string) => err(-1102, `Param '${a}' or '${b}' must be sent, but both were empty/null!`),
  paramNotRequired: (param: string) => err(-1106, `Parameter '${param}' sent when not required.`),
  badPrecision: () => err(-1111, 'Precision is over the maximum defined for this asset.'),
  invalidTimeInForce: () => err(-1115, 'Invalid timeInForce.'),
  invalidOrderType: () => err(-1116, 'Invalid orderType.'),
  invalidSide: () => err(-1117, 'Invalid side.'),
  invalidSymbol: () => err(-1121, 'Invalid symbol.'),
  invalidSymbolStatus: () => err(-1122, 'Invalid symbol status.'),
  invalidListenKey: () => err(-1125, 'This listenKey does not exist.'),
  invalidParam: (param: string) => err(-1130, `Data sent for parameter '${param}' is not valid.`),
  recvWindowTooLarge: () => err(-1131, 'recvWindow must be less than 60000'),
  cancelRejected: () => err(-2011, 'Unknown order sent.'),
  noSuchOrder: () => err(-2013, 'Order does not exist.'),
  badApiKeyFormat: () => err(-2014, 'API-key format invalid.', 401),
  rejectedApiKey: () => err(-2015, 'Invalid API-key, IP, or permissions for action.', 401),
  marginInsufficient: () => err(-2019, 'Margin is insufficient.'),
  unableToFill: () => err(-2020, 'Unable to fill.'),
  reduceOnlyRejected: () => err(-2022, 'ReduceOnly Order is rejected.'),
  priceLessThanZero: () => err(-4001, 'Price less than 0.'),
  qtyLessThanZero: () => err(-4003, 'Quantity less than or equal to zero.'),
  qtyBelowMin: () => err(-4004, 'Quantity less than min quantity.'),
  priceNotOnTick: () => err(-4014, 'Price not increased by tick size.'),
  clientOrderIdInvalid: () => err(-4015, 'Client order id is not valid.'),
  qtyNotOnStep: () => err(-4023, 'Quantity not increased by step size.'),
  invalidLeverage: (leverage: string) => err(-4028, `Leverage ${leverage} is not valid`),
  noNeedToChangeMarginType: () => err(-4046, 'No need to change margin type.'),
  noNeedToChangePositionSide: () => err(-4059, 'No need to change position side.'),
  positionSideMismatch: () => err(-4061, "Order's position side does not match user's setting."),
  duplicateClientOrderId: () => err(-4116, 'ClientOrderId is duplicated.'),
  minNotional: (minNotional: string) =>
    err(-4164, `Order's notional must be no smaller than ${minNotional} (unless you choose reduce only).`),
  fokRejected: () =>
    err(
      -5021,
      'Due to the order could not be filled immediately, the FOK order has been rejected. The order will not be recorded in the order history',
    ),
  postOnlyRejected: () =>
    err(
      -5022,
      'Due to the order could not be executed as maker, the Post Only order will be rejected. The order will not be recorded in the order history',
    ),
  amendSymbolNotTrading: () => err(-5024, 'Symbol is not in trading status. Order amendment is not permitted.'),
  amendLimitOnly: () => err(-5025, 'Only limit order is supported.'),
  amendNoChange: () => err(-5027, 'No need to modify the order.'),
  /** Not a documented code of its own: Binance cancels such an order; -1014 is its closest refusal (InvalidOrder). */
  amendQtyNotAboveExecuted: () => err(-1014, 'Quantity must be greater than executed quantity.'),
  invalidPath: (path: string, method: string) => err(-5000, `Path ${path}, Method ${method} is invalid`, 404),
} as const;
