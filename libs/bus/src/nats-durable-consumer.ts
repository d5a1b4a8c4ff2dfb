import type { ZodType } from 'zod';
import type { NatsConnection } from '@nats-io/transport-node';
import { AckPolicy, DeliverPolicy, type ConsumerMessages, type JetStreamClient, type JetStreamManager, type JsMsg } from '@nats-io/jetstream';
import type { BusOptions, DurableHandler } from './bus.js';
import { decodeJsonBytes } from './json-codec.js';

export interface DurableConsumerParams<T> {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  /** The JetStream stream name (prefix included). */
  stream: string;
  consumer: string;
  /** On the wire (deployment-scoped). */
  filterSubject?: string;
  /** The subject handlers see for a wire subject (the deployment's first token removed). */
  unscope: (wireSubject: string) => string;
  schema: ZodType<T>;
  handler: DurableHandler<T>;
  /** How long a message whose handler threw waits before it is redelivered. */
  redeliveryDelayMs: number;
  onInvalid?: BusOptions['onInvalid'];
  onHandlerError?: BusOptions['onHandlerError'];
}

export interface RunningConsumer {
  /** Stops pulling; messages already pulled but not handled are handed back (nak) before `done`. */
  stop(): void;
  /** Resolves when the last in-flight handler has finished and been acknowledged. */
  done: Promise<void>;
}

/**
 * How long the server waits for an ack before redelivering (JetStream's default
 * is 30 s). It is also how late a message can be that the server handed to a
 * connection as it dropped: with the default, a fill published during a network
 * blip reached risk 30 s later (seen in the reconnect test).
 */
const ACK_WAIT_MS = 10_000;
/**
 * Messages pulled per request. Handling is sequential, so a pulled message may
 * wait for those ahead of it; the batch is kept small enough that it is handled
 * well within the ack wait and is not redelivered meanwhile.
 */
const BATCH = 64;
/** Pause before re-opening a consume that ended by itself (e.g. consumer deleted). */
const RESTART_DELAY_MS = 500;
const ACK_TIMEOUT_MS = 5000;

/**
 * A durable pull consumer (explicit ack, deliver all) that hands messages to an
 * async handler one at a time. Acknowledged with a confirmed ack (ackAck) only
 * after the handler resolves, so an acknowledged message is never redelivered,
 * not even to a consumer restarted immediately under the same name; a throw
 * naks with a delay. The client's consume() re-pulls after a reconnect; if it
 * ends on its own, it is reopened until stop().
 */
export async function startDurableConsumer<T>(p: DurableConsumerParams<T>): Promise<RunningConsumer> {
  await ensureConsumer(p);

  let stopped = false;
  let messages: ConsumerMessages | undefined;
  let wake: (() => void) | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      wake = resolve;
      timer = setTimeout(resolve, ms);
    }).finally(() => {
      clearTimeout(timer);
      wake = undefined;
    });

  const handle = async (m: JsMsg): Promise<void> => {
    const subject = p.unscope(m.subject);
    const decoded = decodeJsonBytes(m.data, p.schema);
    if (!decoded.ok) {
      p.onInvalid?.({ subject, error: decoded.error });
      safely(() => m.term()); // it will never become valid: do not redeliver
      return;
    }
    try {
      await p.handler(decoded.value, { subject, streamSeq: m.seq, redelivered: m.redelivered });
    } catch (err) {
      p.onHandlerError?.(subject, err);
      safely(() => m.nak(p.redeliveryDelayMs));
      return;
    }
    try {
      await m.ackAck({ timeout: ACK_TIMEOUT_MS });
    } catch {
      // Unconfirmed (e.g. disconnected): the server redelivers after ack wait,
      // which at-least-once allows; handlers are idempotent.
    }
  };

  const unhandled: JsMsg[] = []; // pulled, but the consumer stopped before handling them
  const done = (async () => {
    while (!stopped && !p.nc.isClosed()) {
      try {
        const consumer = await p.js.consumers.get(p.stream, p.consumer);
        if (stopped) break;
        messages = await consumer.consume({ max_messages: BATCH });
        if (stopped) void messages.close();
        for await (const m of messages) {
          if (stopped) unhandled.push(m);
          else await handle(m);
        }
      } catch (err) {
        if (!stopped && !p.nc.isClosed()) p.onHandlerError?.(`${p.stream}/${p.consumer}`, err);
      }
      if (!stopped && !p.nc.isClosed()) await pause(RESTART_DELAY_MS);
    }
    await handBack(p, unhandled);
  })();

  return {
    stop: () => {
      if (stopped) return;
      stopped = true;
      void messages?.close();
      wake?.();
    },
    done,
  };
}

async function ensureConsumer<T>(p: DurableConsumerParams<T>): Promise<void> {
  try {
    await p.jsm.consumers.add(p.stream, {
      durable_name: p.consumer,
      ack_policy: AckPolicy.Explicit,
      ack_wait: ACK_WAIT_MS * 1_000_000, // nanoseconds
      deliver_policy: DeliverPolicy.All,
      ...(p.filterSubject ? { filter_subject: p.filterSubject } : {}),
    });
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new Error(`cannot create durable consumer ${p.consumer} on stream ${p.stream}: ${why}`);
  }
}

/**
 * Returns messages pulled but not handled, so that they are redelivered now
 * rather than after the ack wait (30 s).
 *
 * Before the naks, a consumer info request: the server then drops pull
 * requests nobody listens to any more, i.e. ours, whose inbox consume().close()
 * just unsubscribed. nats-server before 2.10.14 mishandles a redelivery when
 * the only waiting pull request is such a dead one: it withholds the message
 * until the ack wait and resends another one as new. Without the info, the
 * dead request lingers until the server's next heartbeat tick (up to 15 s).
 */
async function handBack<T>(p: DurableConsumerParams<T>, messages: JsMsg[]): Promise<void> {
  // Also when nothing is left to return: a message nak'd with a delay by a
  // failed handler is redelivered later, and must not meet the dead request.
  if (p.nc.isClosed()) return;
  try {
    await p.jsm.consumers.info(p.stream, p.consumer);
  } catch {
    // Best effort: the naks below are still right, only perhaps delayed.
  }
  for (const m of messages) safely(() => m.nak());
}

function safely(fn: () => void): void {
  try {
    fn();
  } catch {
    // the connection is closing; the server redelivers what was not acknowledged
  }
}
