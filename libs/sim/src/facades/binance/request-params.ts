import { z } from 'zod';
import { BinanceApiError, BinanceErrors } from './errors.js';

/** A request's parameters: query string and form body merged, one value per name. */
export type RawParams = Record<string, string>;

/**
 * Merges the query string and an `application/x-www-form-urlencoded` body the way Binance
 * reads them. A name sent twice (in either place) is Binance's -1101.
 */
export function collectParams(rawQuery: string, rawBody: string): RawParams {
  const out: RawParams = Object.create(null) as RawParams;
  for (const raw of [rawQuery, rawBody]) {
    if (raw === '') continue;
    for (const [name, value] of new URLSearchParams(raw)) {
      if (name === '') continue;
      if (Object.hasOwn(out, name)) throw BinanceErrors.duplicateParam(name);
      out[name] = value;
    }
  }
  return out;
}

/** The legal ranges Binance quotes in its -1100 messages, per parameter shape. */
export const RANGES = {
  decimal: '^([0-9]{1,20})(\\.[0-9]{1,20})?$',
  integer: '^[0-9]{1,20}$',
  symbol: '^[A-Z0-9-_.]{1,20}$',
  clientOrderId: '^[\\.A-Z\\:/a-z0-9_-]{1,36}$',
} as const;

const DECIMAL_RE = /^([0-9]{1,20})(\.[0-9]{1,20})?$/;
const INTEGER_RE = /^[0-9]{1,20}$/;
const SYMBOL_RE = /^[A-Z0-9\-_.]{1,20}$/;
const CLIENT_ORDER_ID_RE = /^[.A-Z:/a-z0-9_-]{1,36}$/;

/** Parameter shapes; the error a bad value earns is decided by `invalidValueError` below. */
export const P = {
  symbol: z.string().regex(SYMBOL_RE),
  decimal: z.string().regex(DECIMAL_RE),
  integer: z.string().regex(INTEGER_RE),
  clientOrderId: z.string().regex(CLIENT_ORDER_ID_RE),
  bool: z.enum(['true', 'false', 'TRUE', 'FALSE']),
};

/** What Binance answers for a present-but-invalid value of each parameter. */
function invalidValueError(param: string): BinanceApiError {
  switch (param) {
    case 'side':
      return BinanceErrors.invalidSide();
    case 'type':
      return BinanceErrors.invalidOrderType();
    case 'timeInForce':
      return BinanceErrors.invalidTimeInForce();
    case 'symbol':
      return BinanceErrors.illegalChars(param, RANGES.symbol);
    case 'quantity':
    case 'price':
    case 'stopPrice':
    case 'activationPrice':
      return BinanceErrors.illegalChars(param, RANGES.decimal);
    case 'orderId':
    case 'recvWindow':
    case 'limit':
    case 'fromId':
    case 'startTime':
    case 'endTime':
    case 'leverage':
      return BinanceErrors.illegalChars(param, RANGES.integer);
    case 'newClientOrderId':
    case 'origClientOrderId':
      return BinanceErrors.illegalChars(param, RANGES.clientOrderId);
    case 'timestamp':
    case 'signature':
      return BinanceErrors.mandatoryParam(param);
    default:
      return BinanceErrors.invalidParam(param);
  }
}

/** Validates params against an endpoint's schema, answering the first problem in Binance's words. */
export function parseParams<S extends z.ZodType>(schema: S, params: RawParams): z.output<S> {
  const r = schema.safeParse(params);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const param = String(issue?.path[0] ?? 'unknown');
  const value = params[param];
  if (value === undefined || value === '') throw BinanceErrors.mandatoryParam(param);
  throw invalidValueError(param);
}

/** Significant decimal places of a decimal text ("1.50" has 1: trailing zeros carry no precision). */
export function decimalPlaces(text: string): number {
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.slice(dot + 1).replace(/0+$/, '').length;
}

export const isTrue = (v: string | undefined): boolean => v !== undefined && v.toLowerCase() === 'true';
