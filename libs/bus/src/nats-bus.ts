import { z, type ZodType } from 'zod';
import { connect, nanos, NoRespondersError, RequestError, TimeoutError, type Msg, type NatsConnection } from '@nats-io/transport-node';
import {
  DeliverPolicy,
  DiscardPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  RetentionPolicy,
  StorageType,
  jetstream,
  jetstreamManager,
  type JetStreamClient,
  type JetStreamManager,
} from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import { deploymentNames, type DeploymentNames, type Subject, type SubjectPattern } from '@perpetua/core';
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
import { decodeJsonBytes, encodeJson, type Decoded } from './json-codec.js';
import { errorReply, okReply, openReply } from './reply-envelope.js';
import { assertConsumerName, assertDurableSubject, assertMsgId, durableStreamSpec } from './durable-streams.js';
import { assertBucketName, encodeKvKey } from './kv-names.js';
import { runHandler } from './handler-runner.js';
import type { DurableReadHandler, DurableReadSummary, DurableStreamReader, DurableStreamState } from './durable-stream-reader.js';
import { startDurableConsumer, type RunningConsumer } from './nats-durable-consumer.js';
import { NatsLeaseStore } from './lease/nats-lease-store.js';
import type { LeaseStore } from './lease/lease-store.js';

export interface NatsBusOptions extends BusOptions {
  /** One server URL or several (same cluster). */
  url: string | string[];
  /** Connection name, shown by the server (e.g. the service name). */
  name: string;
  /**
   * Prepended to the JetStream stream names (`${streamPrefix}FILLS`). The
   * subjects stay the real ones (`fill.>`), so producers and plain subscribers
   * need not know the prefix. Consequence: two prefixes cannot coexist on one
   * server (JetStream refuses streams with overlapping subjects); a prefix is
   * for giving a deployment its own stream names, and tests isolate by running
   * their own nats-server per test file.
   */
  streamPrefix?: string;
  /** Prepended to last-value bucket names (`${bucketPrefix}${bucket}`). */
  bucketPrefix?: string;
  /**
   * The deployment this bus belongs to (config `nats.deployment`): every
   * subject on the wire, stream, durable consumer and bucket carries it (see
   * deploymentNames in libs/core), so several deployments share one NATS
   * account without seeing each other. Callers keep using unscoped subjects.
   */
  deployment?: string;
  /** Copies JetStream keeps of each stream and bucket (default 1; 3 on a three-node cluster survives losing a node). */
  replicas?: number;
  /**
   * Message limit of the FILLS stream (default 2,000,000, DEFAULT_FILLS_MAX_MESSAGES): fills are kept with
   * no age limit, so Redis can be rebuilt from them (`perpetua state rebuild`), until the stream holds this
   * many; then the oldest are discarded and a rebuild reports itself truncated. A count, not bytes: a byte
   * limit reserves that much of the server's JetStream storage up front, per stream and replica, and the
   * server refuses streams once reservations reach its max_file_store. Applied on creation and on every
   * connect, so every process of a deployment must be given the same.
   */
  fillsMaxMessages?: number;
  /**
   * Age limit of the ORDER_EVENTS stream (default 7 days, DEFAULT_ORDER_EVENTS_MAX_AGE_MS; at least 1 hour and the de-duplication window):
   * the routers' order events are an audit trail nothing replays, so they go by age, and by count past
   * ORDER_EVENTS_MAX_MESSAGES, instead of filling the disk over weeks of quoting. Applied on creation and on
   * every connect, like fillsMaxMessages.
   */
  orderEventsMaxAgeMs?: number;
  /** JetStream de-duplication window for durable publishes (default 2 h). */
  duplicateWindowMs?: number;
  /** Delay before a durable message whose handler threw is redelivered (default 200 ms). */
  redeliveryDelayMs?: number;
  /** Wait between reconnect attempts (default 1000 ms); reconnection never gives up. */
  reconnectTimeWaitMs?: number;
  /**
   * Keep trying the first connection as a reconnect would (never giving up) instead of failing at once: a
   * service started while nats-server is down (restarted beside it) waits for it rather than exiting.
   */
  waitForServer?: boolean;
}

