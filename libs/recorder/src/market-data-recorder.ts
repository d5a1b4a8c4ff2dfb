import { BboMessage, BookMessage, DepthMessage, MarkMessage, patterns, subjects, TradeMessage, VenueStatusMessage, type SubjectPattern } from '@perpetua/core';
import type { Bus, Subscription } from '@perpetua/bus';
import type { ZodType } from 'zod';
import { type RecordedKind, type RecordedMessage } from './recorded-message.js';
import type { RecordingWriter } from './recording-writer.js';

/** Each kind's patterns (every venue's, or one venue's) and schema; the messages are recorded as they come, whatever their kind. */
interface KindSource {
  all: SubjectPattern<unknown, never>;
  of: (venue: string) => SubjectPattern<unknown, never>;
  schema: ZodType;
}

const SOURCES: Record<RecordedKind, KindSource> = {
  book: { all: patterns.allBooks, of: patterns.booksOf, schema: BookMessage },
  depth: { all: patterns.allDepth, of: patterns.depthOf, schema: DepthMessage },
  bbo: { all: patterns.allBbo, of: patterns.bboOf, schema: BboMessage },
  trade: { all: patterns.allTrades, of: patterns.tradesOf, schema: TradeMessage },
  mark: { all: patterns.allMarks, of: patterns.marksOf, schema: MarkMessage },
  status: { all: patterns.allStatus, of: subjects.status, schema: VenueStatusMessage },
};

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
      const source = SOURCES[kind];
      const kindPatterns = venues.length === 0 ? [source.all] : venues.map((v) => source.of(v));
      for (const pattern of kindPatterns)
        this.subs.push(
          this.bus.subscribe(pattern, source.schema, (msg, subject) => {
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
