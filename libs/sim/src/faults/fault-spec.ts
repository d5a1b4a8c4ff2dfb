/**
 * The fault model: one zod schema per fault kind, discriminated on `kind`. Every fault names the venue it applies to
 * (the world's venue name, e.g. 'binanceusdm'); `price_jump` and `regime` move an asset's shared latent price, so
 * their venue is '*' (every venue). Optional on every kind: `id` (generated when absent), `durationMs` (the fault
 * retires after it; absent = until removed or exhausted), `count` (it retires after affecting that many
 * messages/requests/connections) and `probability` (each candidate is affected with this chance, drawn from a PRNG
 * seeded from the sim seed, so a run is repeatable).
 */
import { z } from 'zod';

const Venue = z.string().min(1).max(64).regex(/^[A-Za-z0-9_.-]+$/, 'venue must be a plain venue name like binanceusdm');
const Asset = z.string().min(1).max(16).regex(/^[A-Za-z0-9]+$/, 'asset must be a plain asset name like BTC');
const AllVenues = z.literal('*', { error: "this fault moves the shared price of every venue: venue must be '*' or absent" }).default('*');

const Common = {
  id: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'id must be 1-64 letters, digits, _ . -').optional(),
  durationMs: z.number().int().positive().max(86_400_000).optional(),
  count: z.number().int().positive().optional(),
  probability: z.number().min(0).max(1).optional(),
};

/** A stream/channel filter: matches a frame whose stream (Binance/Bybit/GRVT) or channel (StandX) starts with it. */
const StreamFilter = z.string().min(1).max(128).optional();
/** A REST path filter: matches a request whose path starts with it. */
const PathFilter = z.string().min(1).max(256).startsWith('/', 'path must start with /').optional();
const Method = z.enum(['GET', 'POST', 'PUT', 'DELETE']).optional();

export const WsDropFault = z.strictObject({
  kind: z.literal('ws_drop'),
  venue: Venue,
  stream: StreamFilter,
  /** WS close code sent to the client (default 1001 going away). */
  code: z.number().int().min(1000).max(4999).refine((c) => c === 1000 || c === 1001 || c >= 3000, 'code must be 1000, 1001 or 3000-4999').optional(),
  ...Common,
});

export const WsFreezeFault = z.strictObject({ kind: z.literal('ws_freeze'), venue: Venue, stream: StreamFilter, ...Common });

export const SeqSkipFault = z.strictObject({ kind: z.literal('seq_skip'), venue: Venue, stream: StreamFilter, ...Common });

/** A book message whose checksum no longer matches its book (venues that send one: OKX); one message unless `count`. */
export const BadChecksumFault = z.strictObject({ kind: z.literal('bad_checksum'), venue: Venue, stream: StreamFilter, ...Common });

export const WsDelayFault = z.strictObject({
  kind: z.literal('ws_delay'),
  venue: Venue,
  ms: z.number().int().positive().max(60_000),
  stream: StreamFilter,
  ...Common,
});

export const HttpErrorFault = z.strictObject({
  kind: z.literal('http_error'),
  venue: Venue,
  status: z
    .number()
    .int()
    .refine((s) => s === 429 || (s >= 500 && s <= 599), 'status must be 429 or 500-599'),
  path: PathFilter,
  method: Method,
  ...Common,
});

export const HttpTimeoutFault = z.strictObject({
  kind: z.literal('http_timeout'),
  venue: Venue,
  path: PathFilter,
  method: Method,
  /**
   * The venue handles the request (an order is placed, a cancel done) and only its answer is lost: the client times
   * out not knowing. Binance, Bybit and OKX façades; StandX and GRVT hang without acting. Default false.
   */
  acted: z.boolean().optional(),
  ...Common,
});

/**
 * The venue's clock off ours by `ms` (positive: the venue ahead) while the fault lives: the façade's server time, as
 * its request-signature window checks it and its time endpoint answers. Binance, Bybit and OKX façades (the
 * simulator's own; a façade started alone keeps the wall clock).
 */
