/**
 * The readings of GRVT's wire where its documentation is silent or ambiguous, one switch each, so the adapter is
 * tested against every plausible answer rather than only the one we assumed. Defaults are the façade's original
 * behaviour (the documented reading). Set per simulator run in the scenario file (`dialects: { grvt: {...} }`), on
 * the admin API (`PUT /dialects/grvt`) or in `startSimulator({ dialects })`; read at use, so a change applies to the
 * next message. Sources and what each reading stands for: docs/venues/grvt.md.
 */
import { z } from 'zod';

export const GrvtDialect = z.strictObject({
  /**
   * `jsonrpc` of every JSON-RPC answer on `/ws/full`. The docs show "2.0"; a live capture quoted in GRVT's Python
   * SDK (grvt_ccxt_ws.py) shows "".
   */
  jsonrpc: z.enum(['2.0', '']).default('2.0'),
  /** `ack` of cancel_order / cancel_all_orders / cancel_on_disconnect: the schema says boolean, its example 'true'. */
  ack: z.enum(['boolean', 'string']).default('boolean'),
  /**
   * What a gateway sequence number counts: one counter per feed (stream + selector, i.e. per instrument), or one
   * per stream shared by every selector ("increments by one per stream", WSSubscribeParams).
   */
  sequence: z.enum(['per_instrument', 'per_stream']).default('per_instrument'),
  /**
   * Which sequence fields the subscribe answer carries: `first_sequence_number` (the docs' WSSubscribeResult),
   * `latest_sequence_number` (the generated SDK types), or both.
   */
  subscribeSequence: z.enum(['first', 'latest', 'both']).default('first'),
  /** v1.trade `inst@limit`: whether subscribing sends the last `limit` trades as a snapshot (sequence 0). */
  tradeBacklog: z.boolean().default(false),
  /**
   * Client order ids below 2^63 (the range GRVT's UI draws from; API clients are asked to use [2^63, 2^64)):
   * 'refuse' answers 2012 like an id overlapping another order, 'accept' takes them as the live venue does.
   */
  uiRangeClientOrderIds: z.enum(['refuse', 'accept']).default('refuse'),
});
export type GrvtDialect = z.infer<typeof GrvtDialect>;
export type GrvtDialectInput = z.input<typeof GrvtDialect>;

/**
 * Named combinations covering every switch, for tests that must pass under each reading (the adapter's acceptance
 * tests run once per entry). `documented` is the default.
 */
export const GRVT_DIALECT_PRESETS = {
  documented: {},
  /** The live capture's RPC envelope and the schema example's acks, a trade backlog, both sequence fields. */
  live_capture: { jsonrpc: '', ack: 'string', subscribeSequence: 'both', tradeBacklog: true },
  /** One counter per stream. */
  per_stream: { sequence: 'per_stream' },
  /** One counter per stream, announced only as latest_sequence_number, with the live capture's envelope. */
  per_stream_latest: { sequence: 'per_stream', subscribeSequence: 'latest', jsonrpc: '', ack: 'string', tradeBacklog: true },
} as const satisfies Record<string, GrvtDialectInput>;
export type GrvtDialectPreset = keyof typeof GRVT_DIALECT_PRESETS;

/** The façade's current dialect: every component holds this cell and reads `value` when it needs it. */
export class GrvtDialectCell {
  value: GrvtDialect;

  constructor(initial: GrvtDialectInput = {}) {
    this.value = GrvtDialect.parse(initial);
  }
}
