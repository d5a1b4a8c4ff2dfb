import { z } from 'zod';

/**
 * The control API: request/reply on control.<service>.<verb>. Requests are
 * strict (an unknown field is an error, not ignored) and small; a verb nobody
 * serves gets "no responders" from the bus.
 */
export const KillRequest = z.strictObject({
  /** Why trading stops; shown in risk.state and logs. */
  reason: z.string().trim().min(1).max(200),
  /** Who asked (CLI user, dashboard), for the audit log. */
  by: z.string().max(64).optional(),
});
export type KillRequest = z.infer<typeof KillRequest>;

export const ResetRequest = z.strictObject({
  reason: z.string().trim().min(1).max(200),
  by: z.string().max(64).optional(),
});
export type ResetRequest = z.infer<typeof ResetRequest>;

export const StatusRequest = z.strictObject({});

/** What risk answers to kill, reset and status. */
export const HaltReply = z.strictObject({
  halted: z.boolean(),
  reason: z.string().max(500).optional(),
  since: z.number().optional(),
});
export type HaltReply = z.infer<typeof HaltReply>;
