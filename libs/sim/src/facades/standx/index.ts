export { startStandxFacade } from './standx-facade.js';
export type { StandxCredentials, StandxFacade, StandxFacadeAccount, StartStandxFacadeOptions } from './standx-facade.js';
export type { RestReply, RestRequestInfo, StandxTrafficHooks, WsCloseVerdict, WsOutgoing, WsSendVerdict } from './traffic-gate.js';
export { toCanonicalSymbol as standxToCanonicalSymbol, toStandxSymbol } from './symbols.js';
export { DEFAULT_STANDX_DIALECT, StandxDialect, type StandxDialectInput } from './standx-dialect.js';
export { STANDX_LIMITS, type IpConnectionStats, type StandxLimitSettings } from './venue-limits.js';
