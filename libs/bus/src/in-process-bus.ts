import type { ZodType } from 'zod';
import {
  type Bus,
  type BusOptions,
  type DurableHandler,
  type DurablePublishAck,
  type DurableStream,
  type MessageHandler,
  type SubscribeOptions,
  type Subscription,
  BusRemoteError,
  BusTimeoutError,
} from './bus.js';
import { subjectMatches } from './subject-match.js';

interface Sub {
  pattern: string;
  deliver: (subject: string, data: string) => void;
  queue?: string;
}

interface StoredMessage {
  subject: string;
  data: string;
  seq: number;
}

interface Consumer {
  delivered: number; // highest stream seq acknowledged
  running: boolean;
}

/**
 * In-process bus for the single-process default. Messages are serialized to
 * JSON and parsed on delivery exactly as on NATS, so a message that would fail
 * validation across processes fails here too. Delivery is asynchronous
 * (microtask) to keep publishers from re-entering subscribers.
 */
export class InProcessBus implements Bus {
  private subs = new Set<Sub>();
  private queueCursor = new Map<string, number>();
  private streams = new Map<DurableStream, { messages: StoredMessage[]; ids: Map<string, number>; consumers: Map<string, Consumer>; wake: Set<() => void> }>();
  private lastValues = new Map<string, string>();
  private closed = false;
  private pending = 0;
  private idle: Array<() => void> = [];

  constructor(private readonly options: BusOptions = {}) {}

  publish(subject: string, message: unknown): void {
    this.assertOpen();
    this.dispatch(subject, JSON.stringify(message));
  }

  private dispatch(subject: string, data: string): void {
    const groups = new Map<string, Sub[]>();
    for (const sub of this.subs) {
      if (!subjectMatches(sub.pattern, subject)) continue;
      if (sub.queue) {
        const g = groups.get(sub.queue) ?? [];
        g.push(sub);
        groups.set(sub.queue, g);
      } else this.schedule(() => sub.deliver(subject, data));
    }
    for (const [queue, members] of groups) {
      const n = this.queueCursor.get(queue) ?? 0;
      this.queueCursor.set(queue, n + 1);
      const member = members[n % members.length]!;
      this.schedule(() => member.deliver(subject, data));
    }
  }

  private schedule(fn: () => void): void {
    this.pending++;
    queueMicrotask(() => {
      try {
        fn();
      } finally {
        if (--this.pending === 0) for (const r of this.idle.splice(0)) r();
      }
    });
  }

  subscribe<T>(pattern: string, schema: ZodType<T>, handler: MessageHandler<T>, options: SubscribeOptions = {}): Subscription {
    this.assertOpen();
    const sub: Sub = {
      pattern,
      queue: options.queue,
      deliver: (subject, data) => {
        const parsed = this.decode(subject, data, schema);
        if (parsed === undefined) return;
        this.runHandler(subject, () => handler(parsed.value, subject));
      },
    };
    this.subs.add(sub);
    return { unsubscribe: () => this.subs.delete(sub) };
  }

