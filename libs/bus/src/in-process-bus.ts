import type { ZodType } from 'zod';
import type { Subject, SubjectPattern } from '@perpetua/core';
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
import { decodeJson, encodeJson, type Decoded } from './json-codec.js';
import { errorReply, okReply, openReply } from './reply-envelope.js';
import { assertConsumerName, assertDurableSubject, assertMsgId } from './durable-streams.js';
import { assertBucketName } from './kv-names.js';
import { runHandler } from './handler-runner.js';

interface Sub {
  pattern: string;
  /** `replyTo` is set for requests, as a NATS message's reply subject. */
  deliver: (subject: string, data: string, replyTo?: string) => void;
  queue?: string;
}

interface StoredMessage {
  subject: string;
  data: string;
  seq: number;
  msgId: string;
}

/** One durable stream: its retained messages (seq first..first+length-1), de-duplication ids and consumers. */
interface StoredStream {
  messages: StoredMessage[];
  /** Seq of messages[0]: messages before it were discarded by the limit. */
  first: number;
  /** Seq the next message gets. */
  next: number;
  ids: Map<string, number>;
  consumers: Map<string, Consumer>;
  wake: Set<() => void>;
}

export interface InProcessBusOptions extends BusOptions {
  /**
   * Messages kept per durable stream at most; beyond it the oldest go (JetStream's limits retention with discard
   * old) even when a consumer has not handled them: a consumer that had not reached a discarded message resumes at
   * the oldest kept one, and the loss is told to onStreamDiscard. Default 100,000. Only a consumer that is stuck
   * (or registered and never running) reaches it: see keepAcknowledged.
   */
  maxStreamMessages?: number;
  /**
   * Messages every consumer of the stream has handled are kept only up to this many, the newest (default 1,000):
   * a consumer registered later still finds the recent ones, and nothing else reads an in-process stream (it dies
   * with the process). A stream nobody consumes (`orderEvents` in `npm start`, which JetStream keeps for other
   * processes) holds just these. Without this, `npm start` grew by every order event it ever published.
   */
  keepAcknowledged?: number;
  /**
   * Message ids remembered for de-duplication per stream, the newest (default 10,000), whether or not their
   * message is still kept: the count stands in for JetStream's duplicate window.
   */
  duplicateIds?: number;
  /** Told each time a limit discards messages a consumer had not handled yet (they are lost to it). */
  onStreamDiscard?: (stream: DurableStream, undelivered: number) => void;
}

const DEFAULT_MAX_STREAM_MESSAGES = 100_000;
const DEFAULT_KEEP_ACKNOWLEDGED = 1_000;
const DEFAULT_DUPLICATE_IDS = 10_000;

interface Consumer {
  delivered: number; // seq of the last message of the stream handled (acknowledged), in order; 0 = none yet
  running: boolean;
}

/** Pause before a durable message whose handler threw is handed over again (NatsBus's default nak delay). */
const REDELIVERY_DELAY_MS = 200;

/**
 * In-process bus for the single-process default. Messages are serialized to
 * JSON and parsed on delivery exactly as on NATS, so a message that would fail
 * validation across processes fails here too. Delivery is asynchronous
 * (microtask) to keep publishers from re-entering subscribers.
 */
export class InProcessBus implements Bus {
  private subs = new Set<Sub>();
  private queueCursor = new Map<string, number>();
  private streams = new Map<DurableStream, StoredStream>();
  private lastValues = new Map<string, string>();
  private requests = new Set<{ timer: ReturnType<typeof setTimeout>; reject: (e: Error) => void }>();
  private closed = false;
  private pending = 0;
  private idle: Array<() => void> = [];

  constructor(private readonly options: InProcessBusOptions = {}) {}

  publish<T, I>(subject: Subject<T, I>, message: NoInfer<I>): void {
    this.assertOpen();
    this.dispatch(subject, encodeJson(message));
  }

