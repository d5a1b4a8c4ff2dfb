/**
 * GRVT's seam (GrvtTrafficHooks, wire-tap.ts) in the injector's neutral terms. The hooks can answer, delay, drop
 * or close a connection (ws_drop), on every host.
 */
import type { GrvtTrafficHooks, GrvtWsOutgoing } from '../../facades/grvt/wire-tap.js';
import type { TrafficDecider, VenueAttachment } from '../traffic-decision.js';
import { orderedGateHooks } from './ordered-gate-hooks.js';

export interface GrvtHooksTarget {
  setTrafficHooks(hooks: GrvtTrafficHooks): void;
}

/** GRVT's incremental book feed; its loss breaks the feed's sequence_number chain. */
const BOOK_DIFF_STREAM = 'v1.book.d';

export function installGrvtHooks(facade: GrvtHooksTarget, venue: string, decider: TrafficDecider): VenueAttachment {
  // Connection ids are unique across the façade's hosts, so one watermark covers them all.
  const { hooks, attachment } = orderedGateHooks<GrvtWsOutgoing>(venue, 'grvt', decider, (msg) => ({
    connectionId: msg.connectionId,
    stream: msg.stream,
    market: msg.host === 'market-data' && msg.stream !== undefined,
    bookDiff: msg.stream === BOOK_DIFF_STREAM,
  }));
  facade.setTrafficHooks(hooks);
  return attachment(() => facade.setTrafficHooks({}));
}
