export {
  startBinanceFacade,
  BINANCE_DEMO_API_KEY,
  BINANCE_DEMO_API_SECRET,
  type BinanceFacade,
  type BinanceFacadeOptions,
} from './binance-facade.js';
export type { FacadeTap, TapRestRequest, TapRestVerdict, TapWsFrame, TapWsVerdict } from '../facade-tap.js';
export { signPayload } from './signature.js';
