/**
 * GRVT's error shape and the codes the façade answers with (from GRVT's API docs, "Error Codes" tables).
 * REST: HTTP status + `{ code, message, status }`. JSON-RPC over WS: `{ jsonrpc, error: { code, message }, id, method }`.
 */

export const GRVT_ERRORS = {
  UNAUTHENTICATED: { code: 1000, status: 401, message: 'You need to authenticate prior to using this functionality' },
  UNAUTHORIZED: { code: 1001, status: 403, message: 'You are not authorized to access this functionality' },
  INTERNAL: { code: 1002, status: 500, message: 'Internal Server Error' },
  MALFORMED: { code: 1003, status: 400, message: 'Request could not be processed due to malformed syntax' },
  NOT_FOUND: { code: 1004, status: 404, message: 'Data Not Found' },
  FEED_FORMAT: { code: 1101, status: 400, message: 'Feed Format must be in the format of <primary>@<secondary>' },
  PRIMARY_SELECTORS: { code: 1102, status: 400, message: 'Wrong number of primary selectors' },
  SECONDARY_SELECTORS: { code: 1103, status: 400, message: 'Wrong number of secondary selectors' },
  INVALID_CHAIN_ID: { code: 1012, status: 400, message: 'Invalid signature chain ID' },
  UNAUTHORIZED_SIGNER: { code: 2000, status: 403, message: 'Signature is from an unauthorized signer' },
  SIGNATURE_EXPIRED: { code: 2001, status: 403, message: 'Signature has expired' },
  SIGNATURE_MISMATCH: { code: 2002, status: 403, message: 'Signature does not match payload' },
  SUB_ACCOUNT_MISMATCH: { code: 2003, status: 403, message: 'Order sub account does not match logged in user' },
  SIGNATURE_V: { code: 2005, status: 403, message: 'Signature V must be 27/28' },
  SIGNATURE_RS: { code: 2006, status: 403, message: 'Signature R/S must have exactly 64 characters long without 0x prefix' },
  SIGNATURE_LOW_S: { code: 2007, status: 403, message: 'Signature S must be in the lower half of the curve' },
  SIGNATURE_DURATION: { code: 2008, status: 403, message: 'Signature exceeds maximum allowed duration.' },
  ORDER_ID_SET: { code: 2010, status: 400, message: 'Order ID should be empty when creating an order' },
  CLIENT_ORDER_ID_MISSING: { code: 2011, status: 400, message: 'Client Order ID should be supplied when creating an order' },
  CLIENT_ORDER_ID_OVERLAP: { code: 2012, status: 400, message: 'Client Order ID overlaps with existing active order' },
  MARKET_WITH_PRICE: { code: 2020, status: 400, message: 'Market Order must always be supplied without a limit price' },
  LIMIT_WITHOUT_PRICE: { code: 2021, status: 400, message: 'Limit Order must always be supplied with a limit price' },
  TIME_IN_FORCE: { code: 2030, status: 400, message: 'Orderbook Orders must have a TimeInForce of GTT/IOC/FOK' },
  POST_ONLY_TIF: { code: 2032, status: 400, message: 'Post Only can only be set to true for GTT/AON orders' },
  NO_LEGS: { code: 2040, status: 400, message: 'Order must contain at least one leg' },
  MULTI_LEG: { code: 2042, status: 400, message: 'Orderbook Orders must contain only one leg' },
  STATE_SET: { code: 2050, status: 400, message: 'Order state must be empty upon creation' },
  INACTIVE_INSTRUMENT: { code: 2060, status: 400, message: 'Order Legs contain one or more inactive derivative' },
  UNSUPPORTED_INSTRUMENT: { code: 2061, status: 400, message: 'Unsupported Instrument Requested' },
  BELOW_MIN_SIZE: { code: 2062, status: 400, message: 'Order size smaller than min size' },
  PRICE_TICK: { code: 2064, status: 400, message: 'Invalid limit price tick' },
  SIZE_GRANULAR: { code: 2065, status: 400, message: 'Order size too granular' },
  BELOW_MIN_NOTIONAL: { code: 2066, status: 400, message: 'Order below minimum notional. Please try again with a higher price or size.' },
  INSUFFICIENT_MARGIN: { code: 2080, status: 400, message: 'Insufficient margin to create order' },
  REDUCE_ONLY_NO_POSITION: { code: 2400, status: 400, message: 'Reduce only order with no position' },
  REDUCE_ONLY_INCREASE: { code: 2401, status: 400, message: 'Reduce only order must not increase position size' },
  ORDER_REF_MISSING: { code: 3021, status: 400, message: 'Either order ID or client order ID must be supplied' },
  INSTRUMENT_INVALID: { code: 3000, status: 400, message: 'Instrument is invalid' },
  FEED_RATE: { code: 3030, status: 400, message: 'Feed rate is invalid' },
  DEPTH_INVALID: { code: 3031, status: 400, message: 'Depth is invalid' },
  COUNTDOWN_TOO_LONG: { code: 6000, status: 400, message: 'Countdown time is bigger than 300s supported' },
} as const satisfies Record<string, { code: number; status: number; message: string }>;

export type GrvtErrorKey = keyof typeof GRVT_ERRORS;

/** Thrown by handlers; the router turns it into GRVT's error shape. `detail` is appended to the message. */
export class GrvtApiError extends Error {
  override name = 'GrvtApiError';
  readonly code: number;
  readonly status: number;

  constructor(key: GrvtErrorKey, detail?: string) {
    const e = GRVT_ERRORS[key];
    super(detail ? `${e.message}: ${detail}` : e.message);
    this.code = e.code;
    this.status = e.status;
  }
}

export interface GrvtRestErrorBody {
  code: number;
  message: string;
  status: number;
}

export const restErrorBody = (err: GrvtApiError): GrvtRestErrorBody => ({
  code: err.code,
  message: err.message,
  status: err.status,
});
