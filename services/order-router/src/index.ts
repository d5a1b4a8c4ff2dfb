export * from './order-router-service.js';
export * from './quote-diff.js';
export * from './client-order-ids.js';
export * from './router-metrics.js';
export * from './order-state/index.js';
export * from './retry-until-known.js';
export { FundingBooker, type FundingBookerDeps, type FundingBookerOptions } from './funding/funding-booker.js';
