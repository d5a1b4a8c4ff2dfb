import { Prng } from './prng.js';

/**
 * One venue's view of one asset: the latent price seen `lag` steps late, times a static basis, times an
 * idiosyncratic mean-reverting noise (an AR(1) in bps), so cross-venue gaps open and close on their own.
 */
export class VenuePrice {
  private readonly history: Float64Array;
  private head = 0;
  private filled = 0;
  private noise = 0;
  private basis: number;
  private readonly rng: Prng;
  private lagSteps: number;

  constructor(
    venue: string,
    asset: string,
    seed: number,
    opts: { basisBps: number; lagMs: number; noiseBps: number; stepMs: number; noiseHalfLifeMs?: number },
    initialLatent: number,
  ) {
    this.rng = Prng.derive(seed, 'venue-price', venue, asset);
    this.basis = opts.basisBps;
    this.lagSteps = Math.max(0, Math.round(opts.lagMs / Math.max(1, opts.stepMs)));
    this.history = new Float64Array(this.lagSteps + 1);
    this.history.fill(initialLatent);
    this.filled = this.history.length;
    this.noiseBps = opts.noiseBps;
    const halfLifeSteps = Math.max(1, (opts.noiseHalfLifeMs ?? 5_000) / Math.max(1, opts.stepMs));
    this.phi = Math.pow(0.5, 1 / halfLifeSteps);
    // Innovation scale keeping the stationary stdev at noiseBps.
    this.innovation = opts.noiseBps * Math.sqrt(1 - this.phi * this.phi);
  }

  private readonly noiseBps: number;
  private readonly phi: number;
  private readonly innovation: number;

  /** Records the latent price of this step and evolves the noise. */
  observe(latent: number): void {
    this.head = (this.head + 1) % this.history.length;
    this.history[this.head] = latent;
    if (this.filled < this.history.length) this.filled++;
    if (this.noiseBps > 0) this.noise = this.phi * this.noise + this.innovation * this.rng.normal();
  }

  /** Applies an instant jump to the recorded history too, so a jump reaches lagging venues at once. */
  scale(factor: number): void {
    for (let i = 0; i < this.history.length; i++) this.history[i] = (this.history[i] ?? 0) * factor;
  }

  setBasis(bps: number): void {
    this.basis = bps;
  }

  get basisBps(): number {
    return this.basis;
  }

  /** The latent price as this venue sees it (lagged): used as the venue's index. */
  get lagged(): number {
    const idx = (this.head + 1) % this.history.length; // oldest entry = lagSteps ago
    return this.history[idx] ?? 0;
  }

  /** The venue's target mid. */
  get mid(): number {
    return this.lagged * (1 + (this.basis + this.noise) / 10_000);
  }
}
