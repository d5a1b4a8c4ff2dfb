import type { SimLiquidityConfig } from '../engine/types.js';
import type { SimVenueEngine } from '../engine/venue-engine.js';
import type { EngineAccount } from '../engine/engine-account.js';
import type { EngineOrder } from '../engine/engine-order.js';
import type { SideCode } from '../engine/side-code.js';
import type { Prng } from '../price/prng.js';

/**
 * Background marketable flow on one venue and symbol: Poisson arrivals; each order takes the top level and goes on to
 * the next with probability `sweepContinue`, so the chance of reaching a quote falls geometrically with its distance
 * from the top. Orders are IOC limits at the deepest level they target, sized to take the levels before it in full
 * and part of the last.
 */
export class TakerFlow {
  constructor(
    private readonly engine: SimVenueEngine,
    readonly symbol: string,
    private readonly account: EngineAccount<EngineOrder>,
    private readonly cfg: SimLiquidityConfig,
    private readonly rng: Prng,
  ) {}

  /** Sends this step's orders (dtMs of simulated time). Call inside the engine's batch. */
  step(dtMs: number): void {
    const n = this.rng.poisson((this.cfg.takerRatePerSec * dtMs) / 1000);
    for (let k = 0; k < n; k++) this.sendOne();
  }

  sendOne(): void {
    const { book, halted } = this.engine.runtime(this.symbol);
    if (halted) return;
    const side: SideCode = this.rng.bool(0.5) ? 0 : 1;
    const opp = book.side(side === 0 ? 1 : 0);
    if (opp.ticks.length === 0) return;
    let depth = 1;
    while (depth < opp.ticks.length && this.rng.next() < this.cfg.sweepContinue) depth++;
    let lots = 0;
    for (let i = 0; i < depth - 1; i++) lots += opp.levels.get(opp.ticks[i]!)!.lots;
    const lastTick = opp.ticks[depth - 1]!;
    const last = opp.levels.get(lastTick)!.lots;
    lots += Math.max(1, Math.ceil(last * this.rng.uniform(0.1, 1)));
    this.engine.submit(this.account, this.symbol, side, 'limit', 'ioc', lastTick, lots, false);
  }
}
