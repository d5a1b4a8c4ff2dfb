/**
 * The readings of StandX's docs the simulator can play, one switch per open question
 * (docs/venues/standx.md lists each question and its source). Defaults are the façade's
 * original behaviour, so a scenario that sets nothing sees no change.
 *
 * - seq: what the `seq` of /ws-stream/v1 counts. The docs' example jumps from 1 to 35
 *   across channels and never says. `per_connection` (+1 per message on a connection),
 *   `per_channel` (+1 per message of a channel and symbol), `gaps` (per connection,
 *   skipping numbers now and then).
 * - cancelOrdersReply: `code0` (`{code:0,...}`, as the current docs show) or
 *   `empty_array` (`[]`, as every other copy of the docs shows).
 * - tradeIds: `present` or `absent` (stream `public_trade` / `trade` records without
 *   `id` and without the undocumented extras `side` / `cl_ord_id`); the payloads are
 *   undocumented. query_trades keeps its documented `id`.
 * - orderStatuses: `documented` (open / filled / canceled / rejected) or `extended`
 *   (`new`, `partially_filled`, `expired` as well, as one docs example shows `new`).
 * - rejections: `order_stream` (a rejection made during matching goes on the `order`
 *   channel, is queryable, and is answered on /ws-api/v1) or `order_ws_only` (only the
 *   order-response WebSocket tells it; query_order answers 404).
 */
import { z } from 'zod';

export const StandxDialect = z.strictObject({
  seq: z.enum(['per_connection', 'per_channel', 'gaps']).default('per_connection'),
  cancelOrdersReply: z.enum(['code0', 'empty_array']).default('code0'),
  tradeIds: z.enum(['present', 'absent']).default('present'),
  orderStatuses: z.enum(['documented', 'extended']).default('documented'),
  rejections: z.enum(['order_stream', 'order_ws_only']).default('order_stream'),
});
export type StandxDialect = z.infer<typeof StandxDialect>;
export type StandxDialectInput = z.input<typeof StandxDialect>;

export const DEFAULT_STANDX_DIALECT: StandxDialect = StandxDialect.parse({});

/** The façade's current dialect: one object its parts read on every message, switchable at run time. */
export class StandxDialectHolder {
  private value: StandxDialect;

  constructor(initial: StandxDialectInput = {}) {
    this.value = StandxDialect.parse(initial);
  }

  get current(): StandxDialect {
    return this.value;
  }

  /** Replaces the dialect (fields not given take their defaults); throws a ZodError on a bad value. */
  set(input: unknown): StandxDialect {
    this.value = StandxDialect.parse(input);
    return this.value;
  }
}
