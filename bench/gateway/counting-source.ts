import { z } from 'zod';

/** What a counting-client process listens to: a façade WebSocket stream, or a NATS subject. */
export const CountingSource = z.discriminatedUnion('source', [
  z.object({ source: z.literal('ws'), url: z.string(), subscribe: z.array(z.string()), marker: z.string() }),
  z.object({ source: z.literal('nats'), url: z.string(), subject: z.string() }),
]);
export type CountingSource = z.infer<typeof CountingSource>;

/** `count`: the messages holding the marker (ws) or all of them (nats); `all`: every message. */
export const CountReply = z.object({ event: z.literal('count'), count: z.number().int().nonnegative(), all: z.number().int().nonnegative(), lastAt: z.number() });
export type CountReply = z.infer<typeof CountReply>;
