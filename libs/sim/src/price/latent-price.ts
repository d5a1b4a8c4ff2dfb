import type { SimAssetConfig } from '../engine/types.js';
import { Prng } from './prng.js';

const MS_PER_YEAR = 365 * 24 * 3600 * 1000;
const MS_PER_DAY = 24 * 3600 * 1000;

export type Regime = 'calm' | 'stressed';

/** Chance per simulated hour of entering / leaving the stressed regime. */
const STRESS_ENTER_PER_HOUR = 0.05;
const STRESS_LEAVE_PER_HOUR = 0.5;

/**
 * One asset's latent fair price: geometric Brownian motion (zero drift) with Poisson jumps and a two-state
 * volatility regime. Every venue's prices track it, so venues move together.
 */
export class LatentPrice {
  private logPrice: number;
  private regimeState: Regime = 'calm';
  private readonly rng: Prng;

  constructor(
    readonly config: SimAssetConfig,
    seed: number,
  ) {
    this.logPrice = Math.log(config.initialPrice);
    this.rng = Prng.derive(seed, 'latent', config.asset);
  }

  get price(): number {
    return Math.exp(this.logPrice);
  }

  get regime(): Regime {
    return this.regimeState;
  }

  setRegime(regime: Regime): void {
    this.regimeState = regime;
  }

  /** Advances by dtMs of simulated time. */
  advance(dtMs: number): void {
    const rng = this.rng;
    const hours = dtMs / 3_600_000;
    if (this.regimeState === 'calm') {
      if (rng.next() < STRESS_ENTER_PER_HOUR * hours) this.regimeState = 'stressed';
    } else if (rng.next() < STRESS_LEAVE_PER_HOUR * hours) this.regimeState = 'calm';

    const sigma = this.config.volatility * (this.regimeState === 'stressed' ? this.config.stressMultiplier : 1);
    const dtYears = dtMs / MS_PER_YEAR;
    let d = -0.5 * sigma * sigma * dtYears + sigma * Math.sqrt(dtYears) * rng.normal();
    const jumps = rng.poisson((this.config.jumpsPerDay * dtMs) / MS_PER_DAY);
    for (let i = 0; i < jumps; i++) d += this.config.jumpStdev * rng.normal();
    this.logPrice += d;
  }

  /** Moves the price by a fraction at once (-0.05 = down 5%). */
  jump(fraction: number): void {
    if (!(fraction > -1)) throw new RangeError(`jump fraction must be > -1, got ${fraction}`);
    this.logPrice += Math.log1p(fraction);
  }
}
