import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { z } from 'zod';
import type { FacadeTap } from '../facade-tap.js';
import type { ListenKeys } from './listen-keys.js';
import type { MarketStreamHub } from './market-stream-hub.js';
import type { UserDataHub } from './user-data-hub.js';
import { WsSession } from './ws-session.js';

/**
 * Binance USDⓈ-M stream endpoints on the façade's port:
 *   /ws[/<stream>/<stream>...]        raw frames
 *   /stream?streams=<s1>/<s2>          combined frames {stream, data}
 * each also under the routed prefixes /public, /market and /private, plus
 * `?listenKey=<key>` (or a listen key as a stream name) for the user-data stream.
 * Live subscription control: SUBSCRIBE, UNSUBSCRIBE, LIST_SUBSCRIPTIONS, SET_PROPERTY,
 * GET_PROPERTY. The server pings every `pingIntervalMs` and drops a connection that has not
 * answered a ping for `pongTimeoutMs`; client pings are answered by the WS layer.
 */
export interface WsGatewayOptions {
  markets: MarketStreamHub;
  users: UserDataHub;
  listenKeys: ListenKeys;
  tap: () => FacadeTap;
  pingIntervalMs: number;
  pongTimeoutMs: number;
}

const WsRequest = z.object({
  method: z.string(),
  params: z.array(z.unknown()).optional(),
  id: z.union([z.number().int().nonnegative(), z.string().max(64), z.null()]).optional(),
});

const MAX_STREAMS_PER_CONNECTION = 1024;
const MAX_MESSAGES_PER_SECOND = 10;
const ROUTED_PREFIXES = ['/public', '/market', '/private'];

interface WsRoute {
  path: string;
  combined: boolean;
  names: string[];
  listenKey: string | undefined;
}

export function parseWsUrl(url: string): WsRoute | undefined {
  const q = url.indexOf('?');
  let path = q < 0 ? url : url.slice(0, q);
  const query = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
  const fullPath = path;
  for (const prefix of ROUTED_PREFIXES) {
    if (path === prefix || path.startsWith(`${prefix}/`)) {
      path = path.slice(prefix.length);
      break;
    }
  }
  const listenKey = query.get('listenKey') ?? undefined;
  if (path === '/ws' || path.startsWith('/ws/')) {
    return { path: fullPath, combined: false, names: path.slice(3).split('/').filter((s) => s !== ''), listenKey };
  }
  if (path === '/stream' || path === '/stream/') {
    const streams = query.get('streams') ?? '';
    return { path: fullPath, combined: true, names: streams.split('/').filter((s) => s !== ''), listenKey };
  }
  return undefined;
}

export class WsGateway {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  private readonly sessions = new Set<WsSession>();
  private nextId = 1;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(private readonly opts: WsGatewayOptions) {
    this.heartbeat = setInterval(() => this.beat(), opts.pingIntervalMs);
    this.heartbeat.unref();
  }

