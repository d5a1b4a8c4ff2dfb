import { hmacHex, restPayload } from '../../src/facades/bybit/index.js';
import type { BybitFacade } from '../../src/facades/bybit/index.js';

/** Bybit's envelope as the tests read it. */
export interface Envelope {
  retCode: number;
  retMsg: string;
  result: unknown;
  retExtInfo: unknown;
  time: number;
}

export interface SignedOptions {
  /** Signs with this secret instead of the façade's. */
  secret?: string;
  apiKey?: string;
  timestamp?: number;
}

/** A raw signed Bybit v5 request (GET: query string, POST: the body text exactly as given). */
export async function signedRequest(facade: BybitFacade, method: 'GET' | 'POST', path: string, payload: string, o: SignedOptions = {}): Promise<{ status: number; body: Envelope }> {
  const ts = String(o.timestamp ?? Date.now());
  const apiKey = o.apiKey ?? facade.credentials.apiKey;
  const recv = '5000';
  const sign = hmacHex(o.secret ?? facade.credentials.secret, restPayload(ts, apiKey, recv, payload));
  const headers = { 'X-BAPI-API-KEY': apiKey, 'X-BAPI-TIMESTAMP': ts, 'X-BAPI-RECV-WINDOW': recv, 'X-BAPI-SIGN': sign, 'Content-Type': 'application/json' };
  const url = method === 'GET' ? `${facade.restUrl}${path}${payload === '' ? '' : `?${payload}`}` : `${facade.restUrl}${path}`;
  const res = await fetch(url, method === 'GET' ? { headers } : { method, headers, body: payload });
  return { status: res.status, body: (await res.json()) as Envelope };
}

export async function publicGet(facade: BybitFacade, path: string, query: string): Promise<{ status: number; body: Envelope }> {
  const res = await fetch(`${facade.restUrl}${path}?${query}`);
  return { status: res.status, body: (await res.json()) as Envelope };
}
