export * from './order-router-service.js';
export * from './quote-diff.js';
export * from './client-order-ids.js';
export * from './router-metrics.js';
