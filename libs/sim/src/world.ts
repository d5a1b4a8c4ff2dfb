import type { SimAssetConfig, SimLiquidityConfig, SimVenueConfig, SimWorld, SimWorldOptions } from './engine/types.js';
import { SimVenueEngine } from './engine/venue-engine.js';
import { venueConfig } from './engine/venue-defaults.js';
import { SimError } from './engine/sim-error.js';
import { LatentPrice } from './price/latent-price.js';
import { VenuePrice } from './price/venue-price.js';
import { Prng } from './price/prng.js';
import { BackgroundLiquidity } from './liquidity/background-liquidity.js';
import { TakerFlow } from './liquidity/taker-flow.js';
import { DEFAULT_LIQUIDITY } from './liquidity/liquidity-config.js';

export const DEFAULT_VENUE_NAMES = ['binanceusdm', 'bybit', 'okx', 'standx', 'grvt'] as const;

export const DEFAULT_ASSETS: Readonly<Record<string, SimAssetConfig>> = {
  BTC: { asset: 'BTC', initialPrice: 100_000, volatility: 0.6, stressMultiplier: 3, jumpsPerDay: 4, jumpStdev: 0.004 },
  ETH: { asset: 'ETH', initialPrice: 3_500, volatility: 0.8, stressMultiplier: 3, jumpsPerDay: 4, jumpStdev: 0.006 },
};

const DEFAULT_START = 1_700_000_000_000;
/** Funding rate clamp (per interval) and the interest component, Binance-style. */
const FUNDING_CAP = 0.003;
const FUNDING_INTEREST = 0.0001;

interface VenueAsset {
  venue: string;
  asset: string;
  symbol: string;
  engine: SimVenueEngine;
  price: VenuePrice;
  liquidity: BackgroundLiquidity | undefined;
  flow: TakerFlow | undefined;
  halted: boolean;
}

/** Builds a world: venues x assets sharing one latent price per asset, one clock and one seed. */
export function createSimWorld(opts: SimWorldOptions = {}): SimWorldImpl {
  return new SimWorldImpl(opts);
}

export class SimWorldImpl implements SimWorld {
  readonly seed: number;
  readonly clock: 'logical' | 'wall';
  readonly stepMs: number;
  private logicalNow: number;
  private lastWallStep: number;
  private readonly engines = new Map<string, SimVenueEngine>();
  private readonly latent = new Map<string, LatentPrice>();
  private readonly pairs: VenueAsset[] = [];
  private timer: ReturnType<typeof setInterval> | undefined;
  private steps = 0;

  constructor(opts: SimWorldOptions) {
    this.seed = (opts.seed ?? 1) | 0;
    this.clock = opts.clock ?? 'logical';
    this.stepMs = opts.stepMs ?? 100;
    this.logicalNow = opts.startTime ?? DEFAULT_START;
    this.lastWallStep = Date.now();
    const now = (): number => this.now();
    const liquidity: SimLiquidityConfig = { ...DEFAULT_LIQUIDITY, ...(opts.liquidity ?? {}) };
    const background = opts.background ?? true;

    const assets: SimAssetConfig[] = (opts.assets ?? ['BTC', 'ETH']).map((a) => {
      const partial = typeof a === 'string' ? { asset: a } : a;
      const asset = partial.asset.toUpperCase();
      const base = DEFAULT_ASSETS[asset] ?? { asset, initialPrice: 100, volatility: 0.8, stressMultiplier: 3, jumpsPerDay: 4, jumpStdev: 0.006 };
      return { ...base, ...partial, asset };
    });
    for (const a of assets) this.latent.set(a.asset, new LatentPrice(a, this.seed));

    const venues: SimVenueConfig[] = (opts.venues ?? [...DEFAULT_VENUE_NAMES]).map((v) => venueConfig(typeof v === 'string' ? { name: v } : v));
    for (const cfg of venues) {
      if (this.engines.has(cfg.name)) throw new SimError(`venue ${cfg.name} listed twice`);
      const engine = new SimVenueEngine(cfg, assets.map((a) => a.asset), now);
      this.engines.set(cfg.name, engine);
      const lp = engine.createHouseAccount('__liquidity');
      const taker = engine.createHouseAccount('__flow');
      for (const a of assets) {
        const symbol = `${a.asset}-PERP`;
        const latent = this.latent.get(a.asset)!;
        const price = new VenuePrice(cfg.name, a.asset, this.seed, { basisBps: cfg.basisBps, lagMs: cfg.lagMs, noiseBps: cfg.noiseBps, stepMs: this.stepMs }, latent.price);
        this.pairs.push({
          venue: cfg.name,
          asset: a.asset,
          symbol,
          engine,
          price,
          liquidity: background ? new BackgroundLiquidity(engine, symbol, lp, liquidity, Prng.derive(this.seed, 'liquidity', cfg.name, a.asset)) : undefined,
          flow: background ? new TakerFlow(engine, symbol, taker, liquidity, Prng.derive(this.seed, 'flow', cfg.name, a.asset)) : undefined,
          halted: false,
        });
      }
    }
    // Books and marks exist from the start; flow begins with the first step.
    for (const p of this.pairs) {
      p.engine.batch(() => p.liquidity?.step(p.price.mid));
      this.publishMark(p);
    }
  }

