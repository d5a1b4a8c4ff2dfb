import { z } from 'zod';

/** One venue account whose quoting is halted alone (its router found a position difference beyond tolerance). */
export const AccountHalt = z.object({
  venue: z.string().min(1),
  account: z.string().min(1),
  reason: z.string().max(500),
  since: z.number(),
});
export type AccountHalt = z.infer<typeof AccountHalt>;

/** risk.state: limits, current usage, and whether trading is halted and why (everywhere, or per venue account). */
export const RiskStateMessage = z.object({
  halted: z.boolean(),
  reason: z.string().max(500).optional(),
  /** Accounts halted alone while the rest trade on; bounded (one per venue account). */
  accountHalts: z.array(AccountHalt).max(1_000).optional(),
  limits: z.record(z.string(), z.number()),
  usage: z.record(z.string(), z.number()),
  rejects: z.record(z.string(), z.number()),
  ts: z.number(),
});
export type RiskStateMessage = z.infer<typeof RiskStateMessage>;

/** risk.reject: one refused intent or command, with the rule that refused it. */
export const RiskRejectMessage = z.object({
  source: z.string().min(1),
  venue: z.string().min(1),
  symbol: z.string().min(1),
  rule: z.string().min(1),
  detail: z.string().max(500),
  ts: z.number(),
});
export type RiskRejectMessage = z.infer<typeof RiskRejectMessage>;
