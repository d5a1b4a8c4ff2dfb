import { z } from 'zod';
import { BusRemoteError } from './bus.js';
import { validate } from './json-codec.js';

/**
 * What a server sends back for a request: the handler's value or its error.
 * Both bus implementations use this shape, so a requester cannot tell them apart.
 */
export const replyEnvelope = z.union([
  // `value` is absent when the handler returned undefined (JSON drops it).
  z.object({ ok: z.literal(true), value: z.unknown().optional() }),
  z.object({ ok: z.literal(false), error: z.string() }),
]);
export type ReplyEnvelope = z.infer<typeof replyEnvelope>;

export function okReply(value: unknown): ReplyEnvelope {
  return { ok: true, value };
}

export function errorReply(error: unknown): ReplyEnvelope {
  return { ok: false, error: error instanceof Error ? error.message : String(error) };
}

/** Turns a parsed reply into the requester's value, or throws BusRemoteError. */
export function openReply<T>(subject: string, raw: unknown, schema: z.ZodType<T>): T {
  const envelope = replyEnvelope.safeParse(raw);
  if (!envelope.success) throw new BusRemoteError(`invalid reply from ${subject}: not a reply envelope`);
  if (!envelope.data.ok) throw new BusRemoteError(envelope.data.error);
  const value = validate(envelope.data.value, schema);
  if (!value.ok) throw new BusRemoteError(`invalid reply from ${subject}: ${value.error}`);
  return value.value;
}
