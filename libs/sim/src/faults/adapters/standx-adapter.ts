/**
 * StandX's seam (StandxTrafficHooks, traffic-gate.ts) in the injector's neutral terms. The hooks can answer, delay,
 * drop or close a connection (ws_drop).
 */
import type { RestReply, RestRequestInfo, StandxTrafficHooks, WsOutgoing, WsSendVerdict } from '../../facades/standx/traffic-gate.js';
import type { TrafficDecider, VenueAttachment } from '../traffic-decision.js';
import { errorReply, isOrderPlacement, rejectReply } from '../venue-errors.js';

export interface StandxHooksTarget {
  setTrafficHooks(hooks: StandxTrafficHooks): void;
}

const MARKET_CHANNELS = new Set(['depth_book', 'price', 'public_trade']);

export function installStandxHooks(facade: StandxHooksTarget, venue: string, decider: TrafficDecider): VenueAttachment {
  let highest = 0;
  const hooks: StandxTrafficHooks = {
    onRest(req: RestRequestInfo): RestReply | undefined | Promise<RestReply | undefined> {
      const d = decider.decideRest(venue, { method: req.method, path: req.path, orderPlacement: isOrderPlacement('standx', req.method, req.path) });
      switch (d.kind) {
        case 'pass':
          return undefined;
        case 'hang':
          return decider.hang().then(() => undefined);
        case 'error':
          return errorReply('standx', d.status);
        case 'reject':
          return rejectReply('standx', d.message);
      }
    },
    onWsSend(msg: WsOutgoing): WsSendVerdict | Promise<WsSendVerdict> {
      if (msg.clientId > highest) highest = msg.clientId;
      // depth_book is a full snapshot, but each message carries the connection's seq: a lost one is a seq gap.
      const d = decider.decideWs(venue, {
        connectionId: msg.clientId,
        stream: msg.channel,
        market: MARKET_CHANNELS.has(msg.channel),
        bookDiff: msg.channel === 'depth_book',
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
