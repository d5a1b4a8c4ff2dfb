import { z } from 'zod';

/**
 * Hop timestamps (epoch ms, fractional allowed) carried from a book change to the
 * order it causes, so latency can be measured hop by hop: e.g. venue, gw.recv,
 * gw.pub, quoter.recv, quoter.pub, risk.recv, risk.pub, router.recv, router.sent.
 */
export const Trace = z.record(z.string().max(32), z.number()).refine((t) => Object.keys(t).length <= 32, {
  message: 'at most 32 hops',
});
export type Trace = z.infer<typeof Trace>;