  private dispatch(subject: string, data: string, replyTo?: string): void {
    const groups = new Map<string, Sub[]>();
    for (const sub of this.subs) {
      if (!subjectMatches(sub.pattern, subject)) continue;
      if (sub.queue) {
        const g = groups.get(sub.queue) ?? [];
        g.push(sub);
        groups.set(sub.queue, g);
      } else this.schedule(() => sub.deliver(subject, data, replyTo));
    }
    for (const [queue, members] of groups) {
      const n = this.queueCursor.get(queue) ?? 0;
      this.queueCursor.set(queue, n + 1);
      const member = members[n % members.length]!;
      this.schedule(() => member.deliver(subject, data, replyTo));
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

  subscribe<T, I>(pattern: SubjectPattern<T, I>, schema: ZodType<NoInfer<T>>, handler: MessageHandler<T>, options: SubscribeOptions = {}): Subscription {
    this.assertOpen();
    const sub: Sub = {
      pattern,
      queue: options.queue,
      deliver: (subject, data) => {
        const decoded = this.decode(subject, data, schema);
        if (decoded.ok) runHandler(subject, () => handler(decoded.value, subject), this.options.onHandlerError);
      },
    };
    this.subs.add(sub);
    return { unsubscribe: () => this.subs.delete(sub) };
  }

  /** Decodes an inbound message; a failure is reported through onInvalid. */
  private decode<T>(subject: string, data: string, schema: ZodType<T>): Decoded<T> {
    const decoded = decodeJson(data, schema);
    if (!decoded.ok) this.options.onInvalid?.({ subject, error: decoded.error });
    return decoded;
  }

  async request<T>(subject: string, message: unknown, schema: ZodType<T>, options: { timeoutMs?: number } = {}): Promise<T> {
    this.assertOpen();
    const data = encodeJson(message);
    const replyTo = `_INBOX.${Math.random().toString(36).slice(2)}${Date.now()}`;
    const timeoutMs = options.timeoutMs ?? 5000;
    if (![...this.subs].some((s) => subjectMatches(s.pattern, subject))) throw new BusTimeoutError(`no responders for ${subject}`);
    return new Promise<T>((resolve, reject) => {
      const done = () => {
        clearTimeout(pending.timer);
        this.subs.delete(sub);
        this.requests.delete(pending);
      };
      const pending = {
        timer: setTimeout(() => {
          done();
          reject(new BusTimeoutError(`request to ${subject} timed out after ${timeoutMs} ms`));
        }, timeoutMs),
        reject: (e: Error) => {
          done();
          reject(e);
        },
      };
      const sub: Sub = {
        pattern: replyTo,
        deliver: (_s, reply) => {
          done();
          try {
            resolve(openReply(subject, JSON.parse(reply), schema));
          } catch (e) {
            reject(e instanceof BusRemoteError ? e : new BusRemoteError(`invalid reply from ${subject}: not JSON`));
          }
        },
      };
      this.requests.add(pending);
      this.subs.add(sub);
      this.dispatch(subject, data, replyTo);
    });
  }

  serve<Req, Res>(subject: string, schema: ZodType<Req>, handler: (request: Req) => Res | Promise<Res>): Subscription {
    this.assertOpen();
    const sub: Sub = {
      pattern: subject,
      queue: `serve:${subject}`,
      deliver: (s, data, replyTo) => {
        const reply = (envelope: unknown) => {
          if (this.closed || replyTo === undefined) return;
          let text: string;
          try {
            text = encodeJson(envelope);
          } catch (encodeErr) {
            text = encodeJson(errorReply(encodeErr));
          }
          this.dispatch(replyTo, text);
        };
        const decoded = this.decode(s, data, schema);
        if (!decoded.ok) return reply(errorReply(`invalid request: ${decoded.error}`));
        Promise.resolve()
          .then(() => handler(decoded.value))
          .then(
            (value) => reply(okReply(value)),
            (err: unknown) => reply(errorReply(err)),
          );
      },
    };
    this.subs.add(sub);
    return { unsubscribe: () => this.subs.delete(sub) };
  }

  private stream(name: DurableStream): StoredStream {
    let s = this.streams.get(name);
    if (!s) {
      s = { messages: [], first: 1, next: 1, ids: new Map(), consumers: new Map(), wake: new Set() };
      this.streams.set(name, s);
    }
    return s;
  }

  /** What each stream holds now (for gauges): messages, de-duplication ids, and how far trimming has gone. */
  streamStats(): Array<{ stream: DurableStream; messages: number; ids: number; firstSeq: number; lastSeq: number }> {
    return [...this.streams].map(([stream, s]) => ({ stream, messages: s.messages.length, ids: s.ids.size, firstSeq: s.first, lastSeq: s.next - 1 }));
  }

  /**
   * Drops what no consumer needs (handled by all, beyond the newest keepAcknowledged) and, past the hard limit,
   * the oldest whatever their consumers; in batches of a tenth, so the array is not shifted on every publish.
   */
  private trim(name: DurableStream, s: StoredStream): void {
    const max = Math.max(1, this.options.maxStreamMessages ?? DEFAULT_MAX_STREAM_MESSAGES);
    const keep = Math.max(0, this.options.keepAcknowledged ?? DEFAULT_KEEP_ACKNOWLEDGED);
    this.forgetOldIds(s);
    const overCap = s.messages.length - max;
    let handledByAll = s.next - 1;
    for (const c of s.consumers.values()) handledByAll = Math.min(handledByAll, c.delivered);
    const acknowledged = Math.min(handledByAll - (s.first - 1), s.messages.length - keep);
    const batch = (n: number) => Math.max(1, Math.floor(n / 10));
    const drop = Math.max(overCap >= batch(max) ? overCap : 0, acknowledged >= batch(Math.max(keep, 10)) ? acknowledged : 0);
    if (drop <= 0) return;
    s.messages.splice(0, drop);
    s.first += drop;
    // Consumers behind the cut skip to the oldest kept message when they next read (the pump does it, so a
    // handler running on a discarded message finishes undisturbed).
    let undelivered = 0;
    for (const c of s.consumers.values()) undelivered += Math.max(0, Math.min(drop, s.first - 1 - c.delivered));
    if (undelivered > 0) this.options.onStreamDiscard?.(name, undelivered);
  }

  /** The de-duplication ids beyond the newest duplicateIds go (a Map iterates in insertion order: oldest first). */
  private forgetOldIds(s: StoredStream): void {
    const max = Math.max(1, this.options.duplicateIds ?? DEFAULT_DUPLICATE_IDS);
    if (s.ids.size <= max + Math.floor(max / 10)) return;
    for (const id of s.ids.keys()) {
      if (s.ids.size <= max) break;
      s.ids.delete(id);
    }
  }

  async publishDurable<T, I>(stream: DurableStream, subject: Subject<T, I>, message: NoInfer<I>, msgId: string): Promise<DurablePublishAck> {
    this.assertOpen();
    assertDurableSubject(stream, subject);
    assertMsgId(msgId);
    const data = encodeJson(message);
    const s = this.stream(stream);
    // Durable messages are also visible to plain subscribers, as on JetStream,
    // where the publish is an ordinary message: duplicates included.
    this.dispatch(subject, data);
    const seen = s.ids.get(msgId);
    if (seen !== undefined) return { duplicate: true, streamSeq: seen };
    const seq = s.next++;
    s.ids.set(msgId, seq);
    s.messages.push({ subject, data, seq, msgId });
    this.trim(stream, s);
    for (const w of s.wake) w();
    return { duplicate: false, streamSeq: seq };
  }

  async consumeDurable<T>(stream: DurableStream, consumer: string, schema: ZodType<T>, handler: DurableHandler<T>, options: { filterSubject?: string } = {}): Promise<Subscription> {
    this.assertOpen();
    assertConsumerName(consumer);
    const s = this.stream(stream);
    const state = s.consumers.get(consumer) ?? { delivered: 0, running: false };
    s.consumers.set(consumer, state);
    let active = true;
    const pump = async () => {
      if (state.running) return;
      state.running = true;
      let attempts = 0; // deliveries of the message at the head, for `redelivered`
      try {
        while (active && !this.closed && state.delivered < s.next - 1) {
          // A limit may have discarded messages while a handler ran: resume at the oldest kept one.
          if (state.delivered < s.first - 1) state.delivered = s.first - 1;
          const m = s.messages[state.delivered - (s.first - 1)]!;
          if (!options.filterSubject || subjectMatches(options.filterSubject, m.subject)) {
            const decoded = this.decode(m.subject, m.data, schema);
            if (decoded.ok) {
              try {
                await handler(decoded.value, { subject: m.subject, streamSeq: m.seq, redelivered: attempts++ > 0 });
              } catch (e) {
                this.options.onHandlerError?.(m.subject, e);
                // Not acknowledged: retry after a pause, as a nak with delay would.
                await new Promise((r) => setTimeout(r, REDELIVERY_DELAY_MS));
                continue;
              }
            }
          }
          attempts = 0;
          state.delivered++;
        }
      } finally {
        state.running = false;
        // A session that stopped with work left hands over to a successor
        // started under the same name while this one was finishing.
        if (!active && !this.closed && state.delivered < s.next - 1) for (const w of s.wake) w();
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
    this.assertOpen();
    assertBucketName(bucket);
    this.lastValues.set(`${bucket}\u0000${key}`, encodeJson(message));
  }

  async getLast<T>(bucket: string, key: string, schema: ZodType<T>): Promise<T | undefined> {
    this.assertOpen();
    assertBucketName(bucket);
    const data = this.lastValues.get(`${bucket}\u0000${key}`);
    if (data === undefined) return undefined;
    const decoded = this.decode(`${bucket}.${key}`, data, schema);
    return decoded.ok ? decoded.value : undefined;
  }

  async flush(): Promise<void> {
    if (this.pending === 0) return;
    await new Promise<void>((r) => this.idle.push(r));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.subs.clear();
    for (const s of this.streams.values()) s.wake.clear();
    // Nothing can answer any more: fail pending requests now rather than at their timeout.
    for (const r of [...this.requests]) r.reject(new Error('bus is closed'));
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('bus is closed');
  }
}
