/**
 * The sequence rules of GRVT's v1.book.d feeds on one connection (WSSubscribeResult / WSResponseV1 docs): snapshots
 * carry 0, deltas 1+, each previous + 1; the subscribe answer names the first delta after the snapshot
 * (`first_sequence_number`) or the last one before it (`latest_sequence_number`, "next received must be larger");
 * duplicates may happen and are ignored; anything else is a lost message and needs a fresh snapshot.
 *
 * What a number counts is not stated: the data docs say "within a stream", the subscribe docs "per stream", the
 * subscribe answer gives one per feed. So both readings are accepted:
 * - per instrument: a delta follows the instrument's previous delta (seq = last + 1, prev = last);
 * - per stream: a delta follows the stream's previous delta on this connection, whatever its instrument.
 * A delta that follows neither is a gap. Until the per-instrument reading is proven (a delta following its
 * instrument's last while another instrument's delta came in between, impossible with one stream counter), a gap
 * may be another instrument's lost message, so it resnapshots every book of the stream; once proven, only its own.
 * Pure logic: no I/O, no clock.
 */
export type BookDeltaVerdict =
  /** Apply it; `prev` is the sequence number it follows, when known. */
  | { kind: 'apply'; prev: number | undefined }
  /** Already contained (a duplicate, or a delta the snapshot already covers): skip it. */
  | { kind: 'skip' }
  /** Waiting for a snapshot: deltas of the old subscription are worthless. */
  | { kind: 'waiting' }
  /** A message was lost: of this instrument, or of the stream (any of its instruments). */
  | { kind: 'gap'; scope: 'instrument' | 'stream'; reason: string };

interface BookChain {
  awaitingSnapshot: boolean;
  /** Sequence number of the last delta applied (or the one just before the snapshot's first delta). */
  last: number | undefined;
  /** From the latest subscribe answer, until its snapshot consumes them. */
  first: number | undefined;
  latest: number | undefined;
  /** Deltas at or below this are covered by the snapshot (`latest_sequence_number`). */
  floor: number | undefined;
}

export interface SubscribeSequences {
  first?: number | undefined;
  latest?: number | undefined;
}

export class GrvtBookSequences {
  private readonly chains = new Map<string, BookChain>();
  /** Highest delta number seen on the stream on this connection, any instrument. */
  private streamLast: number | undefined;
  private perInstrumentProven = false;

  constructor(instruments: Iterable<string>) {
    for (const name of instruments) this.chains.set(name, fresh());
  }

  /** How the venue was seen to count: 'per_instrument' once proven, else 'unknown'. */
  get counting(): 'per_instrument' | 'unknown' {
    return this.perInstrumentProven ? 'per_instrument' : 'unknown';
  }

  waiting(name: string): boolean {
    return this.chains.get(name)?.awaitingSnapshot ?? false;
  }

  /** A (re)subscription of one instrument was sent: nothing of it counts until its snapshot arrives. */
  restart(name: string): void {
    if (this.chains.has(name)) this.chains.set(name, fresh());
  }

  /** A new connection: every instrument from scratch, and nothing assumed about the counting. */
  restartAll(): void {
    for (const name of this.chains.keys()) this.chains.set(name, fresh());
    this.streamLast = undefined;
    this.perInstrumentProven = false;
  }

  /** The subscribe answer's sequence numbers for one instrument's feed. */
  subscribed(name: string, s: SubscribeSequences): void {
    const c = this.chains.get(name);
    if (!c) return;
    if (c.awaitingSnapshot) {
      c.first = s.first;
      c.latest = s.latest;
    } else if (c.last === undefined) {
      // An answer after its snapshot (not GRVT's order, but harmless): the snapshot precedes these numbers.
      if (s.first !== undefined) c.last = s.first - 1;
      else if (s.latest !== undefined) c.floor = s.latest;
    }
  }

  /**
   * A snapshot arrived: the book restarts from it. Returns the sequence number it stands for (the one before its
   * first delta), so snapshot and deltas form one chain downstream; undefined when the venue did not say.
   */
  snapshot(name: string): number | undefined {
    const c = this.chains.get(name);
    if (!c) return undefined;
    c.awaitingSnapshot = false;
    c.last = c.first !== undefined ? c.first - 1 : undefined;
    c.floor = c.first === undefined ? c.latest : undefined;
    c.first = c.latest = undefined;
    return c.last ?? c.floor;
  }

  delta(name: string, seq: number, prev: number | undefined): BookDeltaVerdict {
    const c = this.chains.get(name);
    const streamPrev = this.streamLast;
    if (!c) return { kind: 'skip' };
    if (c.awaitingSnapshot) {
      this.noteStream(seq);
      return { kind: 'waiting' };
    }
    const last = c.last;
    if (last === undefined) {
      // No first sequence number announced: the first delta above the snapshot's starts the chain.
      this.noteStream(seq);
      if (c.floor !== undefined && seq <= c.floor) return { kind: 'skip' };
      // It follows the snapshot (whatever its prev says: counted per stream, that is another instrument's number).
      const after = c.floor;
      c.last = seq;
      c.floor = undefined;
      return { kind: 'apply', prev: after };
    }
    if (seq <= last) return { kind: 'skip' };
    const byInstrument = seq === last + 1 && (prev === undefined || prev === last);
    const byStream = !this.perInstrumentProven && streamPrev !== undefined && seq === streamPrev + 1 && (prev === undefined || prev === streamPrev);
    // +1 on its own instrument although the stream moved on since: the venue counts per instrument.
    if (byInstrument && streamPrev !== undefined && streamPrev > last) this.perInstrumentProven = true;
    if (byInstrument || byStream) {
      c.last = seq;
      this.noteStream(seq);
      return { kind: 'apply', prev: last };
    }
    this.streamLast = seq;
    const why = prev !== undefined && seq === last + 1 ? `prev_sequence_number ${prev}, expected ${last}` : `sequence gap: ${last} then ${seq}`;
    return this.perInstrumentProven
      ? { kind: 'gap', scope: 'instrument', reason: why }
      : { kind: 'gap', scope: 'stream', reason: `${why} (stream at ${streamPrev ?? 'none'})` };
  }

  private noteStream(seq: number): void {
    if (this.streamLast === undefined || seq > this.streamLast) this.streamLast = seq;
  }
}

const fresh = (): BookChain => ({ awaitingSnapshot: true, last: undefined, first: undefined, latest: undefined, floor: undefined });
