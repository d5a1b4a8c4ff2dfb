/**
 * OKX v5 error codes the façade answers with (OKX's error-code table): authentication failures are HTTP 401 with
 * a top-level code; business failures of an order are HTTP 200 with code "1" and the per-order sCode / sMsg.
 */
export class OkxError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 200,
  ) {
    super(message);
  }
}

export const OkxErrors = {
  keyMissing: () => new OkxError('50103', 'Request header "OK-ACCESS-KEY" cannot be empty.', 401),
  passphraseMissing: () => new OkxError('50104', 'Request header "OK-ACCESS-PASSPHRASE" cannot be empty.', 401),
  passphraseWrong: () => new OkxError('50105', 'Request header "OK-ACCESS-PASSPHRASE" incorrect.', 401),
  signMissing: () => new OkxError('50106', 'Request header "OK-ACCESS-SIGN" cannot be empty.', 401),
  timestampMissing: () => new OkxError('50107', 'Request header "OK-ACCESS-TIMESTAMP" cannot be empty.', 401),
  invalidKey: () => new OkxError('50111', 'Invalid OK-ACCESS-KEY.', 401),
  invalidTimestamp: () => new OkxError('50112', 'Invalid OK-ACCESS-TIMESTAMP.', 401),
  timestampExpired: () => new OkxError('50102', 'Timestamp request expired.', 401),
  invalidSign: () => new OkxError('50113', 'Invalid Sign.', 401),
  rateLimited: () => new OkxError('50011', 'Too Many Requests', 429),
  system: () => new OkxError('50026', 'System error. Try again later.', 500),
  notFound: () => new OkxError('404', 'Not Found', 404),
  empty: (param: string) => new OkxError('50014', `Parameter ${param} can not be empty.`),
  param: (param: string) => new OkxError('51000', `Parameter ${param} error`),
  unknownInstrument: () => new OkxError('51001', "Instrument ID doesn't exist."),
  orderNotFound: () => new OkxError('51603', 'Order does not exist'),
};

/** Per-order failure codes (sCode) of place / amend / cancel. */
export const OkxOrderCodes = {
  param: '51000',
  unknownInstrument: '51001',
  insufficientMargin: '51008',
  duplicateClOrdId: '51016',
  belowMinSize: '51020',
  lotSize: '51121',
  reduceOnly: '51169',
  postOnlyWouldTake: '51010',
  halted: '51015',
  cancelNotFound: '51400',
  amendNotFound: '51503',
  amendPostOnly: '51511',
  amendSize: '51512',
  fokNotFilled: '51510',
  rejected: '51000',
} as const;