export const ClockSkewFault = z.strictObject({
  kind: z.literal('clock_skew'),
  venue: Venue,
  ms: z
    .number()
    .int()
    .min(-3_600_000)
    .max(3_600_000)
    .refine((ms) => ms !== 0, 'ms must not be 0'),
  ...Common,
});

export const RejectOrdersFault = z.strictObject({
  kind: z.literal('reject_orders'),
  venue: Venue,
  /** Text of the venue's rejection (default: the venue's generic "order rejected"). */
  message: z.string().min(1).max(200).optional(),
  ...Common,
});

export const HaltSymbolFault = z.strictObject({
  kind: z.literal('halt_symbol'),
  venue: Venue,
  /** Canonical symbol, e.g. BTC-PERP. */
  symbol: z.string().regex(/^[A-Z0-9]+-PERP$/, 'symbol must be canonical, e.g. BTC-PERP'),
  ...Common,
});

export const PriceJumpFault = z.strictObject({
  kind: z.literal('price_jump'),
  venue: AllVenues,
  asset: Asset,
  /** -0.05 = down 5%, at once. */
  fraction: z.number().gt(-1).max(10).refine((f) => f !== 0, 'fraction must not be 0'),
  ...Common,
});

export const BasisFault = z.strictObject({
  kind: z.literal('basis'),
  venue: Venue,
  asset: Asset,
  bps: z.number().min(-5_000).max(5_000),
  ...Common,
});

export const RegimeFault = z.strictObject({
  kind: z.literal('regime'),
  venue: AllVenues,
  asset: Asset,
  regime: z.enum(['calm', 'stressed']),
  ...Common,
});

export const FaultSpec = z.discriminatedUnion('kind', [
  WsDropFault,
  WsFreezeFault,
  SeqSkipFault,
  BadChecksumFault,
  WsDelayFault,
  HttpErrorFault,
  HttpTimeoutFault,
  RejectOrdersFault,
  ClockSkewFault,
  HaltSymbolFault,
  PriceJumpFault,
  BasisFault,
  RegimeFault,
]);

export type FaultSpec = z.infer<typeof FaultSpec>;
/** What a client may send (defaults not yet applied). */
export type FaultSpecInput = z.input<typeof FaultSpec>;
export type FaultKind = FaultSpec['kind'];
export type FaultOf<K extends FaultKind> = Extract<FaultSpec, { kind: K }>;

export const FAULT_KINDS: readonly FaultKind[] = FaultSpec.options.map((o) => o.shape.kind.value);

/** Faults that act on a façade's traffic (the rest act on the world). */
export const NETWORK_KINDS: ReadonlySet<FaultKind> = new Set<FaultKind>([
  'ws_drop',
  'ws_freeze',
  'seq_skip',
  'bad_checksum',
  'ws_delay',
  'http_error',
  'http_timeout',
  'reject_orders',
  'clock_skew',
]);

export type NetworkFault = Extract<FaultSpec, { kind: 'ws_drop' | 'ws_freeze' | 'seq_skip' | 'bad_checksum' | 'ws_delay' | 'http_error' | 'http_timeout' | 'reject_orders' | 'clock_skew' }>;
export type WorldFault = Exclude<FaultSpec, NetworkFault>;

export function isNetworkFault(f: FaultSpec): f is NetworkFault {
  return NETWORK_KINDS.has(f.kind);
}

/** One line naming the first bad field, e.g. `status: status must be 429 or 500-599`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.length > 0 ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ');
}

export class FaultError extends Error {
  override name = 'FaultError';
}

/** Parses and validates a fault, throwing FaultError with the offending field named. */
export function parseFaultSpec(input: unknown): FaultSpec {
  const r = FaultSpec.safeParse(input);
  if (!r.success) throw new FaultError(`invalid fault: ${describeIssues(r.error)}`);
  return r.data;
}
