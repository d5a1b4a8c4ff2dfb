import type { SimLiquidityConfig } from '../engine/types.js';
import type { SimVenueEngine } from '../engine/venue-engine.js';
import type { EngineAccount } from '../engine/engine-account.js';
import type { EngineOrder } from '../engine/engine-order.js';
import type { SideCode } from '../engine/side-code.js';
import type { Prng } from '../price/prng.js';

/**
 * Resting depth around one venue's mid for one symbol, quoted by a house account through the ordinary matching
 * path. Each step it re-quotes only the levels that drifted too far from their target (the tolerance grows with
 * depth, so changes concentrate near the top), refills levels that were traded away, and re-sizes a few random
 * levels, so the diff stream looks like a real book's rather than a full redraw.
 */
export class BackgroundLiquidity {
  /** slots[side][i]: this provider's order at level i (null when empty). */
  private readonly slots: Array<Array<EngineOrder | null>>;
  private readonly targets: [number[], number[]];
  /** Per side, 1 where the slot gets a new order this step (kept between steps: no allocation per step). */
  private readonly redo: [Uint8Array, Uint8Array];
  /** Per level, 1 - d and 1 + d for its distance d from the mid (constants of the config). */
  private readonly bidFactor: Float64Array;
  private readonly askFactor: Float64Array;

  constructor(
    private readonly engine: SimVenueEngine,
    readonly symbol: string,
    private readonly account: EngineAccount<EngineOrder>,
    private readonly cfg: SimLiquidityConfig,
    private readonly rng: Prng,
  ) {
    this.slots = [new Array(cfg.levels).fill(null), new Array(cfg.levels).fill(null)];
    this.targets = [new Array<number>(cfg.levels).fill(0), new Array<number>(cfg.levels).fill(0)];
    this.redo = [new Uint8Array(cfg.levels), new Uint8Array(cfg.levels)];
    this.bidFactor = new Float64Array(cfg.levels);
    this.askFactor = new Float64Array(cfg.levels);
    for (let i = 0; i < cfg.levels; i++) {
      const d = (cfg.firstLevelBps + i * cfg.levelSpacingBps) / 10_000;
      this.bidFactor[i] = 1 - d;
      this.askFactor[i] = 1 + d;
    }
  }

  /** Re-quotes around `mid` (a float price). Call inside the engine's batch. */
  step(mid: number): void {
    const { rt, halted } = this.engine.runtime(this.symbol);
    if (halted || !(mid > 0)) return;
    const cfg = this.cfg;
    const L = cfg.levels;
    const tickValue = rt.price.toNumber(1);
    const spacingTicks = (mid * cfg.levelSpacingBps) / 10_000 / tickValue;

    // Targets, strictly monotone so two levels never share a price.
    const [bidT, askT] = this.targets;
    for (let i = 0; i < L; i++) {
      let b = rt.price.fromNumber(mid * this.bidFactor[i]!, 'floor');
      let a = rt.price.fromNumber(mid * this.askFactor[i]!, 'ceil');
      if (i > 0) {
        b = Math.min(b, bidT[i - 1]! - 1);
        a = Math.max(a, askT[i - 1]! + 1);
      } else if (a <= b) a = b + 1;
      bidT[i] = Math.max(1, b);
      askT[i] = a;
    }

    // Which slots need a new order: gone (filled / canceled), drifted beyond tolerance, or picked for a refresh.
    const redo = this.redo;
    redo[0].fill(0);
    redo[1].fill(0);
    for (let side = 0 as SideCode; side <= 1; side = (side + 1) as SideCode) {
      const slots = this.slots[side]!;
      const targets = this.targets[side];
      for (let i = 0; i < L; i++) {
        const o = slots[i];
        if (!o || !o.isOpen) {
          slots[i] = null;
          redo[side][i] = 1;
          continue;
        }
        const tol = Math.floor(i * spacingTicks * 0.5);
        if (Math.abs(o.tick - targets[i]!) > tol) redo[side][i] = 1;
      }
    }
    for (let k = 0; k < cfg.refreshPerStep; k++) {
      const i = Math.min(L - 1, Math.floor(this.rng.exponential(L / 6)));
      redo[this.rng.bool(0.5) ? 0 : 1][i] = 1;
    }

    // Cancel first, then place, so new quotes never meet this provider's own stale quotes.
    for (let side = 0; side <= 1; side++) {
      const slots = this.slots[side]!;
      for (let i = 0; i < L; i++) {
        const o = slots[i];
        if (redo[side as SideCode][i] === 1 && o) {
          this.engine.cancelEngineOrder(o, 'canceled', 'user');
          slots[i] = null;
        }
      }
    }
    const minLots = rt.minLots;
    const lotValue = rt.qty.toNumber(1);
    for (let i = 0; i < L; i++) {
      for (let side = 0 as SideCode; side <= 1; side = (side + 1) as SideCode) {
        if (redo[side][i] === 0) continue;
        const notional = cfg.levelNotional * Math.pow(cfg.depthGrowth, i) * this.rng.uniform(0.5, 1.5);
        const lots = Math.max(minLots, Math.round(notional / mid / lotValue));
        const tick = this.targets[side][i]!;
        const res = this.engine.submit(this.account, this.symbol, side, 'limit', 'gtc', tick, lots, false);
        // A quote that crossed a stale order elsewhere trades first; keep whatever rests.
        this.slots[side]![i] = res.ok && res.order.isOpen ? res.order : null;
      }
    }
  }

  /** Forgets every slot (after a halt canceled the orders). */
  reset(): void {
    for (const slots of this.slots) slots.fill(null);
  }
}
