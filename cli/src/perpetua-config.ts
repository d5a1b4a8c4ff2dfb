import { z } from 'zod';
import { CanonicalSymbol, PositiveDecimalText } from '@perpetua/core';
import { StrategyParams } from '@perpetua/strategies';
import { RiskLimits } from '@perpetua/risk';
import { secret } from '@perpetua/config';
// The schema alone: loading the adapters (and ccxt) is for the services that need them.
import { VenueConfig } from '@perpetua/venues/config';
import { DashboardConfig, DEFAULT_DASHBOARD_CONFIG } from '@perpetua/service-dashboard/config';

/**
 * The whole configuration, one schema. Every key has a default so `npm start`
 * runs with no file; a YAML file (--config) and PERPETUA_* environment variables
 * override it, and a bad value stops the process with one line naming the key.
 */
const VenueName = z.string().regex(/^[a-z0-9_-]{1,32}$/, 'expected a venue name of lowercase letters, digits, - or _');

/** What `npm start` trades against with no configuration: the simulator's five venues. */
const DEFAULT_VENUE_INPUTS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  binanceusdm: { kind: 'ccxt', exchange: 'binanceusdm' },
  bybit: { kind: 'ccxt', exchange: 'bybit' },
  okx: { kind: 'ccxt', exchange: 'okx' },
  standx: { kind: 'standx' },
  grvt: { kind: 'grvt', env: 'testnet' },
};
const DEFAULT_VENUES: Record<string, VenueConfig> = Object.fromEntries(Object.entries(DEFAULT_VENUE_INPUTS).map(([name, v]) => [name, VenueConfig.parse(v)]));

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Configured venues replace the defaults; an entry without a `kind` named like a
 * default venue starts from that default, so credentials alone from the
 * environment (`PERPETUA_VENUES__BINANCEUSDM__API_KEY=…`) configure it.
 */
const Venues = z
  .preprocess(
    (input) =>
      isRecord(input)
        ? Object.fromEntries(Object.entries(input).map(([name, v]) => [name, isRecord(v) && !('kind' in v) && Object.hasOwn(DEFAULT_VENUE_INPUTS, name) ? { ...DEFAULT_VENUE_INPUTS[name], ...v } : v]))
        : input,
    z.record(VenueName, VenueConfig),
  )
  .default(DEFAULT_VENUES);

export const SimConfig = z
  .object({
    /**
     * Trade against the venue simulator instead of the real venues: `perpetua start`
     * runs it in-process unless `admin` names a running one (`perpetua sim` prints it),
     * and `perpetua service` reads the venues' URLs from that admin API.
     */
    enabled: z.boolean().default(true),
    admin: z.string().url().optional(),
    seed: z.number().int().min(0).max(0xffffffff).default(1),
    stepMs: z.number().int().min(5).max(60_000).default(100),
  })
  .strict();

/** How opportunities are traded when `arb.execute` is on (the account is strategy.account: the routers'). */
export const ArbExecutionConfig = z
  .object({
    /** Largest quantity per episode, per canonical symbol (base); else defaultMaxQty. */
    maxQty: z.record(CanonicalSymbol, PositiveDecimalText).default({}),
    defaultMaxQty: PositiveDecimalText.default('0.01'),
    /** Entry legs' limit prices: this far past the detected VWAPs (bps). */
    slippageBps: z.number().min(0).max(500).default(5),
    /** Completion and unwind limits: this far past the touch (bps), widened on each unwind try. */
    hedgeSlippageBps: z.number().min(0).max(1000).default(20),
    /** Net base quantity across the two venues that counts as flat. */
    tolerance: z.string().regex(/^\d+(\.\d+)?$/, 'expected a decimal >= 0, e.g. "0.001"').default('0'),
    maxUnwindTries: z.number().int().min(0).max(10).default(3),
    legTimeoutMs: z.number().int().min(100).max(60_000).default(5_000),
    cooldownMs: z.number().int().min(0).max(3_600_000).default(1_000),
  })
  .strict();

export const ArbConfig = z
  .object({
    /** Smallest net edge after both taker fees worth reporting, as a fraction (0.001 = 0.1%). */
    threshold: z.number().min(0).max(0.1).default(0.001),
    /** Taker fee per venue for your tier, as a fraction; else the venue config's, else the instrument's. */
    takerFees: z.record(VenueName, z.number().gt(-0.01).lt(0.01)).default({}),
    /** Largest quantity per canonical symbol (base units); unset = the visible depth limits it. */
    maxQty: z.record(CanonicalSymbol, z.number().positive()).default({}),
    /** Levels per side walked. */
    depth: z.number().int().min(1).max(200).default(10),
    /** A book silent this long closes its opportunities. */
    staleAfterMs: z.number().int().min(100).max(600_000).default(5_000),
    /** Events kept for late readers (a capped Redis stream when Redis is configured). */
    historySize: z.number().int().min(0).max(100_000).default(1_000),
    /** Trade the opportunities (both legs IOC, through risk and the routers). Off by default. */
    execute: z.boolean().default(false),
    execution: ArbExecutionConfig.default(ArbExecutionConfig.parse({})),
  })
  .strict();

