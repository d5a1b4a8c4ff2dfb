/**
 * StandX's error shape. The docs show one body for acks and rejections,
 * `{ "code": 0 | 400, "message": "...", "request_id": "..." }`, and list HTTP-style codes
 * (400, 401, 403, 404, 429, 500) as the error codes; the simulator sends the same number
 * as the HTTP status and as `code`.
 */
export interface StandxErrorBody {
  code: number;
  message: string;
  request_id?: string;
}

export class StandxHttpError extends Error {
  override name = 'StandxHttpError';
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 405 | 413 | 429 | 500,
    message: string,
  ) {
    super(message);
  }

  body(requestId?: string): StandxErrorBody {
    return requestId === undefined
      ? { code: this.status, message: this.message }
      : { code: this.status, message: this.message, request_id: requestId };
  }
}

export const badRequest = (message: string) => new StandxHttpError(400, message);
export const unauthorized = (message: string) => new StandxHttpError(401, message);
export const notFound = (message: string) => new StandxHttpError(404, message);
