import { z } from 'zod';
import { BboMessage, BookMessage, DepthMessage, MarkMessage, TradeMessage, VenueStatusMessage } from '@perpetua/core';

/**
 * One line of a recording: the market-data message as it crossed the bus, with
 * the subject and the time the recorder received it (`t`); every message also
 * carries the venue's time and the gateway's receive time. `depth` lines are
 * the venue's own book changes (snapshots and deltas with sequence numbers, at
 * the depth the venue sends); `book` lines are the gateway's top-N books.
 * Recordings from before depth was kept have only `book` lines and still load.
 * The same schemas that guard the bus check a recording when it is read back.
 */
export const RecordedMessage = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('book'), t: z.number(), subject: z.string(), msg: BookMessage }),
  z.object({ kind: z.literal('depth'), t: z.number(), subject: z.string(), msg: DepthMessage }),
  z.object({ kind: z.literal('bbo'), t: z.number(), subject: z.string(), msg: BboMessage }),
  z.object({ kind: z.literal('trade'), t: z.number(), subject: z.string(), msg: TradeMessage }),
  z.object({ kind: z.literal('mark'), t: z.number(), subject: z.string(), msg: MarkMessage }),
  z.object({ kind: z.literal('status'), t: z.number(), subject: z.string(), msg: VenueStatusMessage }),
]);
export type RecordedMessage = z.infer<typeof RecordedMessage>;
export type RecordedKind = RecordedMessage['kind'];

/** The kind of an md.* subject (md.book.<venue>.<symbol> → book), or undefined for other subjects. */
export function kindOfSubject(subject: string): RecordedKind | undefined {
  const kind = subject.split('.')[1];
  return kind === 'book' || kind === 'depth' || kind === 'bbo' || kind === 'trade' || kind === 'mark' || kind === 'status' ? kind : undefined;
}

/** The venue token of an md.* subject. */
export const venueOfSubject = (subject: string): string | undefined => subject.split('.')[2];
