import type { BybitApiError } from './errors.js';

/** Bybit v5's response envelope, success and error alike. */
export interface BybitEnvelope {
  retCode: number;
  retMsg: string;
  result: unknown;
  retExtInfo: Record<string, never>;
  time: number;
}

export function okEnvelope(result: unknown, time: number): BybitEnvelope {
  return { retCode: 0, retMsg: 'OK', result, retExtInfo: {}, time };
}

export function errorEnvelope(e: BybitApiError, time: number): BybitEnvelope {
  return { retCode: e.retCode, retMsg: e.message, result: {}, retExtInfo: {}, time };
}
