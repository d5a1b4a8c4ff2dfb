/**
 * GRVT's JSON-RPC WebSocket, `/ws/full`, of one host: `subscribe` / `unsubscribe` to feeds, and `v1/<method>`
 * calls answered from the same route table as REST. The trades host requires the session (cookie +
 * X-Grvt-Account-Id) at the upgrade and answers 401 in GRVT's error shape without it.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { GrvtApiError, restErrorBody } from './errors.js';
import type { GrvtDialectCell } from './grvt-dialect.js';
import { feedConnection, type FeedConnection, type FeedHub } from './feed-hub.js';
import type { GrvtRouteTable } from './rest-routes.js';
import { parseSelector } from './selectors.js';
import type { GrvtSession, GrvtSessions } from './sessions.js';
import { describeIssue, JsonRpcRequest, SubscribeParams } from './wire-schemas.js';

export const GRVT_WS_PATH = '/ws/full';
const MAX_INBOUND_BYTES = 64 * 1024;

export interface WsGatewayOptions {
  hub: FeedHub;
  routes: GrvtRouteTable;
  /** Present on the trades host: connections must carry a valid session. */
  sessions: GrvtSessions | undefined;
  knownInstrument: (name: string) => boolean;
  now: () => number;
  /** Connection ids, unique across the façade's hosts (the wire tap sees them all). */
  nextConnectionId: () => number;
  dialect: GrvtDialectCell;
}

type RpcId = number | undefined;

