import type { WebSocket } from 'ws';
import type { FacadeTap } from '../facade-tap.js';
import { TappedWsConnection } from '../tapped-ws-connection.js';

/** One WS connection of the Binance façade: its streams, listen keys and framing, on the tapped transport. */
export class WsSession extends TappedWsConnection {
  /** Market streams, by the exact name the client asked for. */
  readonly streams = new Set<string>();
  /** Listen keys whose user-data events this connection receives. */
  readonly listenKeys = new Set<string>();
  /** Combined-stream framing ({stream, data}) for market data; set by /stream or SET_PROPERTY. */
  combined: boolean;

  constructor(id: number, path: string, socket: WebSocket, combined: boolean, tap: () => FacadeTap, now: number) {
    super(id, path, socket, tap, now);
    this.combined = combined;
  }

  /** Sends a market-stream payload (wrapped when combined) or a reply / user-data event (stream undefined). */
  send(stream: string | undefined, payload: unknown): void {
    if (!this.isOpen) return;
    const data = stream !== undefined && this.combined ? JSON.stringify({ stream, data: payload }) : JSON.stringify(payload);
    this.sendText(stream, data);
  }

  /** Same as send for an already serialized payload (shared between connections). */
  sendSerialized(stream: string | undefined, serialized: string): void {
    if (!this.isOpen) return;
    const data = stream !== undefined && this.combined ? `{"stream":${JSON.stringify(stream)},"data":${serialized}}` : serialized;
    this.sendText(stream, data);
  }
}
