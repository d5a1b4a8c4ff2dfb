export {
  startBybitFacade,
  BYBIT_DEMO_API_KEY,
  BYBIT_DEMO_API_SECRET,
  type BybitFacade,
  type BybitFacadeOptions,
} from './bybit-facade.js';
export type { FacadeTap, TapRestRequest, TapRestVerdict, TapWsFrame, TapWsVerdict } from '../facade-tap.js';
export { hmacHex, restPayload, wsAuthPayload } from './signature.js';
