import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { z } from 'zod';
import type { SimBalanceEvent, SimBookEvent, SimMarkEvent, SimOrder, SimOrderEvent, SimPositionEvent, SimTradeEvent } from '../../engine/types.js';
import type { FacadeTap } from '../facade-tap.js';
import { WsSession } from '../tapped-ws-session.js';
import { okxBookChecksum } from './book-checksum.js';
import { OkxError } from './errors.js';
import type { OkxFacadeContext } from './facade-context.js';
import { toContracts, type OkxInstrument } from './okx-instruments.js';
import { balanceWire, checksumLevels, levelsWire, orderWire, positionWire } from './wire.js';

/** OKX's stream endpoints (paths kept from wss://ws.okx.com:8443/ws/v5/...). */
export const OKX_WS_PATHS = { public: '/ws/v5/public', private: '/ws/v5/private', business: '/ws/v5/business' } as const;

const PUBLIC_CHANNELS = new Set(['books', 'books5', 'bbo-tbt', 'trades', 'mark-price', 'funding-rate', 'tickers']);
const PRIVATE_CHANNELS = new Set(['orders', 'positions', 'account']);
/** Levels in a `books` snapshot (OKX: 400). */
const BOOK_DEPTH = 400;
const MAX_SUBSCRIPTIONS = 256;

const Arg = z.object({ channel: z.string().max(64), instId: z.string().max(64).optional(), instType: z.string().max(16).optional(), ccy: z.string().max(16).optional() }).passthrough();
const Op = z.object({ op: z.string().max(32), args: z.array(z.unknown()).max(64).optional(), id: z.string().max(64).optional() });

interface Session {
  ws: WsSession;
  kind: keyof typeof OKX_WS_PATHS;
  accountId?: string;
}

/**
 * The OKX v5 stream endpoints: public (`books` snapshot then updates with seqId / prevSeqId and the CRC32 checksum
 * of the top 25 levels, `books5`, `bbo-tbt`, `trades`, `mark-price`, `funding-rate`, `tickers`) and private (`login`,
 * then `orders`, `positions`, `account`), with OKX's text `ping` / `pong`. Sizes are contracts. Frames go out through
 * the tapped session (the fault seam); a frame's stream is `<channel>:<instId>` (private: `<channel>`).
 */
export class OkxWsGateway {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  private readonly sessions = new Set<Session>();
  private nextId = 1;

