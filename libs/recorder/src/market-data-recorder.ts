import { BboMessage, BookMessage, DepthMessage, MarkMessage, TradeMessage, VenueStatusMessage } from '@perpetua/core';
import type { Bus, Subscription } from '@perpetua/bus';
import type { ZodType } from 'zod';
import { type RecordedKind, type RecordedMessage } from './recorded-message.js';
import type { RecordingWriter } from './recording-writer.js';

const SCHEMAS: Record<RecordedKind, ZodType> = { book: BookMessage, depth: DepthMessage, bbo: BboMessage, trade: TradeMessage, mark: MarkMessage, status: VenueStatusMessage };

export interface RecorderOptions {
  /** Venues to record (all when empty). */
  venues?: readonly string[];
  /** Kinds to record (default: book, depth, trade, mark, status; bbo is derivable from books). */
  kinds?: readonly RecordedKind[];
  /** The clock each line is stamped with (our receive time). */
  now?: () => number;
}

/** Subscribes to the normalized md.* stream on a bus and writes every message it receives. */
export class MarketDataRecorder {
  private readonly subs: Subscription[] = [];
  readonly counts: Record<RecordedKind, number> = { book: 0, depth: 0, bbo: 0, trade: 0, mark: 0, status: 0 };

  constructor(
    private readonly bus: Bus,
    private readonly writer: RecordingWriter,
    private readonly options: RecorderOptions = {},
  ) {}

  start(): void {
    const kinds = this.options.kinds ?? ['book', 'depth', 'trade', 'mark', 'status'];
    const now = this.options.now ?? Date.now;
    const venues = this.options.venues ?? [];
    for (const kind of kinds) {
      const patterns = venues.length === 0 ? [kind === 'status' ? 'md.status.*' : `md.${kind}.>`] : venues.map((v) => (kind === 'status' ? `md.status.${v}` : `md.${kind}.${v}.*`));
      for (const pattern of patterns)
        this.subs.push(
          this.bus.subscribe(pattern, SCHEMAS[kind], (msg, subject) => {
            this.counts[kind]++;
            this.writer.write({ kind, t: now(), subject, msg } as RecordedMessage);
          }),
        );
    }
  }

  stop(): void {
    for (const s of this.subs.splice(0)) s.unsubscribe();
  }
}
