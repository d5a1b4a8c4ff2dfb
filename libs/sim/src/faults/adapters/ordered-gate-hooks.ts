import type { WsSendVerdict } from '../../facades/ordered-ws-gate.js';
import type { TrafficDecider, VenueAttachment, WsFrameInfo } from '../traffic-decision.js';
import { errorReply, isOrderPlacement, rejectReply, type VenueErrorReply, type VenueProtocol } from '../venue-errors.js';

/** What the StandX and GRVT seams (both on the ordered WS gate) hand a hook, in common. */
interface RestRequest {
  method: string;
  path: string;
}

export interface OrderedGateHooks<M> {
  onRest(req: RestRequest): VenueErrorReply | undefined | Promise<VenueErrorReply | undefined>;
  onWsSend(msg: M): WsSendVerdict | Promise<WsSendVerdict>;
}

/**
 * The injector's decisions as hooks for a façade on the ordered WS gate
 * (StandX, GRVT): only how a venue's outgoing message is classified differs,
 * so `classify` is the one venue-specific piece.
 */
export function orderedGateHooks<M extends { text: string }>(
  venue: string,
  protocol: VenueProtocol,
  decider: TrafficDecider,
  classify: (msg: M) => WsFrameInfo,
): { hooks: OrderedGateHooks<M>; attachment: (detach: () => void) => VenueAttachment } {
  let highest = 0;
  const hooks: OrderedGateHooks<M> = {
    onRest(req) {
      const d = decider.decideRest(venue, { method: req.method, path: req.path, orderPlacement: isOrderPlacement(protocol, req.method, req.path) });
      switch (d.kind) {
        case 'pass':
          return undefined;
        case 'hang':
        case 'hang_after_acting': // these gates cannot act and then drop the answer: they hang without acting
          return decider.hang().then(() => undefined);
        case 'error':
          return errorReply(protocol, d.status);
        case 'reject':
          return rejectReply(protocol, d.message);
      }
    },
    onWsSend(msg) {
      const info = classify(msg);
      if (info.connectionId > highest) highest = info.connectionId;
      const d = decider.decideWs(venue, info);
      switch (d.kind) {
        case 'pass':
          return msg.text;
        case 'drop':
          return null;
        case 'close':
          return { close: d.code, reason: d.reason };
        case 'delay':
          return decider.sleep(d.ms).then(() => msg.text);
        case 'corrupt_checksum':
          return msg.text; // StandX and GRVT send no book checksum
      }
    },
  };
  return { hooks, attachment: (detach) => ({ venue, highestConnectionId: () => highest, detach }) };
}
