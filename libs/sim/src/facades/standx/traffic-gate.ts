/**
 * The one place every inbound REST request and every outgoing WS message of the StandX
 * façade passes. Fault injection (later step) plugs in here through `setHooks`: answer a
 * request itself (429, 5xx), delay it, drop or rewrite a WS message, delay a stream.
 * With no hooks set, traffic passes untouched and synchronously.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { WebSocket } from 'ws';

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

export interface StandxTrafficHooks {
  /** Before routing. undefined lets the request through; a reply answers it instead. A promise delays it. */
  onRest?(req: RestRequestInfo): RestReply | undefined | Promise<RestReply | undefined>;
  /** Before sending. The text to send (possibly rewritten), or null to drop. A promise delays it; order per client is kept. */
  onWsSend?(msg: WsOutgoing): string | null | Promise<string | null>;
}

export interface GateClient {
  readonly id: number;
  readonly socket: WebSocket;
  /** Tail of this client's delayed sends: later messages wait for earlier ones. */
  tail: Promise<void> | undefined;
}

export class TrafficGate {
  private hooks: StandxTrafficHooks = {};

  setHooks(hooks: StandxTrafficHooks): void {
    this.hooks = hooks;
  }

  clearHooks(): void {
    this.hooks = {};
  }

  inbound(req: RestRequestInfo): RestReply | undefined | Promise<RestReply | undefined> {
    return this.hooks.onRest?.(req);
  }

  outbound(client: GateClient, msg: WsOutgoing): void {
    const hook = this.hooks.onWsSend;
    if (!hook && client.tail === undefined) {
      transmit(client, msg.text);
      return;
    }
    const decide = (): string | null | Promise<string | null> => (hook ? hook(msg) : msg.text);
    if (client.tail === undefined) {
      const decision = decide();
      if (!(decision instanceof Promise)) {
        if (decision !== null) transmit(client, decision);
        return;
      }
      this.chain(client, decision);
      return;
    }
    this.chain(
      client,
      client.tail.then(() => decide()),
    );
  }

  private chain(client: GateClient, decision: Promise<string | null>): void {
    const tail: Promise<void> = decision
      .then((text) => {
        if (text !== null) transmit(client, text);
      })
      .catch(() => undefined)
      .finally(() => {
        if (client.tail === tail) client.tail = undefined;
      });
    client.tail = tail;
  }
}

function transmit(client: GateClient, text: string): void {
  if (client.socket.readyState === client.socket.OPEN) client.socket.send(text);
}