  venue(name: string): SimVenueEngine {
    const e = this.engines.get(name);
    if (!e) throw new SimError(`unknown venue ${name}; this world has ${[...this.engines.keys()].join(', ')}`);
    return e;
  }

  venues(): string[] {
    return [...this.engines.keys()];
  }

  assets(): string[] {
    return [...this.latent.keys()];
  }

  now(): number {
    return this.clock === 'logical' ? this.logicalNow : Date.now();
  }

  get running(): boolean {
    return this.timer !== undefined;
  }

  /** Steps taken so far. */
  get stepCount(): number {
    return this.steps;
  }

  step(): void {
    let dt = this.stepMs;
    if (this.clock === 'logical') this.logicalNow += this.stepMs;
    else {
      const wall = Date.now();
      // Real elapsed time drives the diffusion, bounded so a stalled process does not produce one giant move.
      dt = Math.min(Math.max(wall - this.lastWallStep, 0), 10 * this.stepMs);
      this.lastWallStep = wall;
    }
    this.steps++;
    for (const l of this.latent.values()) l.advance(dt);
    for (const p of this.pairs) p.price.observe(this.latent.get(p.asset)!.price);
    for (const engine of this.engines.values()) {
      engine.batch(() => {
        for (const p of this.pairs) {
          if (p.engine !== engine) continue;
          const halted = engine.isHalted(p.symbol);
          if (halted) {
            p.halted = true;
            continue;
          }
          if (p.halted) {
            // Resumed: the halt canceled our quotes.
            p.liquidity?.reset();
            p.halted = false;
          }
          p.liquidity?.step(p.price.mid);
          p.flow?.step(dt);
        }
      });
    }
    for (const p of this.pairs) {
      this.publishMark(p);
      p.engine.settleFundingIfDue(p.symbol);
    }
  }

  start(intervalMs?: number): void {
    if (this.timer) return;
    const every = intervalMs ?? this.stepMs;
    this.lastWallStep = Date.now();
    this.timer = setInterval(() => this.step(), every);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  fairPrice(asset: string): number {
    return this.latentOf(asset).price;
  }

  venueMid(venue: string, asset: string): number {
    return this.pair(venue, asset).price.mid;
  }

  jumpPrice(asset: string, fraction: number): void {
    this.latentOf(asset).jump(fraction);
    for (const p of this.pairs) if (p.asset === asset.toUpperCase()) p.price.scale(1 + fraction);
  }

  setBasis(venue: string, asset: string, bps: number): void {
    if (!Number.isFinite(bps)) throw new SimError(`basis must be finite, got ${bps}`);
    this.pair(venue, asset).price.setBasis(bps);
  }

  haltSymbol(venue: string, symbol: string, halted: boolean): void {
    const engine = this.venue(venue);
    if (!engine.instrument(symbol)) throw new SimError(`${venue} has no symbol ${symbol}`);
    engine.setHalted(symbol, halted);
    if (halted) for (const p of this.pairs) if (p.engine === engine && p.symbol === symbol) p.liquidity?.reset();
  }

  setRegime(asset: string, regime: 'calm' | 'stressed'): void {
    this.latentOf(asset).setRegime(regime);
  }

  private publishMark(p: VenueAsset): void {
    const mark = p.price.mid;
    const index = p.price.lagged;
    const premium = (mark - index) / index;
    const rate = Math.max(-FUNDING_CAP, Math.min(FUNDING_CAP, premium + Math.max(-0.0005, Math.min(0.0005, FUNDING_INTEREST - premium))));
    p.engine.setMarket(p.symbol, mark, index, rate);
  }

  private latentOf(asset: string): LatentPrice {
    const l = this.latent.get(asset.toUpperCase());
    if (!l) throw new SimError(`unknown asset ${asset}`);
    return l;
  }

  private pair(venue: string, asset: string): VenueAsset {
    const p = this.pairs.find((x) => x.venue === venue && x.asset === asset.toUpperCase());
    if (!p) throw new SimError(`no ${asset} on venue ${venue}`);
    return p;
  }
}