  constructor(
    private readonly ctx: OkxFacadeContext,
    private readonly tap: () => FacadeTap,
    /** An error other than a refusal or a malformed arg (answered 60013 all the same), as REST reports them. */
    private readonly onInternalError?: (err: unknown) => void,
  ) {}

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const url = req.url ?? '/';
    const path = url.split('?')[0] ?? '/';
    const kind = (Object.keys(OKX_WS_PATHS) as Array<keyof typeof OKX_WS_PATHS>).find((k) => OKX_WS_PATHS[k] === path);
    if (!kind) {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, path, kind));
  }

  close(): void {
    for (const s of this.sessions) s.ws.terminate();
    this.sessions.clear();
    this.wss.close();
  }

  private accept(socket: WebSocket, path: string, kind: Session['kind']): void {
    const ws = new WsSession(this.nextId++, randomUUID().slice(0, 8), path, kind !== 'public', socket, this.tap, Date.now());
    const s: Session = { ws, kind };
    this.sessions.add(s);
    socket.on('close', () => this.sessions.delete(s));
    // ws has already closed the connection (1009 for a frame over maxPayload); unheard, the error would be uncaught.
    socket.on('error', () => socket.terminate());
    socket.on('message', (data: RawData) => this.onMessage(s, data.toString()));
  }

  private onMessage(s: Session, text: string): void {
    if (text === 'ping') {
      s.ws.sendSerialized(undefined, 'pong'); // a reply, not a stream's frame
      return;
    }
    let parsed: z.infer<typeof Op>;
    try {
      parsed = Op.parse(JSON.parse(text));
    } catch {
      this.error(s, '60012', `Invalid request: ${text.slice(0, 200)}`);
      return;
    }
    try {
      if (parsed.op === 'login') this.login(s, parsed.args ?? []);
      else if (parsed.op === 'subscribe') for (const a of parsed.args ?? []) this.subscribe(s, Arg.parse(a));
      else if (parsed.op === 'unsubscribe') for (const a of parsed.args ?? []) this.unsubscribe(s, Arg.parse(a));
      else throw new OkxError('60019', `Invalid op: ${parsed.op.slice(0, 32)}`);
    } catch (err) {
      if (err instanceof OkxError) return this.error(s, err.code, err.message);
      if (!(err instanceof z.ZodError)) this.onInternalError?.(err);
      this.error(s, '60013', 'Invalid args');
    }
  }

  private error(s: Session, code: string, msg: string): void {
    s.ws.send(undefined, { event: 'error', code, msg, connId: s.ws.connId });
  }

  private login(s: Session, args: unknown[]): void {
    if (s.kind === 'public' && args.length === 0) throw new OkxError('60013', 'Invalid args');
    const a = (args[0] ?? {}) as Record<string, unknown>;
    try {
      const cred = this.ctx.keys.verifyLogin(a, this.ctx.serverTime());
      s.accountId = cred.accountId;
      s.ws.send(undefined, { event: 'login', code: '0', msg: '', connId: s.ws.connId });
    } catch (err) {
      // OKX answers a failed login with the error and keeps the connection (it closes it after 30 s idle).
      if (err instanceof OkxError) this.error(s, err.code, err.message);
      else throw err;
    }
  }

  private subscribe(s: Session, arg: z.infer<typeof Arg>): void {
    const channel = arg.channel;
    if (s.ws.topics.size >= MAX_SUBSCRIPTIONS) throw new OkxError('60014', 'Requests too frequent.');
    if (PRIVATE_CHANNELS.has(channel)) {
      if (s.kind === 'public') throw new OkxError('60018', `Wrong URL or channel:${channel} doesn't exist. Please use the correct URL, channel and parameters referring to API document.`);
      if (!s.accountId) throw new OkxError('60011', 'Please log in');
      s.ws.topics.add(channel);
      s.ws.send(undefined, { event: 'subscribe', arg, connId: s.ws.connId });
      if (channel === 'account') s.ws.send(channel, { arg, data: [balanceWire(this.ctx.engine.balance(s.accountId))] });
      return;
    }
    if (!PUBLIC_CHANNELS.has(channel) || s.kind !== 'public')
      throw new OkxError('60018', `Wrong URL or channel:${channel},instId:${arg.instId ?? ''} doesn't exist. Please use the correct URL, channel and parameters referring to API document.`);
    const inst = arg.instId === undefined ? undefined : this.ctx.instruments.get(arg.instId);
    if (!inst) throw new OkxError('60018', `Wrong URL or channel:${channel},instId:${arg.instId ?? ''} doesn't exist. Please use the correct URL, channel and parameters referring to API document.`);
    const topic = `${channel}:${inst.instId}`;
    s.ws.topics.add(topic);
    s.ws.send(undefined, { event: 'subscribe', arg: { channel, instId: inst.instId }, connId: s.ws.connId });
    // What a subscriber gets at once: the book snapshot, the current top, mark and funding.
    if (channel === 'books') s.ws.sendSerialized(topic, this.bookSnapshot(inst));
    else if (channel === 'books5' || channel === 'bbo-tbt') s.ws.sendSerialized(topic, this.bookTop(inst, channel));
    else if (channel === 'mark-price') s.ws.sendSerialized(topic, this.markMessage(inst));
    else if (channel === 'funding-rate') s.ws.sendSerialized(topic, this.fundingMessage(inst));
  }

  private unsubscribe(s: Session, arg: z.infer<typeof Arg>): void {
    const topic = PRIVATE_CHANNELS.has(arg.channel) ? arg.channel : `${arg.channel}:${arg.instId ?? ''}`;
    s.ws.topics.delete(topic);
    s.ws.send(undefined, { event: 'unsubscribe', arg, connId: s.ws.connId });
  }

  private bookSnapshot(inst: OkxInstrument): string {
    const b = this.ctx.engine.book(inst.inst.symbol, BOOK_DEPTH);
    return JSON.stringify({
      arg: { channel: 'books', instId: inst.instId },
      action: 'snapshot',
      data: [
        {
          asks: levelsWire(b.asks, inst),
          bids: levelsWire(b.bids, inst),
          ts: String(b.ts),
          checksum: okxBookChecksum(checksumLevels(b.bids.slice(0, 25), inst), checksumLevels(b.asks.slice(0, 25), inst)),
          prevSeqId: -1,
          seqId: b.lastUpdateId,
        },
      ],
    });
  }

  private bookTop(inst: OkxInstrument, channel: 'books5' | 'bbo-tbt'): string {
    const b = this.ctx.engine.book(inst.inst.symbol, channel === 'books5' ? 5 : 1);
    return JSON.stringify({
      arg: { channel, instId: inst.instId },
      data: [{ asks: levelsWire(b.asks, inst), bids: levelsWire(b.bids, inst), instId: inst.instId, ts: String(b.ts), seqId: b.lastUpdateId }],
    });
  }

  private markMessage(inst: OkxInstrument): string {
    const m = this.ctx.engine.mark(inst.inst.symbol);
    return JSON.stringify({ arg: { channel: 'mark-price', instId: inst.instId }, data: [{ instType: 'SWAP', instId: inst.instId, markPx: m.markPrice, ts: String(m.ts) }] });
  }

  private fundingMessage(inst: OkxInstrument): string {
    const m = this.ctx.engine.mark(inst.inst.symbol);
    return JSON.stringify({
      arg: { channel: 'funding-rate', instId: inst.instId },
      data: [
        {
          instType: 'SWAP',
          instId: inst.instId,
          method: 'current_period',
          fundingRate: m.fundingRate,
          nextFundingRate: '',
          fundingTime: String(m.nextFundingTime),
          nextFundingTime: String(m.nextFundingTime + m.fundingIntervalMs),
          ts: String(m.ts),
        },
      ],
    });
  }

  /** Sends a frame, serialized once and only if someone listens, to every public session on `topic`. */
  private fanOut(topic: string, build: () => string): void {
    let text: string | undefined;
    for (const s of this.sessions) {
      if (!s.ws.topics.has(topic)) continue;
      text ??= build();
      s.ws.sendSerialized(topic, text);
    }
  }

  onBook(e: SimBookEvent): void {
    const inst = this.ctx.instruments.ofSymbol(e.symbol);
    this.fanOut(`books:${inst.instId}`, () => {
      const top = this.ctx.engine.book(e.symbol, 25);
      return JSON.stringify({
        arg: { channel: 'books', instId: inst.instId },
        action: 'update',
        data: [
          {
            asks: levelsWire(e.asks, inst),
            bids: levelsWire(e.bids, inst),
            ts: String(e.ts),
            checksum: okxBookChecksum(checksumLevels(top.bids, inst), checksumLevels(top.asks, inst)),
            prevSeqId: e.prevUpdateId,
            seqId: e.lastUpdateId,
          },
        ],
      });
    });
    this.fanOut(`books5:${inst.instId}`, () => this.bookTop(inst, 'books5'));
    this.fanOut(`bbo-tbt:${inst.instId}`, () => this.bookTop(inst, 'bbo-tbt'));
  }

  onTrade(e: SimTradeEvent): void {
    const inst = this.ctx.instruments.ofSymbol(e.symbol);
    this.fanOut(`trades:${inst.instId}`, () =>
      JSON.stringify({
        arg: { channel: 'trades', instId: inst.instId },
        data: [{ instId: inst.instId, tradeId: e.tradeId, px: e.price, sz: toContracts(inst, e.qty), side: e.side, count: '1', source: '0', ts: String(e.ts) }],
      }),
    );
  }

  onMark(e: SimMarkEvent): void {
    const inst = this.ctx.instruments.ofSymbol(e.symbol);
    this.fanOut(`mark-price:${inst.instId}`, () => this.markMessage(inst));
    this.fanOut(`funding-rate:${inst.instId}`, () => this.fundingMessage(inst));
  }

  private toAccount(accountId: string, channel: string, build: () => unknown): void {
    let text: string | undefined;
    for (const s of this.sessions) {
      if (s.accountId !== accountId || !s.ws.topics.has(channel)) continue;
      text ??= JSON.stringify(build());
      s.ws.sendSerialized(channel, text);
    }
  }

  onOrder(e: SimOrderEvent): void {
    this.pushOrder(e.order, e.fill);
  }

  /** An order update (with the fill that caused it) on the `orders` channel of the order's account. */
  pushOrder(o: SimOrder, fill?: SimOrderEvent['fill']): void {
    const inst = this.ctx.instruments.ofSymbol(o.symbol);
    this.toAccount(o.accountId, 'orders', () => {
      const w = orderWire(o, inst, this.ctx.quote, { cumFee: this.ctx.keeper.cumFee(o.accountId, o.orderId), ...(fill ? { fill } : {}) });
      const source = this.ctx.keeper.cancelSource(o.accountId, o.orderId);
      return { arg: { channel: 'orders', instType: 'ANY', uid: o.accountId }, data: [source !== undefined ? { ...w, cancelSource: source } : w] };
    });
  }

  onPosition(e: SimPositionEvent): void {
    const inst = this.ctx.instruments.ofSymbol(e.position.symbol);
    this.toAccount(e.accountId, 'positions', () => ({
      arg: { channel: 'positions', instType: 'ANY', uid: e.accountId },
      data: [positionWire(e.position, inst, this.ctx.quote)],
    }));
  }

  onBalance(e: SimBalanceEvent): void {
    this.toAccount(e.accountId, 'account', () => ({ arg: { channel: 'account', uid: e.accountId }, data: [balanceWire(e.balance)] }));
  }
}
