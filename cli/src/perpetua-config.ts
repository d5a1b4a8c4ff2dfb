import { z } from 'zod';
import { CanonicalSymbol, PositiveDecimalText } from '@perpetua/core';
import { FixedSpreadParams } from '@perpetua/strategies';
import { RiskLimits } from '@perpetua/risk';
import { secret } from '@perpetua/config';

/**
 * The whole configuration, one schema. Every key has a default so `npm start`
 * runs with no file; a YAML file (--config) and PERPETUA_* environment variables
 * override it, and a bad value stops the process with one line naming the key.
 */
const VenueName = z.string().regex(/^[a-z0-9_-]{1,32}$/, 'expected a venue name of lowercase letters, digits, - or _');

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
    makerFee: z.number().gt(-0.01).lt(0.01).default(0.0001),
    takerFee: z.number().gt(-0.01).lt(0.01).default(0.0004),
    stepMs: z.number().int().min(5).max(60_000).default(100),
    depth: z.number().int().min(1).max(200).default(20),
    tradesPerStep: z.number().nonnegative().max(100).default(1),
  })
  .strict();
export type PaperVenueConfig = z.infer<typeof PaperVenueConfig>;

export const VenueConfig = z.discriminatedUnion('kind', [PaperVenueConfig]);
export type VenueConfig = z.infer<typeof VenueConfig>;

export const StrategyConfig = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_-]{1,48}$/).default('mm-btc'),
    venue: VenueName.default('paper'),
    account: z.string().min(1).default('paper'),
    symbol: CanonicalSymbol.default('BTC-PERP'),
    params: FixedSpreadParams.default({ kind: 'fixed-spread', spreadBps: 2, size: '0.01', requoteBps: 0 }),
  })
  .strict();

export const PerpetuaConfig = z
  .object({
    venues: z.record(VenueName, VenueConfig).default({ paper: PaperVenueConfig.parse({ kind: 'paper' }) }),
    strategy: StrategyConfig.default(StrategyConfig.parse({})),
    risk: RiskLimits.strict().default({ maxPosition: '0.5', maxOrderSize: '0.1' }),
    gateway: z
      .object({
        depth: z.number().int().min(1).max(500).default(20),
        staleAfterMs: z.number().int().min(50).max(600_000).default(2000),
        lastValueIntervalMs: z.number().int().min(0).max(60_000).default(250),
      })
      .strict()
      .default({ depth: 20, staleAfterMs: 2000, lastValueIntervalMs: 250 }),
    nats: z.object({ url: z.string().url().optional() }).strict().default({}),
    redis: z
      .object({
        url: z.string().url().optional(),
        /** Sent with AUTH when set; kept out of the URL so it can come from a secret store alone. */
        password: secret(z.string().min(1).max(256)).optional(),
        keyPrefix: z.string().min(1).max(64).default('perpetua:'),
      })
      .strict()
      .default({ keyPrefix: 'perpetua:' }),
    telemetry: z
      .object({
        logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
        /** Port of the /metrics, /healthz, /readyz endpoint (0 = any free port). */
        httpPort: z.number().int().min(0).max(65_535).default(0),
        httpHost: z.string().default('127.0.0.1'),
      })
      .strict()
      .default({ logLevel: 'info', httpPort: 0, httpHost: '127.0.0.1' }),
  })
  .strict();
export type PerpetuaConfig = z.infer<typeof PerpetuaConfig>;

