/**
 * One injected fault while it lives: its spec, when it started and retires, how many hits it has left, and its own
 * PRNG stream (derived from the sim seed and the fault id, so which candidates a probabilistic fault hits is the same
 * in every run that injects the same faults in the same order).
 */
import { Prng } from '../price/prng.js';
import type { FaultSpec } from './fault-spec.js';

export interface FaultView {
  id: string;
  spec: FaultSpec;
  startedAt: number;
  expiresAt: number | undefined;
  /** Hits left when `count` was given. */
  remaining: number | undefined;
  hits: number;
}

export class ActiveFault {
  hits = 0;
  private remaining: number | undefined;
  private readonly prng: Prng;
  /** Undo for world faults with a duration (unhalt, restore basis, calm regime). */
  revert: (() => void) | undefined;
  /** Cancels the expiry timer. */
  cancelExpiry: (() => void) | undefined;
  /** ws_drop without a duration: only connections that existed when it was injected (ids up to this). */
  connectionWatermark: number | undefined;
  /** ws_drop: connections already closed (each is closed once). */
  readonly closedConnections = new Set<number>();

  constructor(
    readonly id: string,
    readonly spec: FaultSpec,
    readonly startedAt: number,
    readonly expiresAt: number | undefined,
    seed: number,
  ) {
    this.remaining = spec.count;
    this.prng = Prng.derive(seed, 'fault', id);
  }

  get exhausted(): boolean {
    return this.remaining !== undefined && this.remaining <= 0;
  }

  /**
   * Called for each candidate the fault could affect: draws against `probability` (when set) and consumes one of
   * `count` on a hit. Returns whether this candidate is affected.
   */
  tryHit(): boolean {
    if (this.exhausted) return false;
    const p = this.spec.probability;
    if (p !== undefined && !(this.prng.next() < p)) return false;
    if (this.remaining !== undefined) this.remaining--;
    this.hits++;
    return true;
  }

  view(): FaultView {
    return { id: this.id, spec: this.spec, startedAt: this.startedAt, expiresAt: this.expiresAt, remaining: this.remaining, hits: this.hits };
  }
}
