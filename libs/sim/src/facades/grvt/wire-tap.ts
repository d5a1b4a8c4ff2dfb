/**
 * The one place every inbound REST request and every outgoing WS message of the GRVT façade passes: the seam
 * for fault injection (429/5xx, delays, dropped or rewritten stream messages, skipped sequence numbers, closed
 * connections). The mechanics are the shared ordered-ws-gate.ts; this file holds GRVT's terms.
 * With no hooks installed traffic passes untouched and synchronously.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { OrderedWsGate, type OrderedWsClient, type OrderedWsHooks, type WsSendVerdict } from '../ordered-ws-gate.js';

export type GrvtHost = 'edge' | 'market-data' | 'trades';

export interface GrvtRestRequestInfo {
  host: GrvtHost;
  method: string;
  /** e.g. '/full/v1/create_order', '/auth/api_key/login'. */
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
}

/** An answer that replaces the façade's own. */
export interface GrvtRestReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface GrvtWsOutgoing {
  host: GrvtHost;
  connectionId: number;
  /** Feed stream ('v1.book.d', ...) or undefined for JSON-RPC responses. */
  stream?: string;
  selector?: string;
  /** The feed's sequence number, when the message is a feed message. */
  sequenceNumber?: string;
  /** The serialized message as it would go out. */
  text: string;
}

export interface GrvtTrafficHooks extends OrderedWsHooks<GrvtRestRequestInfo, GrvtRestReply, GrvtWsOutgoing> {
  /** Before routing. undefined lets the request through; a reply answers it instead; a promise delays it. */
  onRest?(req: GrvtRestRequestInfo): GrvtRestReply | undefined | Promise<GrvtRestReply | undefined>;
  /**
   * Before sending: the text to send (possibly rewritten), null to drop, or `{ close: code, reason? }` to close the
   * connection instead. A promise delays it; per-connection order holds.
   */
  onWsSend?(msg: GrvtWsOutgoing): WsSendVerdict | Promise<WsSendVerdict>;
}

export type { WsCloseVerdict, WsSendVerdict } from '../ordered-ws-gate.js';

/** A `/ws/full` connection as the tap sees it. */
export type TapConnection = OrderedWsClient;

/** GRVT's instance of the shared ordered-send gate. */
export class GrvtWireTap extends OrderedWsGate<GrvtRestRequestInfo, GrvtRestReply, GrvtWsOutgoing> {}
