import type { ZodType } from 'zod';
import type { Subject, SubjectPattern } from '@perpetua/core';

/**
 * The message bus every service talks through. Two implementations pass one
 * contract suite: NATS (production, one process per service) and in-process
 * (the single-process default and unit tests).
 *
 * Every inbound message is parsed by the zod schema given at subscription; a
 * message that fails is reported through `onInvalid` and dropped, never
 * delivered half-valid.
 *
 * Publish and subscribe take subjects built in libs/core, which carry their
 * message type: a producer whose message does not match the subject's schema,
 * or a subscriber parsing with another schema, does not compile.
 */
export interface Bus {
  /** Fire-and-forget publish (core NATS semantics: at most once). */
  publish<T, I>(subject: Subject<T, I>, message: NoInfer<I>): void;

  /**
   * Subscribes to a subject or wildcard pattern (`*` one token, `>` the rest).
   * The schema must describe the pattern's messages (it may be stricter).
   */
  subscribe<T, I>(pattern: SubjectPattern<T, I>, schema: ZodType<NoInfer<T>>, handler: MessageHandler<T>, options?: SubscribeOptions): Subscription;

  /** Request/reply with a timeout; rejects with BusTimeoutError or the responder's BusRemoteError. */
  request<T>(subject: string, message: unknown, schema: ZodType<T>, options?: { timeoutMs?: number }): Promise<T>;

  /** Serves requests on a subject. A thrown error is sent back to the requester as BusRemoteError. */
  serve<Req, Res>(subject: string, schema: ZodType<Req>, handler: (request: Req) => Res | Promise<Res>): Subscription;

  /**
   * Publishes to a durable stream, de-duplicated by msgId (JetStream's Nats-Msg-Id):
   * publishing the same msgId twice stores it once. Resolves once stored.
   */
  publishDurable<T, I>(stream: DurableStream, subject: Subject<T, I>, message: NoInfer<I>, msgId: string): Promise<DurablePublishAck>;

  /**
   * Consumes a durable stream with a named durable consumer, at least once:
   * a message is acknowledged only after the handler resolves, and redelivered
   * after a restart if it was not. Handlers must therefore be idempotent.
   */
  consumeDurable<T>(stream: DurableStream, consumer: string, schema: ZodType<T>, handler: DurableHandler<T>, options?: { filterSubject?: string }): Promise<Subscription>;

  /** Last-value store: the latest message per key, for late subscribers. */
  putLast(bucket: string, key: string, message: unknown): Promise<void>;
  getLast<T>(bucket: string, key: string, schema: ZodType<T>): Promise<T | undefined>;

  /** Resolves when everything published so far has reached the server. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export type DurableStream = 'fills' | 'orderEvents';

export type MessageHandler<T> = (message: T, subject: string) => void | Promise<void>;
export type DurableHandler<T> = (message: T, meta: { subject: string; streamSeq: number; redelivered: boolean }) => Promise<void>;

export interface DurablePublishAck {
  duplicate: boolean;
  streamSeq: number;
}

export interface SubscribeOptions {
  /** Queue group: each message goes to one member of the group. */
  queue?: string;
}

export interface Subscription {
  unsubscribe(): void;
}

export interface InvalidMessage {
  subject: string;
  error: string;
}

export interface BusOptions {
  /** Called for each inbound message that fails its schema or is not JSON. */
  onInvalid?: (invalid: InvalidMessage) => void;
  /** Called when a handler throws or rejects (the bus keeps going). */
  onHandlerError?: (subject: string, error: unknown) => void;
}

export class BusTimeoutError extends Error {
  override name = 'BusTimeoutError';
}

export class BusRemoteError extends Error {
  override name = 'BusRemoteError';
}
