/**
 * What can go wrong with a StandX REST call, by what it means for an order:
 * - StandxNoAnswerError: timeout or network failure; the venue may or may not have
 *   acted, so a place becomes 'unknown' and is resolved by query, never retried.
 * - StandxRequestError: the venue answered with an error; nothing was done.
 * - StandxAuthError: the token or the body signature was refused (a configuration
 *   problem, not an order's fate).
 * - StandxResponseError: a success reply we cannot read.
 * Messages name the endpoint and the venue's words; never the token or the key.
 */
export class StandxNoAnswerError extends Error {
  override name = 'StandxNoAnswerError';
  constructor(
    readonly endpoint: string,
    readonly kind: 'timeout' | 'network',
    detail: string,
  ) {
    super(`StandX ${endpoint}: no answer (${kind}: ${detail})`);
  }
}

export class StandxRequestError extends Error {
  override name = 'StandxRequestError';
  constructor(
    readonly endpoint: string,
    readonly httpStatus: number,
    /** StandX's own message ("alo order rejected", "order not found", ...). */
    readonly venueMessage: string,
  ) {
    super(`StandX ${endpoint} refused (HTTP ${httpStatus}): ${venueMessage}`);
  }
}

export class StandxAuthError extends StandxRequestError {
  override name = 'StandxAuthError';
  constructor(endpoint: string, httpStatus: number, venueMessage: string, signed: boolean) {
    super(endpoint, httpStatus, venueMessage);
    this.message = signed
      ? `StandX ${endpoint} refused the request's token or body signature (HTTP ${httpStatus}): ${venueMessage}; check the API token and that the ed25519 private key belongs to this account`
      : `StandX ${endpoint} refused the token (HTTP ${httpStatus}): ${venueMessage}; check the API token`;
  }
}

export class StandxResponseError extends Error {
  override name = 'StandxResponseError';
  constructor(endpoint: string, detail: string) {
    super(`StandX ${endpoint}: unexpected reply: ${detail}`);
  }
}
