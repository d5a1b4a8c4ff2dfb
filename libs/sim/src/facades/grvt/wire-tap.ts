/**
 * The one place every inbound REST request and every outgoing WS message of the GRVT façade passes: the seam
 * for fault injection (429/5xx, delays, dropped or rewritten stream messages, skipped sequence numbers).
 * With no hooks installed traffic passes untouched and synchronously.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { WebSocket } from 'ws';

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

export interface GrvtTrafficHooks {
  /** Before routing. undefined lets the request through; a reply answers it instead; a promise delays it. */
  onRest?(req: GrvtRestRequestInfo): GrvtRestReply | undefined | Promise<GrvtRestReply | undefined>;
  /** Before sending: the text to send (possibly rewritten) or null to drop. A promise delays it; per-connection order holds. */
  onWsSend?(msg: GrvtWsOutgoing): string | null | Promise<string | null>;
}

export interface TapConnection {
  readonly id: number;
  readonly socket: WebSocket;
  /** Tail of this connection's delayed sends: later messages queue behind earlier ones. */
  tail: Promise<void> | undefined;
}

export class GrvtWireTap {
  private hooks: GrvtTrafficHooks = {};

  setHooks(hooks: GrvtTrafficHooks): void {
    this.hooks = hooks;
  }

  clearHooks(): void {
    this.hooks = {};
  }

  inbound(req: GrvtRestRequestInfo): GrvtRestReply | undefined | Promise<GrvtRestReply | undefined> {
    return this.hooks.onRest?.(req);
  }

  outbound(conn: TapConnection, msg: GrvtWsOutgoing): void {
    const hook = this.hooks.onWsSend;
    if (!hook && conn.tail === undefined) {
      transmit(conn, msg.text);
      return;
    }
    const decide = (): string | null | Promise<string | null> => (hook ? hook(msg) : msg.text);
    if (conn.tail === undefined) {
      const decision = decide();
      if (decision instanceof Promise) this.chain(conn, decision);
      else if (decision !== null) transmit(conn, decision);
      return;
    }
    this.chain(
      conn,
      conn.tail.then(() => decide()),
    );
  }

  private chain(conn: TapConnection, decision: Promise<string | null>): void {
    const tail: Promise<void> = decision
      .then((text) => {
        if (text !== null) transmit(conn, text);
      })
      .catch(() => undefined)
      .finally(() => {
        if (conn.tail === tail) conn.tail = undefined;
      });
    conn.tail = tail;
  }
}

function transmit(conn: TapConnection, text: string): void {
  if (conn.socket.readyState === conn.socket.OPEN) conn.socket.send(text);
}
