export * from './risk-limits.js';
export * from './rules/types.js';
export { beyondBps } from './rules/bps.js';
export * from './evaluate-quote-set.js';
export * from './quote-set-check.js';
export * from './daily-loss-tracker.js';
export * from './order-rate-window.js';
export * from './evaluate-order.js';
export * from './order-exposure-cache.js';
