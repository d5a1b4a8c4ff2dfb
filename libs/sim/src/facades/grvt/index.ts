export { startGrvtFacade } from './grvt-facade.js';
export type { GrvtCredentials, GrvtFacade, StartGrvtFacadeOptions } from './grvt-facade.js';
export type { GrvtAccountSpec } from './sessions.js';
export type {
  GrvtHost,
  GrvtRestReply,
  GrvtRestRequestInfo,
  GrvtTrafficHooks,
  GrvtWsOutgoing,
  WsCloseVerdict,
  WsSendVerdict,
} from './wire-tap.js';
export { GRVT_ERRORS } from './errors.js';
export { GRVT_ORDER_TYPES, orderTypedData, recoverOrderSigner } from './order-signature.js';
export { GRVT_DIALECT_PRESETS, GrvtDialect, type GrvtDialectInput, type GrvtDialectPreset } from './grvt-dialect.js';
