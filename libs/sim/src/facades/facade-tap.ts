/**
 * The fault-injection seam of the façades that use it (Binance, Bybit, OKX). Every REST request passes `rest` before it
 * is handled and every outgoing WS frame passes `ws` before it is written, so a later fault
 * module can answer 429/5xx, hang a request, drop, delay, rewrite or cut a stream — without
 * touching the façade. The default tap lets everything through.
 */
export interface TapRestRequest {
  method: string;
  /** Path without the query string, e.g. /fapi/v1/order. */
  path: string;
  query: string;
  body: string;
  headers: Readonly<Record<string, string | string[] | undefined>>;
}

export type TapRestVerdict =
  | { kind: 'pass' }
  /** Answer with this instead of handling the request (e.g. 429 or 503). */
  | { kind: 'respond'; status: number; body: string; headers?: Record<string, string> }
  /** Never answer (the client times out); the socket is destroyed when the façade closes. */
  | { kind: 'hang' }
  /** Handle the request as usual, then never answer: the venue acted, the client times out not knowing. */
  | { kind: 'act_then_hang' };

export interface TapWsFrame {
  connectionId: number;
  /** The connection's URL path, e.g. /public/ws or /private/ws. */
  path: string;
  /** Stream name the frame belongs to (e.g. btcusdt@depth@100ms), or undefined for replies and user data. */
  stream: string | undefined;
  data: string;
}

export type TapWsVerdict =
  | { kind: 'pass' }
  | { kind: 'drop' }
  | { kind: 'replace'; data: string }
  /** Send later; frames behind it on the same connection wait, preserving order. */
  | { kind: 'delay'; ms: number }
  /** Close the connection with this WS close code instead of sending. */
  | { kind: 'close'; code: number; reason?: string };

export interface FacadeTap {
  rest?(req: TapRestRequest): TapRestVerdict | Promise<TapRestVerdict>;
  ws?(frame: TapWsFrame): TapWsVerdict;
}

export const PASS_THROUGH: FacadeTap = {};
