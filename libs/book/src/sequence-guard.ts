import { BookError } from './book-error.js';

/**
 * Verdict on an incoming delta's sequence number:
 * - 'ok': contiguous with the last accepted one (it is now the last accepted);
 * - 'stale': already covered (replay or duplicate): drop it;
 * - 'gap': something was missed, or there is no baseline yet: resync from a snapshot.
 */
export type SeqCheck = 'ok' | 'gap' | 'stale';

/**
 * Tracks a venue's book sequence so an adapter can tell a missed delta from a
 * replayed one and request a resync. A 'gap' does not move the guard: every
 * later delta keeps reporting 'gap' until `reset` (after a fresh snapshot).
 */
export class SequenceGuard {
  private last: number | undefined;
  private gaps = 0;
  private stales = 0;

  constructor(initial?: number) {
    this.reset(initial);
  }

  /** The last accepted sequence, or undefined when not synced. */
  get lastSeq(): number | undefined {
    return this.last;
  }

  get synced(): boolean {
    return this.last !== undefined;
  }

  /** How many 'gap' / 'stale' verdicts were given (for metrics). */
  get gapCount(): number {
    return this.gaps;
  }

  get staleCount(): number {
    return this.stales;
  }

  /** Sets the baseline (the snapshot's sequence); undefined means unsynced. */
  reset(seq?: number): void {
    if (seq !== undefined) assertSeq(seq, 'seq');
    this.last = seq;
  }

  /** For venues whose every delta carries exactly previous + 1. */
  check(seq: number): SeqCheck {
    assertSeq(seq, 'seq');
    const last = this.last;
    if (last === undefined) return this.gap();
    if (seq === last + 1) {
      this.last = seq;
      return 'ok';
    }
    if (seq <= last) return this.stale();
    return this.gap();
  }

  /**
   * For venues whose delta covers a range of update ids [first, last] (e.g.
   * Binance's U..u): it applies when it contains last accepted + 1, it is stale
   * when it ends at or before the last accepted id.
   */
  checkRange(first: number, last: number): SeqCheck {
    assertSeq(first, 'first');
    assertSeq(last, 'last');
    if (first > last) throw new BookError(`sequence range is reversed: first ${first} > last ${last}`);
    const prev = this.last;
    if (prev === undefined) return this.gap();
    if (last <= prev) return this.stale();
    if (first > prev + 1) return this.gap();
    this.last = last;
    return 'ok';
  }

  private gap(): 'gap' {
    this.gaps++;
    return 'gap';
  }

  private stale(): 'stale' {
    this.stales++;
    return 'stale';
  }
}

export function assertSeq(seq: number, what: string): void {
  if (!Number.isSafeInteger(seq) || seq < 0) {
    throw new BookError(`${what} must be a non-negative safe integer, got ${String(seq)}`);
  }
}
