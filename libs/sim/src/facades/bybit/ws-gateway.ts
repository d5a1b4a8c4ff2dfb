import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { z } from 'zod';
import type { FacadeTap } from '../facade-tap.js';
import type { PrivateStreamHub } from './private-stream-hub.js';
import type { PublicStreamHub } from './public-stream-hub.js';
import type { KeyRing } from './request-auth.js';
import { signatureMatches, wsAuthPayload } from './signature.js';
import { parsePrivateTopic, parsePublicTopic } from './topics.js';
import { WsSession } from '../tapped-ws-session.js';

export const PUBLIC_WS_PATH = '/v5/public/linear';
export const PRIVATE_WS_PATH = '/v5/private';

export interface WsGatewayOptions {
  publicHub: PublicStreamHub;
  privateHub: PrivateStreamHub;
  keys: KeyRing;
  tap: () => FacadeTap;
  serverTime: () => number;
  pingIntervalMs: number;
}

const WsOp = z.object({
  op: z.string().max(32),
  args: z.array(z.unknown()).max(64).optional(),
  req_id: z.union([z.string().max(64), z.number().int()]).optional(),
});
type WsOp = z.infer<typeof WsOp>;

const AuthArgs = z.tuple([z.string().min(1).max(128), z.union([z.number().int(), z.string().regex(/^[0-9]{1,16}$/)]), z.string().max(128)]);

/** Bybit caps a connection's topics; the façade uses the same order of magnitude. */
const MAX_TOPICS_PER_CONNECTION = 1024;

/**
 * Bybit v5's stream endpoints on the façade's port: the linear public stream and the private stream. Ops: `ping`,
 * `subscribe`, `unsubscribe` and (private) `auth` (HMAC over "GET/realtime"+expires). Replies follow Bybit's shapes
 * ({success, ret_msg, conn_id, req_id, op}; the private pong is {op:"pong", args:[ts]}). The server also pings at
 * the WS level every `pingIntervalMs` and drops a connection that has not answered two of them.
 */
