/**
 * StandX's seam (StandxTrafficHooks, traffic-gate.ts) in the injector's neutral terms. The hooks can answer, delay,
 * drop or close a connection (ws_drop).
 */
import type { StandxTrafficHooks, WsOutgoing } from '../../facades/standx/traffic-gate.js';
import type { TrafficDecider, VenueAttachment } from '../traffic-decision.js';
import { orderedGateHooks } from './ordered-gate-hooks.js';

export interface StandxHooksTarget {
  setTrafficHooks(hooks: StandxTrafficHooks): void;
}

const MARKET_CHANNELS = new Set(['depth_book', 'price', 'public_trade']);

export function installStandxHooks(facade: StandxHooksTarget, venue: string, decider: TrafficDecider): VenueAttachment {
  const { hooks, attachment } = orderedGateHooks<WsOutgoing>(venue, 'standx', decider, (msg) => ({
    connectionId: msg.clientId,
    stream: msg.channel,
    market: MARKET_CHANNELS.has(msg.channel),
    // depth_book is a full snapshot, but each message carries the connection's seq: a lost one is a seq gap.
    bookDiff: msg.channel === 'depth_book',
  }));
  facade.setTrafficHooks(hooks);
  return attachment(() => facade.setTrafficHooks({}));
}
