import type { ZodType } from 'zod';
import type { Bus, DurablePublishAck, DurableStream, MessageHandler, SubscribeOptions, Subscription } from '@perpetua/bus';

/**
 * The bus as the transport sees it: subjects are opaque strings and messages
 * any JSON. The bus's own tests use made-up subjects and publish deliberately
 * invalid messages, which the compile-time subject typing (libs/core
 * subject.ts) exists to forbid everywhere else; this view takes it off, and
 * only these tests use it.
 */
export type LooseBus<B extends Bus = Bus> = Omit<B, 'publish' | 'subscribe' | 'publishDurable'> & {
  publish(subject: string, message: unknown): void;
  subscribe<T>(pattern: string, schema: ZodType<T>, handler: MessageHandler<T>, options?: SubscribeOptions): Subscription;
  publishDurable(stream: DurableStream, subject: string, message: unknown, msgId: string): Promise<DurablePublishAck>;
};

/** The same object, typed loosely (no runtime change). */
export function loose<B extends Bus>(bus: B): LooseBus<B> {
  return bus as unknown as LooseBus<B>;
}