export class GrvtWsGateway {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_INBOUND_BYTES });
  private readonly conns = new Set<FeedConnection>();

  constructor(private readonly o: WsGatewayOptions) {}

  get connectionCount(): number {
    return this.conns.size;
  }

  attach(server: Server): void {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      socket.on('error', () => socket.destroy());
      const path = (req.url ?? '/').split('?')[0];
      if (path !== GRVT_WS_PATH) return refuse(socket, new GrvtApiError('NOT_FOUND', 'no WebSocket here'));
      let session: GrvtSession | undefined;
      if (this.o.sessions) {
        try {
          session = this.o.sessions.authenticate(req.headers);
        } catch (err) {
          return refuse(socket, err instanceof GrvtApiError ? err : new GrvtApiError('UNAUTHENTICATED'));
        }
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, session));
    });
  }

  close(): void {
    for (const c of this.conns) {
      this.o.hub.disconnect(c);
      c.socket.terminate();
    }
    this.conns.clear();
    this.wss.close();
  }

  private accept(ws: WebSocket, session: GrvtSession | undefined): void {
    const conn = feedConnection(this.o.nextConnectionId(), ws, session);
    this.conns.add(conn);
    const drop = (): void => {
      if (!this.conns.delete(conn)) return;
      this.o.hub.disconnect(conn);
    };
    ws.on('message', (data: RawData, isBinary: boolean) => {
      this.onMessage(conn, data, isBinary).catch(() => undefined);
    });
    ws.on('close', drop);
    ws.on('error', () => {
      drop();
      ws.terminate();
    });
  }

  private async onMessage(conn: FeedConnection, data: RawData, isBinary: boolean): Promise<void> {
    let id: RpcId;
    let method: string | undefined;
    try {
      if (isBinary) throw new GrvtApiError('MALFORMED', 'binary frames are not supported');
      let json: unknown;
      try {
        json = JSON.parse(rawText(data));
      } catch {
        throw new GrvtApiError('MALFORMED', 'invalid JSON');
      }
      const parsed = JsonRpcRequest.safeParse(json);
      if (!parsed.success) throw new GrvtApiError('MALFORMED', describeIssue(parsed.error));
      const req = parsed.data;
      id = req.id;
      method = req.method;
      if (req.method === 'subscribe') return this.subscribe(conn, req.params, id);
      if (req.method === 'unsubscribe') return this.unsubscribe(conn, req.params, id);
      const name = /^v1\/([a-z_]+)$/.exec(req.method)?.[1];
      const route = name === undefined ? undefined : this.o.routes.get(name);
      if (!route) throw new GrvtApiError('NOT_FOUND', `unknown method ${req.method}`);
      const session = route.auth ? this.liveSession(conn) : undefined;
      const result = await route.run(req.params ?? {}, session);
      this.o.hub.reply(conn, { result, ...idField(id), method: req.method });
    } catch (err) {
      const e = err instanceof GrvtApiError ? err : new GrvtApiError('INTERNAL');
      this.o.hub.reply(conn, {
        error: { code: e.code, message: e.message },
        ...idField(id),
        ...(method !== undefined ? { method } : {}),
      });
    }
  }

  /** The connection's session, still valid now (a cookie can expire while the socket stays open). */
  private liveSession(conn: FeedConnection): GrvtSession {
    const s = conn.session;
    if (!s) throw new GrvtApiError('UNAUTHENTICATED');
    if (s.expiresAt <= this.o.now()) throw new GrvtApiError('UNAUTHENTICATED', 'session expired');
    return s;
  }

  private subscribe(conn: FeedConnection, params: unknown, id: RpcId): void {
    const p = SubscribeParams.safeParse(params);
    if (!p.success) throw new GrvtApiError('MALFORMED', describeIssue(p.error));
    const { stream, selectors } = p.data;
    const host = this.o.hub.host === 'trades' ? 'trades' : 'market-data';
    // Validate every selector before subscribing any, so a bad request changes nothing.
    const parsed = selectors.map((sel) => {
      if (this.o.hub.host === 'edge') throw new GrvtApiError('NOT_FOUND', `no streams on ${this.o.hub.host}`);
      const ps = parseSelector(host, stream, sel, this.o.knownInstrument);
      if (ps.kind === 'private' && ps.subAccountId !== this.liveSession(conn).account.subAccountId) {
        throw new GrvtApiError('UNAUTHORIZED', `sub account ${ps.subAccountId} is not the session's`);
      }
      return { sel, ps, primary: ps.kind === 'public' ? ps.instrument : sel };
    });
    const subs: string[] = [];
    const unsubs: string[] = [];
    const numSnapshots: number[] = [];
    const firstSequence: string[] = [];
    const after: Array<() => void> = [];
    for (const { sel, ps, primary } of parsed) {
      const r = this.o.hub.subscribe(conn, stream, sel, ps, primary);
      if (r.replaced !== undefined) unsubs.push(r.replaced);
      subs.push(sel);
      numSnapshots.push(r.numSnapshots);
      firstSequence.push(String(this.o.hub.nextSequence(stream, sel)));
      after.push(r.afterReply);
    }
    // Dialect `subscribeSequence`: the docs' first_sequence_number, the SDK types' latest_sequence_number, or both.
    const fields = this.o.dialect.value.subscribeSequence;
    this.o.hub.reply(conn, {
      result: {
        stream,
        subs,
        unsubs,
        num_snapshots: numSnapshots,
        ...(fields !== 'latest' ? { first_sequence_number: firstSequence } : {}),
        ...(fields !== 'first' ? { latest_sequence_number: firstSequence.map((n) => String(Number(n) - 1)) } : {}),
      },
      ...idField(id),
      method: 'subscribe',
    });
    for (const send of after) send();
  }

  private unsubscribe(conn: FeedConnection, params: unknown, id: RpcId): void {
    const p = SubscribeParams.safeParse(params);
    if (!p.success) throw new GrvtApiError('MALFORMED', describeIssue(p.error));
    const unsubs = p.data.selectors.filter((sel) => this.o.hub.unsubscribe(conn, p.data.stream, sel));
    this.o.hub.reply(conn, {
      result: { stream: p.data.stream, subs: [], unsubs },
      ...idField(id),
      method: 'unsubscribe',
    });
  }
}

const idField = (id: RpcId): { id?: number } => (id === undefined ? {} : { id });

/** Answers a refused upgrade with an HTTP error in GRVT's shape. */
function refuse(socket: Duplex, err: GrvtApiError): void {
  const body = JSON.stringify(restErrorBody(err));
  const reason = err.status === 401 ? 'Unauthorized' : err.status === 404 ? 'Not Found' : 'Bad Request';
  socket.end(
    `HTTP/1.1 ${err.status} ${reason}\r\ncontent-type: application/json\r\n` +
      `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