  private decode<T>(subject: string, data: string, schema: ZodType<T>): { value: T } | undefined {
    let raw: unknown;
    try {
      raw = JSON.parse(data);
    } catch {
      this.options.onInvalid?.({ subject, error: 'not JSON' });
      return undefined;
    }
    const result = schema.safeParse(raw);
    if (!result.success) {
      this.options.onInvalid?.({ subject, error: result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
      return undefined;
    }
    return { value: result.data };
  }

  private runHandler(subject: string, fn: () => void | Promise<void>): void {
    try {
      const r = fn();
      if (r && typeof (r as Promise<void>).catch === 'function') (r as Promise<void>).catch((e) => this.options.onHandlerError?.(subject, e));
    } catch (e) {
      this.options.onHandlerError?.(subject, e);
    }
  }

  async request<T>(subject: string, message: unknown, schema: ZodType<T>, options: { timeoutMs?: number } = {}): Promise<T> {
    this.assertOpen();
    const replyTo = `_INBOX.${Math.random().toString(36).slice(2)}${Date.now()}`;
    const timeoutMs = options.timeoutMs ?? 5000;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.subs.delete(sub);
        reject(new BusTimeoutError(`request to ${subject} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      const sub: Sub = {
        pattern: replyTo,
        deliver: (_s, data) => {
          clearTimeout(timer);
          this.subs.delete(sub);
          const envelope = JSON.parse(data) as { ok: boolean; value?: unknown; error?: string };
          if (!envelope.ok) return reject(new BusRemoteError(envelope.error ?? 'remote error'));
          const parsed = schema.safeParse(envelope.value);
          if (!parsed.success) return reject(new BusRemoteError(`invalid reply from ${subject}: ${parsed.error.message}`));
          resolve(parsed.data);
        },
      };
      this.subs.add(sub);
      const hasResponder = [...this.subs].some((s) => s !== sub && subjectMatches(s.pattern, subject));
      if (!hasResponder) {
        clearTimeout(timer);
        this.subs.delete(sub);
        reject(new BusTimeoutError(`no responders for ${subject}`));
        return;
      }
      this.dispatch(subject, JSON.stringify({ replyTo, body: message }));
    });
  }

  serve<Req, Res>(subject: string, schema: ZodType<Req>, handler: (request: Req) => Res | Promise<Res>): Subscription {
    this.assertOpen();
    const sub: Sub = {
      pattern: subject,
      queue: `serve:${subject}`,
      deliver: (s, data) => {
        const { replyTo, body } = JSON.parse(data) as { replyTo: string; body: unknown };
        const reply = (envelope: unknown) => {
          if (!this.closed) this.dispatch(replyTo, JSON.stringify(envelope));
        };
        const parsed = schema.safeParse(body);
        if (!parsed.success) {
          this.options.onInvalid?.({ subject: s, error: parsed.error.message });
          return reply({ ok: false, error: `invalid request: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}` });
        }
        Promise.resolve()
          .then(() => handler(parsed.data))
          .then(
            (value) => reply({ ok: true, value }),
            (err: unknown) => reply({ ok: false, error: err instanceof Error ? err.message : String(err) }),
          );
      },
    };
    this.subs.add(sub);
    return { unsubscribe: () => this.subs.delete(sub) };
  }

  private stream(name: DurableStream) {
    let s = this.streams.get(name);
    if (!s) {
      s = { messages: [], ids: new Map(), consumers: new Map(), wake: new Set() };
      this.streams.set(name, s);
    }
    return s;
  }

  async publishDurable(stream: DurableStream, subject: string, message: unknown, msgId: string): Promise<DurablePublishAck> {
    this.assertOpen();
    const s = this.stream(stream);
    const seen = s.ids.get(msgId);
    if (seen !== undefined) return { duplicate: true, streamSeq: seen };
    const seq = s.messages.length + 1;
    s.ids.set(msgId, seq);
    const data = JSON.stringify(message);
    s.messages.push({ subject, data, seq });
    for (const w of s.wake) w();
    // Durable messages are also visible to plain subscribers, as on JetStream.
    this.dispatch(subject, data);
    return { duplicate: false, streamSeq: seq };
  }

  async consumeDurable<T>(stream: DurableStream, consumer: string, schema: ZodType<T>, handler: DurableHandler<T>, options: { filterSubject?: string } = {}): Promise<Subscription> {
    this.assertOpen();
    const s = this.stream(stream);
    const state = s.consumers.get(consumer) ?? { delivered: 0, running: false };
    s.consumers.set(consumer, state);
    let active = true;
    const pump = async () => {
      if (state.running) return;
      state.running = true;
      try {
        while (active && !this.closed && state.delivered < s.messages.length) {
          const m = s.messages[state.delivered]!;
          if (!options.filterSubject || subjectMatches(options.filterSubject, m.subject)) {
            const parsed = this.decode(m.subject, m.data, schema);
            if (parsed) {
              try {
                await handler(parsed.value, { subject: m.subject, streamSeq: m.seq, redelivered: false });
              } catch (e) {
                this.options.onHandlerError?.(m.subject, e);
                // Not acknowledged: retry after a pause, as a nak with delay would.
                await new Promise((r) => setTimeout(r, 100));
                continue;
              }
            }
          }
          state.delivered++;
        }
      } finally {
        state.running = false;
      }
    };
    const wake = () => void pump();
    s.wake.add(wake);
    void pump();
    return {
      unsubscribe: () => {
        active = false;
        s.wake.delete(wake);
      },
    };
  }

  async putLast(bucket: string, key: string, message: unknown): Promise<void> {
    this.lastValues.set(`${bucket}\u0000${key}`, JSON.stringify(message));
  }

  async getLast<T>(bucket: string, key: string, schema: ZodType<T>): Promise<T | undefined> {
    const data = this.lastValues.get(`${bucket}\u0000${key}`);
    if (data === undefined) return undefined;
    return this.decode(`${bucket}.${key}`, data, schema)?.value;
  }

  async flush(): Promise<void> {
    if (this.pending === 0) return;
    await new Promise<void>((r) => this.idle.push(r));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.subs.clear();
    for (const s of this.streams.values()) s.wake.clear();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('bus is closed');
  }
}
