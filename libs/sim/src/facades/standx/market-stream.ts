/**
 * StandX's market stream, `/ws-stream/v1`: public `depth_book` (full snapshots, levels
 * deliberately unsorted), `price`, `public_trade`; private `order`, `position`,
 * `balance`, `trade` after `{"auth":{"token":...}}`. Every message carries `seq`: what it
 * counts is the dialect's choice (standx-dialect.ts; one counter per connection by default). The server pings every `pingIntervalMs` and drops a client
 * whose last pong is older than `pongTimeoutMs`. Every send goes through the gate.
 */
import type { RawData, WebSocket } from 'ws';
import type { SimInstrument, SimMark, SimTrade } from '../../engine/types.js';
import type { FacadeContext } from './facade-context.js';
import type { GateClient, TrafficGate } from './traffic-gate.js';
import { WsClientMessage, describeZodError, type PrivateChannel, type PublicChannel } from './wire-schemas.js';
import { depthToWireJson, priceToStreamWire, publicTradeToStreamWire } from './wire-format.js';
import { toStandxSymbol } from './symbols.js';

export const MARKET_STREAM_PATH = '/ws-stream/v1';

export interface MarketStreamOptions {
  /** StandX: every 10 s. */
  pingIntervalMs: number;
  /** StandX: 5 minutes without a pong. */
  pongTimeoutMs: number;
}

interface Session extends GateClient {
  seq: number;
  /** Counters by channel (and symbol) for the per_channel dialect. */
  seqByKey: Map<string, number>;
  /** Messages numbered so far (drives the gaps dialect). */
  sent: number;
  lastPong: number;
  /** `${channel}|${canonical symbol}` for public subscriptions. */
  publicSubs: Set<string>;
  accountId: string | undefined;
  privateSubs: Set<PrivateChannel>;
}

export class MarketStream {
  private readonly sessions = new Set<Session>();
  private readonly dirtyBooks = new Set<string>();
  private flushScheduled = false;
  private nextClientId = 1;
  private shuffleState = 0x9e3779b9;
  private readonly pingTimer: NodeJS.Timeout;
  /** Instruments by canonical symbol: fixed for the engine's life, looked up on every book and mark event. */
  private readonly instruments = new Map<string, SimInstrument | undefined>();

  constructor(
    private readonly ctx: FacadeContext,
    private readonly gate: TrafficGate,
    private readonly opts: MarketStreamOptions,
  ) {
    this.pingTimer = setInterval(() => this.heartbeat(), opts.pingIntervalMs);
    this.pingTimer.unref();
  }

  get clientCount(): number {
    return this.sessions.size;
  }

  // ------------------------------------------------------------------ publishing (called on engine events)

