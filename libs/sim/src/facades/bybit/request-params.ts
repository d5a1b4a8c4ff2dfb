import { z } from 'zod';
import { BybitErrors } from './errors.js';

/** Parameter shapes shared by the endpoints (Bybit sends every number as a string). */
export const P = {
  decimal: z.string().regex(/^[0-9]{1,20}(\.[0-9]{1,20})?$/),
  integer: z.string().regex(/^[0-9]{1,16}$/),
  symbol: z.string().regex(/^[A-Z0-9]{1,32}$/),
  orderLinkId: z.string().regex(/^[A-Za-z0-9_\-:.]{1,36}$/),
  category: z.literal('linear'),
  /** Categories a listing endpoint accepts: linear is served, the others (a default ccxt client asks) are empty lists. */
  anyCategory: z.enum(['spot', 'linear', 'inverse', 'option']),
};

/** Query string parameters, first value of each name (GET endpoints). */
export function queryParams(rawQuery: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [k, v] of new URLSearchParams(rawQuery)) if (k !== '' && !Object.hasOwn(out, k)) out[k] = v;
  return out;
}

/** The JSON body of a POST endpoint: an object, or Bybit's 10001. */
export function jsonBody(raw: string): Record<string, unknown> {
  if (raw.trim() === '') return {};
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    throw BybitErrors.badJson();
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw BybitErrors.badJson();
  return v as Record<string, unknown>;
}

/** Validates parameters against an endpoint's schema, answering the first problem as Bybit's 10001. */
export function parseParams<S extends z.ZodType>(schema: S, params: unknown): z.output<S> {
  const r = schema.safeParse(params);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const name = String(issue?.path[0] ?? 'request');
  if (name === 'category') throw BybitErrors.category();
  if (name === 'symbol') throw BybitErrors.unknownSymbol();
  const value = typeof params === 'object' && params !== null ? (params as Record<string, unknown>)[name] : undefined;
  throw value === undefined ? BybitErrors.params(`${name} is empty`) : BybitErrors.params(`${name} invalid`);
}

