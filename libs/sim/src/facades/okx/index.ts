export { startOkxFacade, OKX_DEMO_API_KEY, OKX_DEMO_API_SECRET, OKX_DEMO_PASSPHRASE, type OkxFacade, type OkxFacadeOptions } from './okx-facade.js';
export { okxBookChecksum } from './book-checksum.js';
export { okxSign } from './request-auth.js';
export type { PlacedOrderRecord } from './order-keeper.js';
