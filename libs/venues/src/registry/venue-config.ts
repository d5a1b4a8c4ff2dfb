import { z } from 'zod';
import { CanonicalSymbol, PositiveDecimalText } from '@perpetua/core';

/**
 * Per-venue configuration, one schema per adapter kind. Keys whose names are
 * secret (apiKey, secret, password, token, privateKey, signerPrivateKey) are
 * masked in errors and redacted from logs by that name alone. URLs default to
 * the venue's own; set them to point an adapter at the simulator.
 */
const Symbols = z.array(CanonicalSymbol).min(1).max(200).default(['BTC-PERP', 'ETH-PERP']);
const FeeRate = z.number().gt(-0.01).lt(0.01);
const HttpUrl = z.string().regex(/^https?:\/\/[^\s/]+(\/\S*)?$/, 'expected an http(s):// URL');
const WsUrl = z.string().regex(/^wss?:\/\/[^\s/]+(\/\S*)?$/, 'expected a ws(s):// URL');

export const CcxtVenueConfig = z
  .object({
    kind: z.literal('ccxt'),
    /** A ccxt.pro exchange id: binanceusdm, okx, bybit, bitget, gate, or any other. */
    exchange: z.string().regex(/^[a-z0-9]{2,32}$/, 'expected a ccxt exchange id such as binanceusdm'),
    symbols: Symbols,
    settle: z.string().regex(/^[A-Z0-9]{2,10}$/).default('USDT'),
    apiKey: z.string().min(1).optional(),
    secret: z.string().min(1).optional(),
    password: z.string().min(1).optional(),
    testnet: z.boolean().default(false),
    /** ccxt's own request spacing per the exchange's weights; keep it on against a real venue. */
    enableRateLimit: z.boolean().default(true),
    restBaseUrl: HttpUrl.optional(),
    wsBaseUrl: WsUrl.optional(),
    makerFee: FeeRate.optional(),
    takerFee: FeeRate.optional(),
  })
  .strict();

export const StandxVenueConfig = z
  .object({
    kind: z.literal('standx'),
    symbols: Symbols,
    token: z.string().min(1).optional(),
    privateKey: z.string().min(1).optional(),
    restBaseUrl: HttpUrl.optional(),
    wsUrl: WsUrl.optional(),
    /** The order-response stream (default: wsUrl's host, /ws-api/v1). */
    orderWsUrl: WsUrl.optional(),
    makerFee: FeeRate.optional(),
    takerFee: FeeRate.optional(),
  })
  .strict();

export const GrvtVenueConfig = z
  .object({
    kind: z.literal('grvt'),
    symbols: Symbols,
    env: z.enum(['prod', 'testnet']).default('prod'),
    apiKey: z.string().min(1).optional(),
    signerPrivateKey: z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'expected a 0x-prefixed 32-byte hex key').optional(),
    subAccountId: z.string().regex(/^\d{1,20}$/).optional(),
    edgeUrl: HttpUrl.optional(),
    marketDataUrl: HttpUrl.optional(),
    tradesUrl: HttpUrl.optional(),
    marketDataWsUrl: WsUrl.optional(),
    tradesWsUrl: WsUrl.optional(),
    makerFee: FeeRate.optional(),
    takerFee: FeeRate.optional(),
    /**
     * GRVT's cancel-on-disconnect countdown (ms, 2000..300000, GRVT rounds it down to whole seconds; 0 = off;
     * default 5000): once the trading adapter's heartbeats stop this long, GRVT cancels every open order of the
     * sub-account.
     */
    cancelOnDisconnectMs: z
      .number()
      .int()
      .refine((ms) => ms === 0 || (ms >= 2_000 && ms <= 300_000), 'expected 0 (off) or 2000..300000 ms')
      .optional(),
  })
  .strict();

/** The skeleton's random-walk market (no network), kept for offline unit runs. */
export const PaperVenueConfig = z
  .object({
    kind: z.literal('paper'),
    symbols: z.array(CanonicalSymbol).min(1).default(['BTC-PERP']),
    seed: z.number().int().default(1),
    startPrice: z.number().positive().default(100_000),
    /** Per-step volatility of the random walk, in bps. */
    volatilityBps: z.number().nonnegative().max(1000).default(1.5),
    tickSize: PositiveDecimalText.default('0.1'),
    lotSize: PositiveDecimalText.default('0.001'),
    makerFee: FeeRate.default(0.0001),
    takerFee: FeeRate.default(0.0004),
    stepMs: z.number().int().min(5).max(60_000).default(100),
    depth: z.number().int().min(1).max(200).default(20),
    tradesPerStep: z.number().nonnegative().max(100).default(1),
  })
  .strict();

export const VenueConfig = z.discriminatedUnion('kind', [CcxtVenueConfig, StandxVenueConfig, GrvtVenueConfig, PaperVenueConfig]);
export type VenueConfig = z.infer<typeof VenueConfig>;
export type CcxtVenueConfig = z.infer<typeof CcxtVenueConfig>;
export type StandxVenueConfig = z.infer<typeof StandxVenueConfig>;
export type GrvtVenueConfig = z.infer<typeof GrvtVenueConfig>;
export type PaperVenueConfig = z.infer<typeof PaperVenueConfig>;
