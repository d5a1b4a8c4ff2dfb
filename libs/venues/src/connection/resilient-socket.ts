import WebSocket from 'ws';
import { ReconnectBackoff } from './reconnect-backoff.js';

export interface ResilientSocketOptions {
  url: string;
  /** Called on every (re)connect, before any message: send subscriptions here. */
  onOpen(socket: ResilientSocket): void;
  onMessage(text: string): void;
  /** 'connected' after open; 'resyncing' after a drop, while reconnecting; 'down' once closed for good. */
  onState?(state: 'connected' | 'resyncing' | 'down', reason?: string): void;
  /** No frame (message or ping) for this long: the connection is presumed dead and replaced. */
  silenceTimeoutMs?: number;
  /** Send our own ping this often (venues that expect client pings); 0 = never. */
  pingIntervalMs?: number;
  backoff?: ReconnectBackoff;
  headers?: Record<string, string>;
  /**
   * Waits for the venue's connection budget before every dial (first one included) and returns the function that
   * gives the place back when that connection ends. Venues that limit connections per IP pass one.
   */
  admit?: () => Promise<() => void>;
}

/**
 * A WebSocket that stays connected: reconnects with jittered backoff after a
 * close, an error or a silent stretch, and replays its subscriptions through
 * onOpen. Pings from the server are answered by `ws` itself and count as life.
 */
export class ResilientSocket {
  private ws: WebSocket | undefined;
  private closed = false;
  private lastFrameAt = 0;
  private watchdog: NodeJS.Timeout | undefined;
  private pinger: NodeJS.Timeout | undefined;
  private retry: NodeJS.Timeout | undefined;
  private readonly backoff: ReconnectBackoff;
  private opened: Promise<void>;
  private resolveOpened!: () => void;

  constructor(private readonly opts: ResilientSocketOptions) {
    this.backoff = opts.backoff ?? new ReconnectBackoff(100, 5_000);
    this.opened = new Promise((r) => (this.resolveOpened = r));
    this.connect();
  }

  /** Resolves at the first successful open. */
  whenOpen(): Promise<void> {
    return this.opened;
  }

  send(text: string): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(text);
  }

  /** Drops the current connection and reconnects (e.g. after a sequence gap). */
  resync(reason: string): void {
    if (this.closed) return;
    this.opts.onState?.('resyncing', reason);
    this.ws?.terminate();
  }

  private connect(): void {
    if (this.closed) return;
    const admit = this.opts.admit;
    if (!admit) return this.dial(() => undefined);
    void admit().then((release) => {
      if (this.closed) return release();
      this.dial(release);
    });
  }

  private dial(release: () => void): void {
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.opts.url, { headers: this.opts.headers });
    } catch (err) {
      release();
      throw err;
    }
    this.ws = ws;
    const alive = () => (this.lastFrameAt = Date.now());
    ws.on('open', () => {
      alive();
      this.backoff.reset();
      this.opts.onState?.('connected');
      this.opts.onOpen(this);
      this.resolveOpened();
    });
    ws.on('message', (data: WebSocket.RawData) => {
      alive();
      this.opts.onMessage(data.toString());
    });
    ws.on('ping', alive);
    ws.on('pong', alive);
    ws.on('error', () => undefined); // 'close' follows and carries the reconnect
    ws.on('close', (code, reason) => {
      release();
      if (this.ws !== ws) return;
      this.ws = undefined;
      if (this.closed) return;
      this.opts.onState?.('resyncing', `socket closed (${code}${reason.length ? ` ${reason.toString()}` : ''})`);
      this.retry = setTimeout(() => this.connect(), this.backoff.nextDelayMs());
    });
    this.armTimers();
  }

  private armTimers(): void {
    if (this.watchdog) return;
    const silence = this.opts.silenceTimeoutMs ?? 30_000;
    this.watchdog = setInterval(() => {
      if (this.ws?.readyState === WebSocket.OPEN && Date.now() - this.lastFrameAt > silence) this.resync(`no frame for ${silence} ms`);
    }, Math.max(50, Math.floor(silence / 4)));
    this.watchdog.unref();
    const every = this.opts.pingIntervalMs ?? 0;
    if (every > 0) {
      this.pinger = setInterval(() => {
        if (this.ws?.readyState === WebSocket.OPEN) this.ws.ping();
      }, every);
      this.pinger.unref();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.watchdog);
    clearInterval(this.pinger);
    clearTimeout(this.retry);
    const ws = this.ws;
    this.ws = undefined;
    if (ws && ws.readyState !== WebSocket.CLOSED) {
      await new Promise<void>((resolve) => {
        ws.once('close', () => resolve());
        ws.terminate();
      });
    }
    this.opts.onState?.('down', 'closed');
  }
}
