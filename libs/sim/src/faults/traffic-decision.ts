/**
 * The protocol-neutral contract between the injector and the per-venue adapters: an adapter describes a frame or a
 * request in these terms, the injector answers what should happen, and the adapter renders the answer in its
 * façade's seam and its venue's wire format.
 */

export interface WsFrameInfo {
  connectionId: number;
  /** Stream (Binance/Bybit/GRVT) or channel (StandX) the frame belongs to; undefined for replies. */
  stream: string | undefined;
  /** Part of a public market stream (not a reply, not private/user data). */
  market: boolean;
  /** An incremental order-book message whose loss shows up as a sequence gap. */
  bookDiff: boolean;
  /** An order-book message carrying a checksum of the book (OKX `books`). */
  bookChecksum?: boolean;
}

export type WsDecision =
  | { kind: 'pass' }
  | { kind: 'drop' }
  | { kind: 'delay'; ms: number }
  /** Send the book message with a checksum that does not match its book. */
  | { kind: 'corrupt_checksum' }
  | { kind: 'close'; code: number; reason: string };

export interface RestInfo {
  method: string;
  /** Path without the query string. */
  path: string;
  /** The request places an order (what reject_orders refuses). */
  orderPlacement: boolean;
}

export type RestDecision =
  | { kind: 'pass' }
  /** Answer with the venue's own error body for this status (429 or 5xx). */
  | { kind: 'error'; status: number }
  /** Answer with the venue's own order rejection. */
  | { kind: 'reject'; message: string | undefined }
  /** Never answer. */
  | { kind: 'hang' }
  /** Handle the request, then never answer (a timeout although the venue acted). */
  | { kind: 'hang_after_acting' };

/** What an adapter needs from the injector. */
export interface TrafficDecider {
  decideWs(venue: string, frame: WsFrameInfo): WsDecision;
  decideRest(venue: string, req: RestInfo): RestDecision;
  /** Resolves after `ms` on the injector's clock (or at once when the injector closes). */
  sleep(ms: number): Promise<void>;
  /** Pending until the injector closes: how promise-based seams hang a request. */
  hang(): Promise<void>;
}

export const PASS: { kind: 'pass' } = { kind: 'pass' };

/** A façade an adapter has installed its tap on. */
export interface VenueAttachment {
  readonly venue: string;
  /** Highest WS connection id seen so far: ws_drop without a duration closes only connections up to it. */
  highestConnectionId(): number;
  /** Puts the façade back to untouched traffic. */
  detach(): void;
}
