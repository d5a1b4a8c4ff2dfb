/**
 * Binance and Bybit façades expose the same seam, FacadeTap (facade-tap.ts). This adapter turns its frames and
 * requests into the injector's neutral terms and renders the answers in the venue's wire format.
 */
import type { FacadeTap, TapRestRequest, TapRestVerdict, TapWsFrame, TapWsVerdict } from '../../facades/facade-tap.js';
import type { TrafficDecider, VenueAttachment, WsFrameInfo } from '../traffic-decision.js';
import { errorReply, isOrderPlacement, rejectReply, type VenueErrorReply } from '../venue-errors.js';

/** What the adapter needs of a Binance, Bybit or OKX façade. */
export interface FacadeTapTarget {
  setTap(tap: FacadeTap): void;
}

/** Binance diff-depth stream names: `btcusdt@depth`, `btcusdt@depth@100ms` (not the partial `@depth5`). */
const BINANCE_DIFF = /^[a-z0-9]+@depth(@\d+ms)?$/;

export function classifyBinanceFrame(frame: TapWsFrame): WsFrameInfo {
  const stream = frame.stream;
  return { connectionId: frame.connectionId, stream, market: stream !== undefined, bookDiff: stream !== undefined && BINANCE_DIFF.test(stream) };
}

export function classifyBybitFrame(frame: TapWsFrame): WsFrameInfo {
  const stream = frame.stream;
  const market = stream !== undefined && !frame.path.includes('private');
  // orderbook.<depth>.<SYMBOL> carries a snapshot then deltas; only a lost delta is a gap.
  const bookDiff = market && stream.startsWith('orderbook.') && frame.data.includes('"type":"delta"');
  return { connectionId: frame.connectionId, stream, market, bookDiff };
}

/** OKX frames: stream `<channel>:<instId>` on /ws/v5/public; `books` updates carry seqId/prevSeqId and a checksum. */
export function classifyOkxFrame(frame: TapWsFrame): WsFrameInfo {
  const stream = frame.stream;
  const market = stream !== undefined && frame.path.endsWith('/public');
  const book = market && stream.startsWith('books:');
  return { connectionId: frame.connectionId, stream, market, bookDiff: book && frame.data.includes('"action":"update"'), bookChecksum: book };
}

/** The frame with its checksum changed (still an int32), so a client that verifies it finds the book wrong. */
function corruptChecksum(data: string): string {
  return data.replace(/"checksum":(-?\d+)/, (_m, n: string) => `"checksum":${(Number(n) ^ 0x5a5a5a5a) | 0}`);
}

const CLASSIFY = { binance: classifyBinanceFrame, bybit: classifyBybitFrame, okx: classifyOkxFrame } as const;

export function installFacadeTap(facade: FacadeTapTarget, venue: string, protocol: 'binance' | 'bybit' | 'okx', decider: TrafficDecider): VenueAttachment {
  let highest = 0;
  const classify = CLASSIFY[protocol];
  const respond = (r: VenueErrorReply): TapRestVerdict => ({ kind: 'respond', status: r.status, body: JSON.stringify(r.body) });
  const tap: FacadeTap = {
    rest(req: TapRestRequest): TapRestVerdict {
      const d = decider.decideRest(venue, { method: req.method, path: req.path, orderPlacement: isOrderPlacement(protocol, req.method, req.path) });
      switch (d.kind) {
        case 'pass':
          return { kind: 'pass' };
        case 'hang':
          return { kind: 'hang' };
        case 'hang_after_acting':
          return { kind: 'act_then_hang' };
        case 'error':
          return respond(errorReply(protocol, d.status));
        case 'reject':
          return respond(rejectReply(protocol, d.message));
      }
    },
    ws(frame: TapWsFrame): TapWsVerdict {
      if (frame.connectionId > highest) highest = frame.connectionId;
      const d = decider.decideWs(venue, classify(frame));
      if (d.kind === 'corrupt_checksum') return { kind: 'replace', data: corruptChecksum(frame.data) };
      return d.kind === 'close' ? { kind: 'close', code: d.code, reason: d.reason } : d;
    },
  };
  facade.setTap(tap);
  return {
    venue,
    highestConnectionId: () => highest,
    detach: () => facade.setTap({}),
  };
}
