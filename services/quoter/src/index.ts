export * from './quoter-service.js';
export * from './quoter-metrics.js';