  /** Handles an HTTP upgrade; answers 404 for paths that are not stream endpoints. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const route = parseWsUrl(req.url ?? '/');
    if (!route) {
      rejectUpgrade(socket, 404, { code: -5000, msg: 'Invalid stream path.' });
      return;
    }
    if (route.listenKey !== undefined && this.opts.listenKeys.accountOf(route.listenKey) === undefined) {
      rejectUpgrade(socket, 400, { code: -1125, msg: 'This listenKey does not exist.' });
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, route));
  }

  /** Closes every session subscribed to a listen key that went away (after listenKeyExpired). */
  listenKeyGone(listenKey: string, ts: number): void {
    for (const s of this.opts.users.expire(listenKey, ts)) {
      if (s.streams.size === 0 && s.listenKeys.size === 0) s.close(1000, 'listenKey expired');
    }
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const s of this.sessions) s.terminate();
    this.sessions.clear();
    this.wss.close();
  }

  private accept(ws: WebSocket, route: WsRoute): void {
    const session = new WsSession(this.nextId++, route.path, ws, route.combined, this.opts.tap, Date.now());
    this.sessions.add(session);
    ws.on('pong', () => {
      session.lastPongAt = Date.now();
    });
    ws.on('close', () => {
      this.sessions.delete(session);
      this.opts.markets.removeSession(session);
      this.opts.users.removeSession(session);
    });
    ws.on('error', () => session.terminate());
    if (route.listenKey !== undefined) this.opts.users.attach(session, route.listenKey);
    for (const name of route.names) this.subscribeName(session, name);
    let windowStart = Date.now();
    let count = 0;
    ws.on('message', (data: RawData, isBinary: boolean) => {
      const now = Date.now();
      if (now - windowStart >= 1000) {
        windowStart = now;
        count = 0;
      }
      if (++count > MAX_MESSAGES_PER_SECOND) {
        // Binance disconnects clients sending more than 10 messages per second.
        session.close(1008, 'Too many requests');
        return;
      }
      this.onMessage(session, isBinary ? undefined : rawText(data));
    });
  }

  /** A market stream or a live listen key; anything else is ignored (Binance sends nothing for it). */
  private subscribeName(session: WsSession, name: string): boolean {
    const parsed = this.opts.markets.parse(name);
    if (parsed) {
      this.opts.markets.subscribe(session, name, parsed);
      return true;
    }
    if (this.opts.listenKeys.accountOf(name) !== undefined) {
      this.opts.users.attach(session, name);
      return true;
    }
    return false;
  }

  private onMessage(session: WsSession, text: string | undefined): void {
    let json: unknown;
    try {
      json = JSON.parse(text ?? '');
    } catch {
      session.send(undefined, { error: { code: 3, msg: 'Invalid JSON: expected value at line 1 column 1' }, id: null });
      return;
    }
    const parsed = WsRequest.safeParse(json);
    if (!parsed.success) {
      session.send(undefined, { error: { code: 2, msg: 'Invalid request: request ID must be an unsigned integer' }, id: null });
      return;
    }
    const { method, params = [], id = null } = parsed.data;
    const invalid = (msg: string) => session.send(undefined, { error: { code: 2, msg: `Invalid request: ${msg}` }, id });
    switch (method) {
      case 'SUBSCRIBE':
      case 'UNSUBSCRIBE': {
        if (!params.every((p): p is string => typeof p === 'string')) return invalid('invalid stream');
        if (method === 'SUBSCRIBE') {
          if (session.streams.size + params.length > MAX_STREAMS_PER_CONNECTION) return invalid('too many streams');
          const bad = params.filter((p) => this.opts.markets.parse(p) === undefined && this.opts.listenKeys.accountOf(p) === undefined);
          if (bad.length > 0) return invalid(`invalid stream name ${bad[0]}`);
          for (const p of params) this.subscribeName(session, p);
        } else {
          for (const p of params) {
            this.opts.markets.unsubscribe(session, p);
            if (session.listenKeys.has(p)) this.opts.users.detach(session, p);
          }
        }
        session.send(undefined, { result: null, id });
        return;
      }
      case 'LIST_SUBSCRIPTIONS':
        session.send(undefined, { result: [...session.streams, ...session.listenKeys], id });
        return;
      case 'SET_PROPERTY': {
        if (params[0] !== 'combined') return session.send(undefined, { error: { code: 0, msg: 'Unknown property' }, id });
        if (typeof params[1] !== 'boolean') return session.send(undefined, { error: { code: 1, msg: 'Invalid value type: expected Boolean' }, id });
        session.combined = params[1];
        session.send(undefined, { result: null, id });
        return;
      }
      case 'GET_PROPERTY':
        if (params[0] !== 'combined') return session.send(undefined, { error: { code: 0, msg: 'Unknown property' }, id });
        session.send(undefined, { result: session.combined, id });
        return;
      default:
        invalid(`unknown variant \`${method.slice(0, 32)}\`, expected one of \`SUBSCRIBE\`, \`UNSUBSCRIBE\`, \`LIST_SUBSCRIPTIONS\`, \`SET_PROPERTY\`, \`GET_PROPERTY\``);
    }
  }

  private beat(): void {
    const now = Date.now();
    for (const s of this.sessions) {
      if (now - s.lastPongAt > this.opts.pongTimeoutMs) s.terminate();
      else s.ping();
    }
  }
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

function rejectUpgrade(socket: Duplex, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${status} ${status === 404 ? 'Not Found' : 'Bad Request'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
  );
}
