import type { WebSocket } from 'ws';
import type { FacadeTap } from './facade-tap.js';
import { TappedWsConnection } from './tapped-ws-connection.js';

/** One WS connection of the Bybit or OKX façade: its topics and account, on the tapped transport. */
export class WsSession extends TappedWsConnection {
  /** Topics subscribed, as the client named them. */
  readonly topics = new Set<string>();
  /** The account after a successful `auth` op (private endpoint only). */
  accountId: string | undefined;

  constructor(
    id: number,
    /** Bybit's connection id (conn_id), echoed in op replies. */
    readonly connId: string,
    path: string,
    readonly isPrivate: boolean,
    socket: WebSocket,
    tap: () => FacadeTap,
    now: number,
  ) {
    super(id, path, socket, tap, now);
  }

  /** Sends a topic frame (`topic` set) or an op reply (`topic` undefined). */
  send(topic: string | undefined, payload: unknown): void {
    if (this.isOpen) this.sendText(topic, JSON.stringify(payload));
  }

  /** Same as send for an already serialized payload (shared between connections); no topic for a reply. */
  sendSerialized(topic: string | undefined, serialized: string): void {
    if (this.isOpen) this.sendText(topic, serialized);
  }
}
