/**
 * The sequence rules of one GRVT v1.book.d feed (GRVT's ws_subscribe_result docs): snapshots carry 0, deltas 1+,
 * each delta previous + 1; the subscribe answer names the first delta that follows the snapshot; duplicates may
 * happen and are ignored; anything else is a lost message and needs a fresh snapshot.
 */
export type BookDeltaVerdict =
  /** Apply it; `prev` is the sequence number it follows, when known. */
  | { kind: 'apply'; prev: number | undefined }
  /** Already contained (a duplicate, or a delta the snapshot already covers): skip it. */
  | { kind: 'skip' }
  /** Waiting for a snapshot: deltas of the old subscription are worthless. */
  | { kind: 'waiting' }
  /** A message was lost. */
  | { kind: 'gap'; reason: string };

export class GrvtBookSequence {
  private awaitingSnapshot = true;
  /** Sequence number of the last delta applied (or the one just before the snapshot's first delta). */
  private last: number | undefined;
  /** `first_sequence_number` of the latest subscribe answer, until its snapshot consumes it. */
  private first: number | undefined;

  get waiting(): boolean {
    return this.awaitingSnapshot;
  }

  /** A (re)subscription was sent: nothing counts until its snapshot arrives. */
  restart(): void {
    this.awaitingSnapshot = true;
    this.last = undefined;
    this.first = undefined;
  }

  /** The subscribe answer's first sequence number for this feed. */
  subscribed(firstSequence: number): void {
    if (this.awaitingSnapshot) this.first = firstSequence;
    // An answer after its snapshot (not GRVT's order, but harmless): the snapshot precedes `firstSequence`.
    else if (this.last === undefined) this.last = firstSequence - 1;
  }

  /**
   * A snapshot arrived: the book restarts from it. Returns the sequence number it stands for (the one before its
   * first delta), so snapshot and deltas form one chain downstream; undefined when the venue did not say.
   */
  snapshot(): number | undefined {
    this.awaitingSnapshot = false;
    this.last = this.first !== undefined ? this.first - 1 : undefined;
    this.first = undefined;
    return this.last;
  }

  delta(seq: number, prev: number | undefined): BookDeltaVerdict {
    if (this.awaitingSnapshot) return { kind: 'waiting' };
    const last = this.last;
    if (last === undefined) {
      // No first sequence number was announced: the first delta after the snapshot starts the chain.
      this.last = seq;
      return { kind: 'apply', prev };
    }
    if (seq <= last) return { kind: 'skip' };
    if (seq !== last + 1) return { kind: 'gap', reason: `sequence gap: ${last} then ${seq}` };
    if (prev !== undefined && prev !== last) return { kind: 'gap', reason: `prev_sequence_number ${prev}, expected ${last}` };
    this.last = seq;
    return { kind: 'apply', prev: last };
  }
}