export const StrategyConfig = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_-]{1,48}$/).default('mm-btc'),
    venue: VenueName.default('binanceusdm'),
    account: z.string().min(1).default('paper'),
    symbol: CanonicalSymbol.default('BTC-PERP'),
    /** The model's parameters (by kind) and the quote hygiene, in one object (docs/STRATEGIES.md). */
    params: StrategyParams.default(StrategyParams.parse({ kind: 'fixed-spread', spreadBps: 2, size: '0.01' })),
  })
  .strict();
export type StrategyConfig = z.infer<typeof StrategyConfig>;

export const PerpetuaConfig = z
  .object({
    venues: Venues,
    sim: SimConfig.default(SimConfig.parse({})),
    /**
     * paper: orders fill against the live books in-process (no venue sees them);
     * live: orders go to the venue through its trading adapter (on the simulator
     * when sim.enabled, with its demo accounts).
     */
    trading: z.object({ mode: z.enum(['paper', 'live']).default('paper') }).strict().default({ mode: 'paper' }),
    /** One strategy (the original form); `strategies` runs several. Give one or the other. */
    strategy: StrategyConfig.optional(),
    strategies: z.array(StrategyConfig).min(1).max(64).optional(),
    risk: RiskLimits.strict().default({ maxPosition: '0.5', maxOrderSize: '0.1' }),
    arb: ArbConfig.default(ArbConfig.parse({})),
    router: z
      .object({
        /** Routers reconcile with their venue this often, besides on start and after every private-stream reconnect (0 = only then). */
        reconcileIntervalMs: z.number().int().min(0).max(3_600_000).default(60_000),
        /**
         * Per account (strategy.account), base units: a venue position differing from the booked one by more than this
         * on any symbol halts that account's quoting (on risk.state) until they agree again. An account not named: reported only.
         */
        positionTolerance: z.record(z.string().min(1), z.string().regex(/^\d+(\.\d+)?$/, 'expected a decimal >= 0, e.g. "0.01"')).default({}),
      })
      .strict()
      .default({ reconcileIntervalMs: 60_000, positionTolerance: {} }),
    gateway: z
      .object({
        depth: z.number().int().min(1).max(500).default(20),
        staleAfterMs: z.number().int().min(50).max(600_000).default(2000),
        lastValueIntervalMs: z.number().int().min(0).max(60_000).default(250),
        /** Publish the venue's raw book changes on md.depth (what `perpetua record` keeps for backtests). */
        publishDepth: z.boolean().default(false),
      })
      .strict()
      .default({ depth: 20, staleAfterMs: 2000, lastValueIntervalMs: 250, publishDepth: false }),
    /** The web dashboard (`perpetua dashboard`, and inside `perpetua start`). */
    dashboard: DashboardConfig.default(DEFAULT_DASHBOARD_CONFIG),
    nats: z
      .object({
        url: z.string().url().optional(),
        /**
         * Names this deployment on a shared NATS account: subjects, JetStream
         * streams, durable consumers and KV buckets carry it (libs/core
         * deployment-names.ts), as Redis keys carry redis.keyPrefix. Unset: the
         * plain names (FILLS, risk-positions, fill.>).
         */
        deployment: z
          .string()
          .regex(/^[A-Za-z0-9_-]{1,32}$/, "1 to 32 letters, digits, '-' or '_'")
          .optional(),
        /**
         * JetStream copies of each stream and KV bucket: 3 on a three-node cluster. Unset: new
         * streams get 1 and existing ones keep theirs (so `perpetua kill` never shrinks them).
         */
        replicas: z.number().int().min(1).max(5).optional(),
        /**
         * Fills the FILLS stream keeps, which a Redis rebuild replays (`perpetua state rebuild`): no age
         * limit, then the oldest go. Unset: 2,000,000 (about 1 GB). Every process of a deployment must read
         * the same value: each applies it on connect.
         */
        fillsMaxMessages: z.number().int().min(1000).optional(),
        /**
         * Hours the ORDER_EVENTS stream keeps the routers' order events (an audit trail; nothing replays
         * it). Unset: 168 (a week). At least 2 (the stream's de-duplication window). Applied on connect
         * by every process, like fillsMaxMessages.
         */
        orderEventsMaxAgeHours: z.number().int().min(2).max(24 * 366).optional(),
      })
      .strict()
      .default({}),
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
        /** Routers publish each sent order's hop timestamps on router.trace.<venue> (for the latency benchmark); off by default. */
        publishOrderTraces: z.boolean().default(false),
      })
      .strict()
      .default({ logLevel: 'info', httpPort: 0, httpHost: '127.0.0.1', publishOrderTraces: false }),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.strategy !== undefined && c.strategies !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['strategies'], message: 'give strategy (one) or strategies (a list), not both' });
    }
    const seen = new Set<string>();
    c.strategies?.forEach((s, i) => {
      if (seen.has(s.id)) ctx.addIssue({ code: 'custom', path: ['strategies', i, 'id'], message: `expected a unique id ("${s.id}" is used twice)` });
      seen.add(s.id);
    });
  })
  .transform((c) => {
    // The single `strategy` key is a one-element list; `strategy` stays the first strategy, for the services that name one venue account.
    const strategies = c.strategies ?? [c.strategy ?? StrategyConfig.parse({})];
    return { ...c, strategies, strategy: strategies[0]! };
  });
export type PerpetuaConfig = z.infer<typeof PerpetuaConfig>;

