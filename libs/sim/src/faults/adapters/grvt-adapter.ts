/**
 * GRVT's seam (GrvtTrafficHooks, wire-tap.ts) in the injector's neutral terms. The hooks can answer, delay, drop
 * or close a connection (ws_drop), on every host.
 */
import type { GrvtRestReply, GrvtRestRequestInfo, GrvtTrafficHooks, GrvtWsOutgoing, WsSendVerdict } from '../../facades/grvt/wire-tap.js';
import type { TrafficDecider, VenueAttachment } from '../traffic-decision.js';
import { errorReply, isOrderPlacement, rejectReply } from '../venue-errors.js';

export interface GrvtHooksTarget {
  setTrafficHooks(hooks: GrvtTrafficHooks): void;
}

/** GRVT's incremental book feed; its loss breaks the feed's sequence_number chain. */
const BOOK_DIFF_STREAM = 'v1.book.d';

export function installGrvtHooks(facade: GrvtHooksTarget, venue: string, decider: TrafficDecider): VenueAttachment {
  // Connection ids are unique across the façade's hosts, so one watermark covers them all.
  let highest = 0;
  const hooks: GrvtTrafficHooks = {
    onRest(req: GrvtRestRequestInfo): GrvtRestReply | undefined | Promise<GrvtRestReply | undefined> {
      const d = decider.decideRest(venue, { method: req.method, path: req.path, orderPlacement: isOrderPlacement('grvt', req.method, req.path) });
      switch (d.kind) {
        case 'pass':
          return undefined;
        case 'hang':
          return decider.hang().then(() => undefined);
        case 'error':
          return errorReply('grvt', d.status);
        case 'reject':
          return rejectReply('grvt', d.message);
      }
    },
    onWsSend(msg: GrvtWsOutgoing): WsSendVerdict | Promise<WsSendVerdict> {
      if (msg.connectionId > highest) highest = msg.connectionId;
      const d = decider.decideWs(venue, {
        connectionId: msg.connectionId,
        stream: msg.stream,
        market: msg.host === 'market-data' && msg.stream !== undefined,
        bookDiff: msg.stream === BOOK_DIFF_STREAM,
      });
      switch (d.kind) {
        case 'pass':
          return msg.text;
        case 'drop':
          return null;
        case 'close':
          return { close: d.code, reason: d.reason };
        case 'delay':
          return decider.sleep(d.ms).then(() => msg.text);
      }
    },
  };
  facade.setTrafficHooks(hooks);
  return {
    venue,
    highestConnectionId: () => highest,
    detach: () => facade.setTrafficHooks({}),
  };
}
