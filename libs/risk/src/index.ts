export * from './risk-limits.js';
export * from './quote-set-check.js';
