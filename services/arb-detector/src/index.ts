export * from './arb-detector-service.js';
export * from './arb-metrics.js';
export * from './opportunity-history.js';
export * from './redis-stream-history.js';
export * from './arb-executor.js';
export * from './arb-execution-metrics.js';
