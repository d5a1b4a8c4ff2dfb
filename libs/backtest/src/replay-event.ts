import type { BookMessage, DepthMessage, MarkMessage, TradeMessage } from '@perpetua/core';

/**
 * One market-data event of a replay, for one venue and symbol. Each message
 * carries the venue's time (tsExchange: when the venue matched or changed) and
 * our receive time (tsReceived: when the strategy could have seen it); the
 * runner plays the first to the fill model and the second to the strategy, so
 * feed latency comes from the data itself.
 */
export type ReplayEvent =
  | { kind: 'book'; msg: BookMessage }
  | { kind: 'depth'; msg: DepthMessage }
  | { kind: 'trade'; msg: TradeMessage }
  | { kind: 'mark'; msg: MarkMessage };
