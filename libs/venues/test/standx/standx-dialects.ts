import type { StandxDialectInput } from '@perpetua/sim';

/**
 * Every reading of StandX's docs the simulator can play (libs/sim standx-dialect.ts), one at a time: the adapter's
 * acceptance tests run under each, so they test more than the adapter's own reading.
 */
export const STANDX_DIALECTS: ReadonlyArray<readonly [string, StandxDialectInput]> = [
  ['as documented', {}],
  ['seq per channel', { seq: 'per_channel' }],
  ['seq with gaps', { seq: 'gaps' }],
  ['cancel_orders answers []', { cancelOrdersReply: 'empty_array' }],
  ['trades without ids', { tradeIds: 'absent' }],
  ['extra order statuses', { orderStatuses: 'extended' }],
  ['rejections only on the order WebSocket', { rejections: 'order_ws_only' }],
];
