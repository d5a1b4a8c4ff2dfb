export { startStandxFacade } from './standx-facade.js';
export type { StandxCredentials, StandxFacade, StandxFacadeAccount, StartStandxFacadeOptions } from './standx-facade.js';
export type { RestReply, RestRequestInfo, StandxTrafficHooks, WsCloseVerdict, WsOutgoing, WsSendVerdict } from './traffic-gate.js';
export { toCanonicalSymbol as standxToCanonicalSymbol, toStandxSymbol } from './symbols.js';