export class WsGateway {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  private readonly sessions = new Set<WsSession>();
  private nextId = 1;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(private readonly opts: WsGatewayOptions) {
    this.heartbeat = setInterval(() => this.beat(), opts.pingIntervalMs);
    this.heartbeat.unref();
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    if (path !== PUBLIC_WS_PATH && path !== PRIVATE_WS_PATH) {
      const body = 'Not Found';
      socket.end(`HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, path));
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const s of this.sessions) s.terminate();
    this.sessions.clear();
    this.wss.close();
  }

  private accept(ws: WebSocket, path: string): void {
    const session = new WsSession(this.nextId++, randomUUID(), path, path === PRIVATE_WS_PATH, ws, this.opts.tap, Date.now());
    this.sessions.add(session);
    ws.on('pong', () => {
      session.lastPongAt = Date.now();
    });
    ws.on('close', () => {
      this.sessions.delete(session);
      this.opts.publicHub.removeSession(session);
      this.opts.privateHub.removeSession(session);
    });
    ws.on('error', () => session.terminate());
    ws.on('message', (data: RawData, isBinary: boolean) => this.onMessage(session, isBinary ? undefined : rawText(data)));
  }

  private onMessage(session: WsSession, text: string | undefined): void {
    let json: unknown;
    try {
      json = JSON.parse(text ?? '');
    } catch {
      session.send(undefined, { success: false, ret_msg: 'error:invalid op', conn_id: session.connId, request: { op: '', args: null } });
      return;
    }
    const parsed = WsOp.safeParse(json);
    if (!parsed.success) {
      session.send(undefined, { success: false, ret_msg: 'error:invalid op', conn_id: session.connId, request: { op: '', args: null } });
      return;
    }
    const op = parsed.data;
    const reply = (success: boolean, retMsg: string) =>
      session.send(undefined, { success, ret_msg: retMsg, conn_id: session.connId, ...(op.req_id !== undefined ? { req_id: String(op.req_id) } : {}), op: op.op });
    switch (op.op) {
      case 'ping':
        if (session.isPrivate) {
          session.send(undefined, { ...(op.req_id !== undefined ? { req_id: String(op.req_id) } : {}), op: 'pong', args: [String(Date.now())], conn_id: session.connId });
        } else reply(true, 'pong');
        return;
      case 'auth':
        return this.auth(session, op, reply);
      case 'subscribe':
      case 'unsubscribe':
        return this.subscription(session, op, reply);
      default:
        reply(false, `error:invalid op`);
    }
  }

  private auth(session: WsSession, op: WsOp, reply: (success: boolean, msg: string) => void): void {
    if (!session.isPrivate) return reply(false, 'error:invalid op');
    if (session.accountId !== undefined) return reply(false, 'Repeat auth');
    const args = AuthArgs.safeParse(op.args);
    if (!args.success) return reply(false, 'Params Error');
    const [apiKey, expiresRaw, signature] = args.data;
    const cred = this.opts.keys.get(apiKey);
    const expires = String(expiresRaw);
    if (!cred || !signatureMatches(cred.secret, wsAuthPayload(expires), signature)) return reply(false, 'Request not authorized');
    if (Number(expires) <= this.opts.serverTime()) return reply(false, 'Params Error');
    session.accountId = cred.accountId;
    reply(true, '');
  }

  private subscription(session: WsSession, op: WsOp, reply: (success: boolean, msg: string) => void): void {
    const names = op.args ?? [];
    if (names.length === 0 || !names.every((n): n is string => typeof n === 'string' && n.length <= 128)) return reply(false, 'error:invalid args');
    const subscribe = op.op === 'subscribe';
    if (session.isPrivate) {
      if (session.accountId === undefined) return reply(false, 'Request not authorized');
      const bad = names.find((n) => parsePrivateTopic(n) === undefined);
      if (bad !== undefined) return reply(false, `error:handler not found,topic:${bad}`);
      if (subscribe && session.topics.size + names.length > MAX_TOPICS_PER_CONNECTION) return reply(false, 'error:too many topics');
      for (const n of names) {
        if (subscribe) this.opts.privateHub.subscribe(session, n);
        else this.opts.privateHub.unsubscribe(session, n);
      }
      return reply(true, '');
    }
    const topics = names.map((n) => ({ name: n, topic: parsePublicTopic(n) }));
    const unknown = topics.find((t) => t.topic === undefined);
    if (unknown) return reply(false, `error:handler not found,topic:${unknown.name}`);
    const resolved = topics.map(({ name, topic }) => ({ name, topic: topic as NonNullable<typeof topic>, inst: this.opts.publicHub.instrumentOf(topic as NonNullable<typeof topic>) }));
    const badSymbol = resolved.find((t) => t.inst === undefined);
    if (badSymbol) return reply(false, `Invalid symbol :[${badSymbol.name}]`);
    if (subscribe) {
      const already = resolved.find((t) => session.topics.has(t.name));
      if (already) return reply(false, `error:already subscribed,topic:${already.name}`);
      if (session.topics.size + names.length > MAX_TOPICS_PER_CONNECTION) return reply(false, 'error:too many topics');
      // The reply goes first, then each topic's snapshot, as on Bybit.
      reply(true, 'subscribe');
      for (const t of resolved) if (t.inst) this.opts.publicHub.subscribe(session, t.name, t.topic, t.inst);
      return;
    }
    for (const t of resolved) this.opts.publicHub.unsubscribe(session, t.name);
    reply(true, 'unsubscribe');
  }

  private beat(): void {
    const now = Date.now();
    for (const s of this.sessions) {
      if (now - s.lastPongAt > 2 * this.opts.pingIntervalMs + 1_000) s.terminate();
      else s.ping();
    }
  }
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
