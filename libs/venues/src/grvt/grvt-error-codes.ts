/**
 * The GRVT error codes the adapter acts on or names, from the "Error Codes" tables of GRVT's trading API docs
 * (api-docs.grvt.io, trading_api: create_order, cancel_order, ...). Codes and HTTP statuses as documented; the hint
 * says what to check, since these reach a person's log.
 */
export interface GrvtErrorCode {
  name: string;
  httpStatus: number;
  /** GRVT's description. */
  message: string;
  /** What to do about it. */
  hint?: string;
}

export const GRVT_ERROR_CODES: ReadonlyMap<number, GrvtErrorCode> = new Map<number, GrvtErrorCode>([
  [1000, { name: 'UNAUTHENTICATED', httpStatus: 401, message: 'You need to authenticate prior to using this functionality' }],
  [1006, { name: 'RATE_LIMITED', httpStatus: 429, message: 'You have surpassed the allocated rate limit for your tier', hint: 'backing off' }],
  [
    1008,
    {
      name: 'IP_NOT_WHITELISTED',
      httpStatus: 401,
      message: 'Your IP has not been whitelisted for access',
      hint: "add this machine's public IP to the API key's whitelist on GRVT, then restart",
    },
  ],
  [2000, { name: 'UNAUTHORIZED_SIGNER', httpStatus: 403, message: 'Signature is from an unauthorized signer', hint: 'the signer key is not the one the API key is tagged to' }],
  [2001, { name: 'SIGNATURE_EXPIRED', httpStatus: 403, message: 'Signature has expired', hint: "check this machine's clock" }],
  [2002, { name: 'SIGNATURE_MISMATCH', httpStatus: 403, message: 'Signature does not match payload', hint: 'wrong chain id (prod 325, testnet 326) or instrument data' }],
  [2003, { name: 'SUB_ACCOUNT_MISMATCH', httpStatus: 403, message: 'Order sub account does not match logged in user', hint: 'subAccountId is not the API key\'s sub-account' }],
  [2004, { name: 'SESSION_KEY_EXPIRED', httpStatus: 403, message: 'Signature is from an expired session key' }],
  [2005, { name: 'SIGNATURE_V', httpStatus: 403, message: 'Signature V must be 27/28' }],
  [2006, { name: 'SIGNATURE_RS', httpStatus: 403, message: 'Signature R/S must have exactly 64 characters long without 0x prefix' }],
  [2007, { name: 'SIGNATURE_LOW_S', httpStatus: 403, message: 'Signature S must be in the lower half of the curve' }],
  [2008, { name: 'SIGNATURE_DURATION', httpStatus: 403, message: 'Signature exceeds maximum allowed duration.', hint: 'orderTtlMs is too long' }],
  [2012, { name: 'CLIENT_ORDER_ID_OVERLAP', httpStatus: 400, message: 'Client Order ID overlaps with existing active order' }],
  [2090, { name: 'MAX_OPEN_ORDERS', httpStatus: 429, message: 'Max open orders exceeded', hint: 'the sub-account has as many open orders as GRVT allows' }],
]);

export const GRVT_UNAUTHENTICATED = 1000;
export const GRVT_RATE_LIMITED = 1006;
export const GRVT_IP_NOT_WHITELISTED = 1008;
export const GRVT_MAX_OPEN_ORDERS = 2090;

/** `2000 UNAUTHORIZED_SIGNER: <GRVT's message> (<hint>)` for a known code, else `<code> <message>`. */
export function describeGrvtError(code: number, message: string): string {
  const known = GRVT_ERROR_CODES.get(code);
  if (!known) return `${code} ${message}`;
  return `${code} ${known.name}: ${message || known.message}${known.hint ? ` (${known.hint})` : ''}`;
}
