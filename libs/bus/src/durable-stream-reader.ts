import type { ZodType } from 'zod';
import type { DurableStream } from './bus.js';

/** What a durable stream holds at one moment. */
export interface DurableStreamState {
  /** Messages stored. */
  messages: number;
  bytes: number;
  /** Sequence of the oldest message kept: above 1, older messages were discarded (limit) or purged. */
  firstSeq: number;
  /** Sequence of the newest message stored; 0 for a stream never written. */
  lastSeq: number;
  /** The stream's message limit; -1 unlimited. */
  maxMessages: number;
}

export interface DurableReadSummary {
  /** Messages handed to the handler. */
  read: number;
  /** Messages that failed their schema (reported through onInvalid, skipped). */
  invalid: number;
  /** The stream as it was when the read began: the read covers firstSeq..lastSeq. */
  state: DurableStreamState;
}

export type DurableReadHandler<T> = (message: T, meta: { subject: string; streamSeq: number }) => Promise<void>;

/**
 * Reads a durable stream from its oldest message, without a durable consumer (nothing is
 * acknowledged, no consumer state is left behind): what a state rebuild replays. Separate from
 * Bus, since only a bus with real streams (NATS) has a history worth rebuilding from.
 */
export interface DurableStreamReader {
  durableStreamState(stream: DurableStream): Promise<DurableStreamState>;
  /**
   * Hands every message stored when the read begins to the handler, one at a time in stream order,
   * and resolves after the last; a handler that throws ends the read with its error. onStart learns
   * what the read covers before the first message.
   */
  readDurable<T>(stream: DurableStream, schema: ZodType<T>, handler: DurableReadHandler<T>, options?: { onStart?: (state: DurableStreamState) => void }): Promise<DurableReadSummary>;
}