const DEFAULT_DUPLICATE_WINDOW_MS = 2 * 60 * 60 * 1000;
/** Fills of some 500 bytes each: about 1 GB on disk, months of a market maker's fills. */
export const DEFAULT_FILLS_MAX_MESSAGES = 2_000_000;
/** A week of order events. */
export const DEFAULT_ORDER_EVENTS_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;
/** Order events of some 400 bytes each: about 4 GB on disk, a cap for a week far busier than a market maker's. */
export const ORDER_EVENTS_MAX_MESSAGES = 10_000_000;
const MIN_ORDER_EVENTS_MAX_AGE_MS = 60 * 60 * 1000;
/** Messages an ordered read pulls per request. */
const READ_BATCH = 256;
const DEFAULT_REQUEST_TIMEOUT_MS = 5000;
const DRAIN_TIMEOUT_MS = 2000;
/** JetStream API error: a stream of that name exists with another config. */
const STREAM_NAME_EXIST = 10058;
const NAME_PREFIX = /^[A-Za-z0-9_-]*$/;

/**
 * The bus on NATS: core pub/sub and request/reply, JetStream streams for the
 * durable (de-duplicated, at-least-once) subjects, JetStream KV for last values.
 * Same semantics as InProcessBus; both pass libs/bus/test/bus-contract.ts.
 */
export class NatsBus implements Bus, DurableStreamReader {
  private closed = false;
  private closing: Promise<void> | undefined;
  private readonly consumers = new Set<RunningConsumer>();
  /** Consumers being stopped, by stream/name: a restart waits for its predecessor's last ack. */
  private readonly stopping = new Map<string, Promise<void>>();
  private readonly buckets = new Map<string, Promise<KV>>();
  private readonly kvm: Kvm;
  private readonly names: DeploymentNames;

  private constructor(
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly options: NatsBusOptions,
  ) {
    this.kvm = new Kvm(js);
    this.names = deploymentNames(options.deployment);
  }

  /** Connects and makes sure the durable streams exist with the configured de-duplication window. */
  static async connect(options: NatsBusOptions): Promise<NatsBus> {
    for (const [what, prefix] of [['streamPrefix', options.streamPrefix], ['bucketPrefix', options.bucketPrefix]] as const) {
      if (prefix !== undefined && !NAME_PREFIX.test(prefix)) throw new Error(`invalid ${what} ${JSON.stringify(prefix)}: use letters, digits, '-' and '_'`);
    }
    deploymentNames(options.deployment); // a bad name fails before connecting
    if (options.fillsMaxMessages !== undefined && (!Number.isSafeInteger(options.fillsMaxMessages) || options.fillsMaxMessages < 1000)) {
      throw new Error(`invalid fillsMaxMessages ${options.fillsMaxMessages}: an integer of at least 1000`);
    }
    // JetStream refuses a stream whose de-duplication window is longer than its age limit.
    const minAge = Math.max(MIN_ORDER_EVENTS_MAX_AGE_MS, options.duplicateWindowMs ?? DEFAULT_DUPLICATE_WINDOW_MS);
    if (options.orderEventsMaxAgeMs !== undefined && (!Number.isSafeInteger(options.orderEventsMaxAgeMs) || options.orderEventsMaxAgeMs < minAge)) {
      throw new Error(`invalid orderEventsMaxAgeMs ${options.orderEventsMaxAgeMs}: an integer of at least ${minAge} ms (1 hour, and no shorter than the de-duplication window)`);
    }
    const nc = await connect({
      servers: options.url,
      name: options.name,
      maxReconnectAttempts: -1,
      reconnectTimeWait: options.reconnectTimeWaitMs ?? 1000,
      waitOnFirstConnect: options.waitForServer ?? false,
    });
    try {
      const jsm = await jetstreamManager(nc);
      const bus = new NatsBus(nc, jetstream(nc), jsm, options);
      await bus.ensureStreams();
      return bus;
    } catch (err) {
      await nc.close();
      throw err;
    }
  }

