/**
 * Faults that act on the shared price world rather than on a façade's traffic: halt a symbol, jump a price, open a
 * cross-venue basis, switch the volatility regime. Applying one returns its undo, used when the fault has a
 * duration or is removed.
 */
import type { SimWorld } from '../engine/types.js';
import { FaultError, type WorldFault } from './fault-spec.js';

export class WorldFaults {
  /** Basis we last set per venue/asset, so an undo restores what was there before (else the venue's default). */
  private readonly basis = new Map<string, number>();

  constructor(private readonly world: SimWorld) {}

  /** Throws FaultError when the fault names something the world does not have. */
  check(f: WorldFault): void {
    const assets = this.world.assets();
    if (f.kind === 'halt_symbol') {
      this.checkVenue(f.venue);
      if (!this.world.venue(f.venue).instruments().some((i) => i.symbol === f.symbol)) {
        throw new FaultError(`symbol: ${f.venue} has no symbol ${f.symbol}`);
      }
      return;
    }
    if (f.kind === 'basis') this.checkVenue(f.venue);
    if (!assets.includes(f.asset.toUpperCase())) throw new FaultError(`asset: unknown asset ${f.asset}; the world has ${assets.join(', ')}`);
  }

  /** Applies the fault now; returns how to undo it (undefined when it cannot be undone, e.g. a jump). */
  apply(f: WorldFault): (() => void) | undefined {
    switch (f.kind) {
      case 'halt_symbol': {
        const engine = this.world.venue(f.venue);
        const wasHalted = engine.isHalted(f.symbol);
        this.world.haltSymbol(f.venue, f.symbol, true);
        return () => {
          if (!wasHalted) this.world.haltSymbol(f.venue, f.symbol, false);
        };
      }
      case 'price_jump':
        this.world.jumpPrice(f.asset, f.fraction);
        return undefined;
      case 'basis': {
        const key = `${f.venue}|${f.asset.toUpperCase()}`;
        const before = this.basis.get(key) ?? this.world.venue(f.venue).config.basisBps;
        this.setBasis(key, f.venue, f.asset, f.bps);
        return () => this.setBasis(key, f.venue, f.asset, before);
      }
      case 'regime':
        this.world.setRegime(f.asset, f.regime);
        // The world exposes no getter for the regime; calm is its starting state.
        return () => this.world.setRegime(f.asset, 'calm');
    }
  }

  private setBasis(key: string, venue: string, asset: string, bps: number): void {
    this.world.setBasis(venue, asset, bps);
    this.basis.set(key, bps);
  }

  private checkVenue(venue: string): void {
    const venues = this.world.venues();
    if (!venues.includes(venue)) throw new FaultError(`venue: unknown venue ${venue}; the world has ${venues.join(', ')}`);
  }
}
