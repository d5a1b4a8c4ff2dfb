export * from './arb-detector-service.js';
export * from './arb-metrics.js';
export * from './opportunity-history.js';
export * from './redis-stream-history.js';
