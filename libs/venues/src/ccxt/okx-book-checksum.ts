import { crc32 } from 'node:zlib';
import type { Exchange, OrderBook } from 'ccxt';

/** What the guard needs of a ccxt WebSocket client. */
interface CcxtWsClient {
  close(): unknown;
}
type BookHandler = (client: CcxtWsClient, message: unknown) => unknown;

export interface OkxBookGuard {
  /** Throws when the symbol's book failed its checksum since the last watch (the loop then resyncs). */
  throwIfBad(venueSymbol: string): void;
}

/**
 * OKX's checksum of a book: CRC32 (signed 32-bit) of the top 25 bids and asks interleaved as
 * bidPx:bidSz:askPx:askSz:..., one side's extra levels following alone.
 */
export function okxChecksum(ob: Pick<OrderBook, 'bids' | 'asks'>): number {
  const parts: string[] = [];
  for (let i = 0; i < 25; i++) {
    const b = ob.bids[i];
    const a = ob.asks[i];
    if (b) parts.push(`${b[0]}:${b[1]}`);
    if (a) parts.push(`${a[0]}:${a[1]}`);
  }
  return crc32(parts.join(':')) | 0;
}

/**
 * ccxt's okx checks `books` updates' seqId/prevSeqId but not their checksum, so a corrupted book would look
 * fine. This checks the checksum after ccxt applies each message (the book it would hand out) and, on a mismatch,
 * marks the symbol bad and closes the connection: the watch that resolved with the bad book throws instead of
 * publishing it (throwIfBad), the next watch reconnects and resubscribes, which brings a fresh snapshot.
 * ccxt's numbers print as the venue's strings (it parsed them from shortest decimal text), so the text matches.
 */
export function guardOkxBookChecksum(ex: Exchange): OkxBookGuard {
  const target = ex as unknown as { handleOrderBook: BookHandler; orderbooks: Record<string, OrderBook | undefined>; safeSymbol(id: string): string };
  const original: BookHandler = target.handleOrderBook.bind(ex);
  const bad = new Set<string>();
  target.handleOrderBook = (client, message) => {
    const result = original(client, message);
    const m = message as { arg?: { channel?: unknown; instId?: unknown }; data?: Array<{ checksum?: unknown }> } | undefined;
    const checksum = m?.data?.[0]?.checksum;
    if (m?.arg?.channel === 'books' && typeof m.arg.instId === 'string' && typeof checksum === 'number') {
      const symbol = target.safeSymbol(m.arg.instId);
      const book = target.orderbooks[symbol];
      if (book && okxChecksum(book) !== checksum) {
        bad.add(symbol);
        delete target.orderbooks[symbol];
        Promise.resolve(client.close()).catch(() => undefined);
      }
    }
    return result;
  };
  return {
    throwIfBad(venueSymbol) {
      if (!bad.delete(venueSymbol)) return;
      throw new Error(`${venueSymbol}: book checksum mismatch; resubscribing for a fresh snapshot`);
    },
  };
}
