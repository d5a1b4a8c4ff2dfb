import type { SimLiquidityConfig } from '../engine/types.js';
import type { SimVenueEngine } from '../engine/venue-engine.js';
import type { EngineAccount } from '../engine/engine-account.js';
import type { EngineOrder, SideCode } from '../engine/engine-order.js';
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

  constructor(
    private readonly engine: SimVenueEngine,
    readonly symbol: string,
    private readonly account: EngineAccount,
    private readonly cfg: SimLiquidityConfig,
    private readonly rng: Prng,
  ) {
    this.slots = [new Array(cfg.levels).fill(null), new Array(cfg.levels).fill(null)];
    this.targets = [new Array<number>(cfg.levels).fill(0), new Array<number>(cfg.levels).fill(0)];
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
      const d = (cfg.firstLevelBps + i * cfg.levelSpacingBps) / 10_000;
      let b = rt.price.fromNumber(mid * (1 - d), 'floor');
      let a = rt.price.fromNumber(mid * (1 + d), 'ceil');
      if (i > 0) {
        b = Math.min(b, bidT[i - 1]! - 1);
        a = Math.max(a, askT[i - 1]! + 1);
      } else if (a <= b) a = b + 1;
      bidT[i] = Math.max(1, b);
      askT[i] = a;
    }

    // Which slots need a new order: gone (filled / canceled), drifted beyond tolerance, or picked for a refresh.
    const redo: [boolean[], boolean[]] = [new Array<boolean>(L).fill(false), new Array<boolean>(L).fill(false)];
    for (let side = 0 as SideCode; side <= 1; side = (side + 1) as SideCode) {
      const slots = this.slots[side]!;
      const targets = this.targets[side];
      for (let i = 0; i < L; i++) {
        const o = slots[i];
        if (!o || !o.isOpen) {
          slots[i] = null;
          redo[side][i] = true;
          continue;
        }
        const tol = Math.floor(i * spacingTicks * 0.5);
        if (Math.abs(o.tick - targets[i]!) > tol) redo[side][i] = true;
      }
    }
    for (let k = 0; k < cfg.refreshPerStep; k++) {
      const i = Math.min(L - 1, Math.floor(this.rng.exponential(L / 6)));
      redo[this.rng.bool(0.5) ? 0 : 1][i] = true;
    }

    // Cancel first, then place, so new quotes never meet this provider's own stale quotes.
    for (let side = 0; side <= 1; side++) {
      const slots = this.slots[side]!;
      for (let i = 0; i < L; i++) {
        const o = slots[i];
        if (redo[side as SideCode][i] && o) {
          this.engine.cancelEngineOrder(o, 'canceled', 'user');
          slots[i] = null;
        }
      }
    }
    const minLots = rt.minLots;
    const lotValue = rt.qty.toNumber(1);
    for (let i = 0; i < L; i++) {
      for (let side = 0 as SideCode; side <= 1; side = (side + 1) as SideCode) {
        if (!redo[side][i]) continue;
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
