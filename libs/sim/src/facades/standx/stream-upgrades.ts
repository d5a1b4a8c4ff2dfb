/**
 * The façade's WebSocket endpoints on its one HTTP server: `/ws-stream/v1` (market
 * stream) and `/ws-api/v1` (order-response stream). Each upgrade passes StandX's
 * per-IP connection limits first (venue-limits.ts): over a limit the upgrade is
 * answered 429 and no connection opens.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { parseRequestTarget } from './request-target.js';
import type { StandxVenueLimits } from './venue-limits.js';

const MAX_INBOUND_BYTES = 16 * 1024;

export type StreamAcceptor = (ws: WebSocket, release: () => void) => void;

export class StreamUpgrades {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_INBOUND_BYTES });

  constructor(
    private readonly limits: StandxVenueLimits,
    private readonly endpoints: ReadonlyMap<string, StreamAcceptor>,
  ) {}

  attach(server: Server): void {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      // Node drops its own error listener before 'upgrade': a peer reset here would otherwise be uncaught.
      socket.on('error', () => socket.destroy());
      const target = parseRequestTarget(req.url);
      if (!target) return refuse(socket, 400, 'Bad Request', '');
      const accept = this.endpoints.get(target.pathname);
      if (!accept) return refuse(socket, 404, 'Not Found', '');
      const admission = this.limits.connect(req.socket.remoteAddress ?? 'unknown', target.pathname);
      if (!admission.ok) return refuse(socket, 429, 'Too Many Requests', JSON.stringify({ code: 429, message: admission.reason }));
      this.wss.handleUpgrade(req, socket, head, (ws) => accept(ws, admission.release));
    });
  }

  close(): void {
    this.wss.close();
  }
}

function refuse(socket: Duplex, status: number, text: string, body: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nconnection: close\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}