  private streamName(stream: DurableStream): string {
    return `${this.options.streamPrefix ?? ''}${this.names.stream(durableStreamSpec(stream).name)}`;
  }

  private async ensureStreams(): Promise<void> {
    const duplicateWindow = nanos(this.options.duplicateWindowMs ?? DEFAULT_DUPLICATE_WINDOW_MS);
    for (const stream of ['fills', 'orderEvents'] as const) {
      const name = this.streamName(stream);
      const subjects = durableStreamSpec(stream).subjects.map((s) => this.names.subject(s));
      // FILLS: no age limit (a rebuild replays it from the first fill), bounded by count, oldest discarded.
      // ORDER_EVENTS: an audit trail, bounded by age and count.
      const limits =
        stream === 'fills'
          ? { max_msgs: this.options.fillsMaxMessages ?? DEFAULT_FILLS_MAX_MESSAGES }
          : { max_age: nanos(this.options.orderEventsMaxAgeMs ?? DEFAULT_ORDER_EVENTS_MAX_AGE_MS), max_msgs: ORDER_EVENTS_MAX_MESSAGES };
      try {
        try {
          await this.jsm.streams.info(name);
        } catch (err) {
          if (!(err instanceof JetStreamApiError && err.code === JetStreamApiCodes.StreamNotFound)) throw err;
          try {
            await this.jsm.streams.add({
              name,
              subjects,
              duplicate_window: duplicateWindow,
              storage: StorageType.File,
              retention: RetentionPolicy.Limits,
              discard: DiscardPolicy.Old,
              num_replicas: this.options.replicas ?? 1,
              ...limits,
            });
            continue;
          } catch (addErr) {
            // Another service created it between our info and add: update below.
            if (!(addErr instanceof JetStreamApiError && addErr.code === STREAM_NAME_EXIST)) throw addErr;
          }
        }
        // Replicas change only when this process says how many (a `perpetua kill` must not shrink a cluster's streams).
        await this.jsm.streams.update(name, { subjects, duplicate_window: duplicateWindow, ...limits, ...(this.options.replicas === undefined ? {} : { num_replicas: this.options.replicas }) });
      } catch (err) {
        const why = err instanceof Error ? err.message : String(err);
        throw new Error(`cannot set up JetStream stream ${name} on ${subjects.join(', ')}: ${why}`);
      }
    }
  }

  publish<T, I>(subject: Subject<T, I>, message: NoInfer<I>): void {
    this.assertOpen();
    this.nc.publish(this.names.subject(subject), encodeJson(message));
  }

  subscribe<T, I>(pattern: SubjectPattern<T, I>, schema: ZodType<NoInfer<T>>, handler: MessageHandler<T>, options: SubscribeOptions = {}): Subscription {
    this.assertOpen();
    const sub = this.nc.subscribe(this.names.subject(pattern), {
      ...(options.queue ? { queue: options.queue } : {}),
      callback: (err, msg) => {
        if (err) return this.options.onHandlerError?.(pattern, err);
        const subject = this.names.unscope(msg.subject);
        const decoded = this.decode({ subject, data: msg.data }, schema);
        if (decoded.ok) runHandler(subject, () => handler(decoded.value, subject), this.options.onHandlerError);
      },
    });
    return { unsubscribe: () => quietly(() => sub.unsubscribe()) };
  }

  /** Decodes an inbound message; a failure is reported through onInvalid. */
  private decode<T>(msg: Pick<Msg, 'subject' | 'data'>, schema: ZodType<T>): Decoded<T> {
    const decoded = decodeJsonBytes(msg.data, schema);
    if (!decoded.ok) this.options.onInvalid?.({ subject: msg.subject, error: decoded.error });
    return decoded;
  }

