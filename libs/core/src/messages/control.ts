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

/** control.quoter.pause / control.quoter.resume: stop or restart one strategy's quoting (a paused strategy wants no quotes). */
export const StrategyPauseRequest = z.strictObject({
  strategy: z.string().regex(/^[A-Za-z0-9_-]{1,48}$/),
  by: z.string().max(64).optional(),
});
export type StrategyPauseRequest = z.infer<typeof StrategyPauseRequest>;

/**
 * control.quoter.params: new parameters for one strategy, applied from its next
 * quote cycle. The quoter validates them with the strategy's own schema and
 * refuses with the reason; nothing changes then.
 */
export const StrategyParamsRequest = z.strictObject({
  strategy: z.string().regex(/^[A-Za-z0-9_-]{1,48}$/),
  params: z.record(z.string(), z.unknown()),
  by: z.string().max(64).optional(),
});
export type StrategyParamsRequest = z.infer<typeof StrategyParamsRequest>;

/** What the quoter answers to pause, resume and params. */
export const StrategyControlReply = z.strictObject({
  strategy: z.string(),
  paused: z.boolean(),
  params: z.record(z.string(), z.unknown()),
});
export type StrategyControlReply = z.infer<typeof StrategyControlReply>;

/** control.audit: one control action taken through a dashboard (who, when, what, and how it ended). */
export const ControlAuditMessage = z.strictObject({
  id: z.string().max(64),
  ts: z.number(),
  who: z.string().max(128),
  action: z.string().max(64),
  target: z.string().max(128),
  detail: z.string().max(500),
  ok: z.boolean(),
  error: z.string().max(500).optional(),
});
export type ControlAuditMessage = z.infer<typeof ControlAuditMessage>;
