/**
 * The one place every inbound REST request and every outgoing WS message of the StandX
 * façade passes. Fault injection (later step) plugs in here through `setHooks`: answer a
 * request itself (429, 5xx), delay it, drop or rewrite a WS message, delay a stream, close a
 * connection. The mechanics are the shared ordered-ws-gate.ts; this file holds StandX's terms.
 * With no hooks set, traffic passes untouched and synchronously.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { OrderedWsGate, type OrderedWsClient, type OrderedWsHooks, type WsSendVerdict } from '../ordered-ws-gate.js';

export interface RestRequestInfo {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  rawBody: string;
}

/** A reply that replaces the façade's own answer. */
export interface RestReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface WsOutgoing {
  clientId: number;
  /** StandX channel name ('depth_book', 'order', 'auth', 'error', ...). */
  channel: string;
  /** The connection's sequence number this message carries. */
  seq: number;
  /** The serialized message as it would go out. */
  text: string;
}

export interface StandxTrafficHooks extends OrderedWsHooks<RestRequestInfo, RestReply, WsOutgoing> {
  /** Before routing. undefined lets the request through; a reply answers it instead. A promise delays it. */
  onRest?(req: RestRequestInfo): RestReply | undefined | Promise<RestReply | undefined>;
  /**
   * Before sending. The text to send (possibly rewritten), null to drop, or `{ close: code, reason? }` to close
   * the client's connection instead. A promise delays it; order per client is kept.
   */
  onWsSend?(msg: WsOutgoing): WsSendVerdict | Promise<WsSendVerdict>;
}

export type { WsCloseVerdict, WsSendVerdict } from '../ordered-ws-gate.js';

/** A market-stream connection as the gate sees it. */
export type GateClient = OrderedWsClient;

/** StandX's instance of the shared ordered-send gate. */
export class TrafficGate extends OrderedWsGate<RestRequestInfo, RestReply, WsOutgoing> {}