  async request<T>(subject: string, message: unknown, schema: ZodType<T>, options: { timeoutMs?: number } = {}): Promise<T> {
    this.assertOpen();
    const timeoutMs = options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    let reply: Msg;
    try {
      reply = await this.nc.request(this.names.subject(subject), encodeJson(message), { timeout: timeoutMs });
    } catch (err) {
      if (isNoResponders(err)) throw new BusTimeoutError(`no responders for ${subject}`);
      if (isTimeout(err)) throw new BusTimeoutError(`request to ${subject} timed out after ${timeoutMs} ms`);
      throw err;
    }
    const raw = decodeJsonBytes(reply.data, z.unknown());
    if (!raw.ok) throw new BusRemoteError(`invalid reply from ${subject}: ${raw.error}`);
    return openReply(subject, raw.value, schema);
  }

  serve<Req, Res>(subject: string, schema: ZodType<Req>, handler: (request: Req) => Res | Promise<Res>): Subscription {
    this.assertOpen();
    // A queue group, as in-process: several servers of one subject share the load.
    const sub = this.nc.subscribe(this.names.subject(subject), {
      queue: `serve:${subject}`,
      callback: (err, msg) => {
        if (err) return this.options.onHandlerError?.(subject, err);
        const respond = (envelope: unknown) => {
          if (!msg.reply || this.nc.isClosed()) return;
          let text: string;
          try {
            text = encodeJson(envelope);
          } catch (encodeErr) {
            text = encodeJson(errorReply(encodeErr));
          }
          quietly(() => msg.respond(text));
        };
        const decoded = this.decode({ subject, data: msg.data }, schema);
        if (!decoded.ok) return respond(errorReply(`invalid request: ${decoded.error}`));
        Promise.resolve()
          .then(() => handler(decoded.value))
          .then(
            (value) => respond(okReply(value)),
            (handlerErr: unknown) => respond(errorReply(handlerErr)),
          );
      },
    });
    return { unsubscribe: () => quietly(() => sub.unsubscribe()) };
  }

  async publishDurable<T, I>(stream: DurableStream, subject: Subject<T, I>, message: NoInfer<I>, msgId: string): Promise<DurablePublishAck> {
    this.assertOpen();
    assertDurableSubject(stream, subject);
    assertMsgId(msgId);
    // expect.streamName makes the server refuse a message that would land in another stream.
    const ack = await this.js.publish(this.names.subject(subject), encodeJson(message), { msgID: msgId, expect: { streamName: this.streamName(stream) } });
    return { duplicate: ack.duplicate === true, streamSeq: ack.seq };
  }

  async consumeDurable<T>(stream: DurableStream, consumer: string, schema: ZodType<T>, handler: DurableHandler<T>, options: { filterSubject?: string } = {}): Promise<Subscription> {
    this.assertOpen();
    assertConsumerName(consumer);
    const streamName = this.streamName(stream);
    const consumerName = this.names.consumer(consumer);
    const key = `${streamName}/${consumerName}`;
    await this.stopping.get(key);
    this.assertOpen();
    const running = await startDurableConsumer({
      nc: this.nc,
      js: this.js,
      jsm: this.jsm,
      stream: streamName,
      consumer: consumerName,
      filterSubject: options.filterSubject === undefined ? undefined : this.names.subject(options.filterSubject),
      unscope: this.names.unscope,
      schema,
      handler,
      redeliveryDelayMs: this.options.redeliveryDelayMs ?? 200,
      onInvalid: this.options.onInvalid,
      onHandlerError: this.options.onHandlerError,
    });
    this.consumers.add(running);
    return {
      unsubscribe: () => {
        if (!this.consumers.delete(running)) return;
        running.stop();
        const done = running.done.finally(() => {
          if (this.stopping.get(key) === done) this.stopping.delete(key);
        });
        this.stopping.set(key, done);
      },
    };
  }

  async durableStreamState(stream: DurableStream): Promise<DurableStreamState> {
    this.assertOpen();
    const info = await this.jsm.streams.info(this.streamName(stream));
    return { messages: info.state.messages, bytes: info.state.bytes, firstSeq: info.state.first_seq, lastSeq: info.state.last_seq, maxMessages: info.config.max_msgs };
  }