  /** Marks a book changed; one snapshot per symbol goes out per event-loop turn. */
  bookChanged(symbol: string): void {
    this.dirtyBooks.add(symbol);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      const symbols = [...this.dirtyBooks];
      this.dirtyBooks.clear();
      for (const s of symbols) this.publishDepth(s);
    });
  }

  publishPrice(mark: SimMark): void {
    const inst = this.instrument(mark.symbol);
    if (!inst || !this.hasPublic('price', mark.symbol)) return;
    this.sendPublic('price', inst, JSON.stringify(priceToStreamWire(mark, inst, this.ctx.top(mark.symbol))));
  }

  publishPublicTrade(trade: SimTrade): void {
    const inst = this.instrument(trade.symbol);
    if (!inst || !this.hasPublic('public_trade', trade.symbol)) return;
    const withIds = this.ctx.dialect.current.tradeIds === 'present';
    this.sendPublic('public_trade', inst, JSON.stringify(publicTradeToStreamWire(trade, inst, withIds)));
  }

  publishPrivate(accountId: string, channel: PrivateChannel, data: unknown): void {
    let text: string | undefined;
    for (const s of this.sessions) {
      if (s.accountId !== accountId || !s.privateSubs.has(channel)) continue;
      text ??= JSON.stringify(data);
      this.emit(s, channel, (seq) => `{"seq":${seq},"channel":"${channel}","data":${text}}`, channel);
    }
  }

  close(): void {
    clearInterval(this.pingTimer);
    for (const s of this.sessions) s.socket.terminate();
    this.sessions.clear();
  }

  // ------------------------------------------------------------------ connection handling

  /** A new market-stream connection; `release` frees its place in the per-IP connection limit when it ends. */
  accept(ws: WebSocket, release: () => void): void {
    const session: Session = {
      id: this.nextClientId++,
      socket: ws,
      tail: undefined,
      seq: 0,
      seqByKey: new Map(),
      sent: 0,
      lastPong: Date.now(),
      publicSubs: new Set(),
      accountId: undefined,
      privateSubs: new Set(),
    };
    this.sessions.add(session);
    // StandX counts "a Ping/Pong" as liveness: its docs tell clients without pong support to ping instead.
    const alive = (): void => {
      session.lastPong = Date.now();
    };
    ws.on('pong', alive);
    ws.on('ping', alive);
    ws.on('message', (data: RawData, isBinary: boolean) => this.onMessage(session, data, isBinary));
    ws.on('close', () => {
      this.sessions.delete(session);
      release();
    });
    ws.on('error', () => {
      this.sessions.delete(session);
      release();
      ws.terminate();
    });
  }

  private onMessage(s: Session, data: RawData, isBinary: boolean): void {
    if (isBinary) return this.error(s, 400, 'binary frames are not supported');
    let json: unknown;
    try {
      json = JSON.parse(rawText(data));
    } catch {
      return this.error(s, 400, 'malformed JSON');
    }
    const parsed = WsClientMessage.safeParse(json);
    if (!parsed.success) return this.error(s, 400, describeZodError(parsed.error));
    const msg = parsed.data;
    if ('auth' in msg) return this.auth(s, msg.auth.token, msg.auth.streams?.map((x) => x.channel) ?? []);
    const subscribe = 'subscribe' in msg;
    const ref = subscribe ? msg.subscribe : msg.unsubscribe;
    if ('symbol' in ref) {
      const inst = this.ctx.instrumentOf(ref.symbol);
      if (!inst) return this.error(s, 400, `unknown symbol: ${ref.symbol}`);
      const key = `${ref.channel}|${inst.symbol}`;
      if (!subscribe) {
        s.publicSubs.delete(key);
        return;
      }
      s.publicSubs.add(key);
      this.initialPublic(s, ref.channel, inst);
      return;
    }
    if (!subscribe) {
      s.privateSubs.delete(ref.channel);
      return;
    }
    if (s.accountId === undefined) return this.error(s, 401, `channel ${ref.channel} requires auth`);
    s.privateSubs.add(ref.channel);
  }

  private auth(s: Session, token: string, streams: PrivateChannel[]): void {
    const check = this.ctx.tokens.verify(token, this.ctx.wallNow());
    const rec = check.ok ? this.ctx.accounts.get(check.claims.sub) : undefined;
    if (!check.ok || !rec) {
      const msg = check.ok ? 'unknown account' : check.reason;
      this.emit(s, 'auth', (seq) => JSON.stringify({ seq, channel: 'auth', data: { code: 401, msg } }));
      return;
    }
    s.accountId = rec.accountId;
    for (const c of streams) s.privateSubs.add(c);
    this.emit(s, 'auth', (seq) => JSON.stringify({ seq, channel: 'auth', data: { code: 200, msg: 'success' } }));
  }

  /** A snapshot right after subscribing, so a client need not wait for the next change. */
  private initialPublic(s: Session, channel: PublicChannel, inst: SimInstrument): void {
    if (channel === 'depth_book') {
      const data = this.depthText(inst);
      this.emit(s, channel, (seq) => envelope(seq, channel, inst, data), `${channel}|${inst.symbol}`);
    } else if (channel === 'price') {
      const data = JSON.stringify(priceToStreamWire(this.ctx.engine.mark(inst.symbol), inst, this.ctx.top(inst.symbol)));
      this.emit(s, channel, (seq) => envelope(seq, channel, inst, data), `${channel}|${inst.symbol}`);
    }
  }

  private heartbeat(): void {
    const now = Date.now();
    for (const s of this.sessions) {
      if (now - s.lastPong > this.opts.pongTimeoutMs) {
        // StandX's words for it; sent straight (not via the gate): the connection is going away regardless.
        this.sessions.delete(s);
        const socket = s.socket;
        if (socket.readyState !== socket.OPEN) {
          socket.terminate();
          continue;
        }
        // Terminate once the notice is written (terminate() discards unflushed data); bounded if it never is.
        const fallback = setTimeout(() => socket.terminate(), 1_000);
        fallback.unref();
        socket.send(JSON.stringify({ code: 408, message: 'disconnecting due to not receive Pong within 5 minute period' }), () => {
          clearTimeout(fallback);
          socket.terminate();
        });
        continue;
      }
      if (s.socket.readyState === s.socket.OPEN) s.socket.ping();
    }
  }

  // ------------------------------------------------------------------ sending

  private publishDepth(symbol: string): void {
    const inst = this.instrument(symbol);
    if (!inst || !this.hasPublic('depth_book', symbol)) return;
    this.sendPublic('depth_book', inst, this.depthText(inst));
  }

  private instrument(symbol: string): SimInstrument | undefined {
    let inst = this.instruments.get(symbol);
    if (inst === undefined && !this.instruments.has(symbol)) {
      inst = this.ctx.engine.instrument(symbol);
      this.instruments.set(symbol, inst);
    }
    return inst;
  }

  private depthText(inst: SimInstrument): string {
    const book = this.ctx.engine.book(inst.symbol, this.ctx.depthLevels);
    return depthToWireJson(book, inst, (levels) => this.shuffleInPlace(levels));
  }

  private hasPublic(channel: PublicChannel, symbol: string): boolean {
    const key = `${channel}|${symbol}`;
    for (const s of this.sessions) if (s.publicSubs.has(key)) return true;
    return false;
  }

  private sendPublic(channel: PublicChannel, inst: SimInstrument, data: string): void {
    const key = `${channel}|${inst.symbol}`;
    for (const s of this.sessions) {
      if (s.publicSubs.has(key)) this.emit(s, channel, (seq) => envelope(seq, channel, inst, data), key);
    }
  }

  private error(s: Session, code: number, msg: string): void {
    this.emit(s, 'error', (seq) => JSON.stringify({ seq, channel: 'error', data: { code, msg } }));
  }

  /** Numbers the message as the dialect counts and hands it to the gate: the only way out. */
  private emit(s: Session, channel: string, render: (seq: number) => string, key: string = channel): void {
    const seq = this.nextSeq(s, key);
    this.gate.outbound(s, { clientId: s.id, channel, seq, text: render(seq) });
  }

  private nextSeq(s: Session, key: string): number {
    s.sent++;
    switch (this.ctx.dialect.current.seq) {
      case 'per_connection':
        return ++s.seq;
      case 'per_channel': {
        const next = (s.seqByKey.get(key) ?? 0) + 1;
        s.seqByKey.set(key, next);
        return next;
      }
      case 'gaps':
        // Still increasing, but every fifth message skips a few numbers (as the docs' example jumps 1 → 35).
        s.seq += s.sent % 5 === 0 ? 4 : 1;
        return s.seq;
    }
  }

  /**
   * Deterministic Fisher-Yates (xorshift32): order varies between messages, runs are reproducible. In place:
   * depthToWire hands over arrays it has just built.
   */
  private shuffleInPlace<T>(out: T[]): T[] {
    for (let i = out.length - 1; i > 0; i--) {
      let x = this.shuffleState;
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      this.shuffleState = x >>> 0;
      const j = this.shuffleState % (i + 1);
      const t = out[i]!;
      out[i] = out[j]!;
      out[j] = t;
    }
    return out;
  }
}

/** StandX names by canonical symbol (a handful per façade), so each message does not redo the rename. */
const standxNames = new Map<string, string>();

function envelope(seq: number, channel: string, inst: SimInstrument, data: string): string {
  let name = standxNames.get(inst.symbol);
  if (name === undefined) {
    name = toStandxSymbol(inst.symbol);
    standxNames.set(inst.symbol, name);
  }
  return `{"seq":${seq},"channel":"${channel}","symbol":"${name}","data":${data}}`;
}

function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