  /**
   * An ordered consumer (ephemeral, no acks, re-created by the client on a gap) from the first message,
   * read up to the last one stored when the read began: later fills are left to the live consumers.
   */
  async readDurable<T>(stream: DurableStream, schema: ZodType<T>, handler: DurableReadHandler<T>, options: { onStart?: (state: DurableStreamState) => void } = {}): Promise<DurableReadSummary> {
    this.assertOpen();
    const name = this.streamName(stream);
    const state = await this.durableStreamState(stream);
    options.onStart?.(state);
    const summary: DurableReadSummary = { read: 0, invalid: 0, state };
    if (state.messages === 0) return summary;
    const consumer = await this.js.consumers.get(name, { deliver_policy: DeliverPolicy.All });
    const messages = await consumer.consume({ max_messages: READ_BATCH });
    try {
      for await (const m of messages) {
        const subject = this.names.unscope(m.subject);
        const decoded = this.decode({ subject, data: m.data }, schema);
        if (decoded.ok) {
          await handler(decoded.value, { subject, streamSeq: m.seq });
          summary.read++;
        } else summary.invalid++;
        // pending 0: the end, even when the message at lastSeq was deleted on its own since.
        if (m.seq >= state.lastSeq || m.info.pending === 0) break;
      }
    } finally {
      await messages.close();
    }
    return summary;
  }

  private bucket(bucket: string): Promise<KV> {
    assertBucketName(bucket);
    const name = `${this.options.bucketPrefix ?? ''}${this.names.bucket(bucket)}`;
    let kv = this.buckets.get(name);
    if (!kv) {
      kv = this.kvm.create(name, { history: 1, replicas: this.options.replicas ?? 1 });
      // A failed creation is not cached, so the next call tries again.
      kv.catch(() => this.buckets.delete(name));
      this.buckets.set(name, kv);
    }
    return kv;
  }

  /** A lease bucket (deployment-scoped like every bucket): keys expire `ttlMs` after their last write. */
  async leaseStore(bucket: string, ttlMs: number): Promise<LeaseStore> {
    this.assertOpen();
    assertBucketName(bucket);
    const kv = await this.kvm.create(`${this.options.bucketPrefix ?? ''}${this.names.bucket(bucket)}`, { history: 1, ttl: ttlMs, replicas: this.options.replicas ?? 1 });
    return new NatsLeaseStore(kv);
  }

  async putLast(bucket: string, key: string, message: unknown): Promise<void> {
    this.assertOpen();
    const data = encodeJson(message);
    const kv = await this.bucket(bucket);
    await kv.put(encodeKvKey(key), data);
  }

  async getLast<T>(bucket: string, key: string, schema: ZodType<T>): Promise<T | undefined> {
    this.assertOpen();
    const kv = await this.bucket(bucket);
    const entry = await kv.get(encodeKvKey(key));
    if (!entry || entry.operation !== 'PUT') return undefined;
    const decoded = this.decode({ subject: `${bucket}.${key}`, data: entry.value }, schema);
    return decoded.ok ? decoded.value : undefined;
  }

  async flush(): Promise<void> {
    this.assertOpen();
    await this.nc.flush();
  }

  /** Stops durable consumers (after their in-flight message), drains subscriptions and closes. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.closed = true;
    for (const c of this.consumers) c.stop();
    await Promise.all([...this.consumers].map((c) => c.done));
    await Promise.all(this.stopping.values());
    this.consumers.clear();
    if (this.nc.isClosed()) return;
    // Drain needs the server; if it is unreachable, close without it.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const drained = await Promise.race([
      this.nc.drain().then(
        () => true,
        () => false,
      ),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), DRAIN_TIMEOUT_MS))),
    ]);
    clearTimeout(timer);
    if (!drained && !this.nc.isClosed()) await this.nc.close();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('bus is closed');
  }
}

function isNoResponders(err: unknown): boolean {
  return err instanceof NoRespondersError || (err instanceof RequestError && err.isNoResponders());
}

function isTimeout(err: unknown): boolean {
  return err instanceof TimeoutError || (err instanceof RequestError && err.cause instanceof TimeoutError);
}

function quietly(fn: () => void): void {
  try {
    fn();
  } catch {
    // already closed: nothing left to undo
  }
}
