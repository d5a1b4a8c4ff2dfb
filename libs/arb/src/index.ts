export * from './edge-math.js';
export * from './book-check.js';
export * from './opportunity-tracker.js';
export * from './arb-detector.js';
export * from './execution/arb-entry.js';
export * from './execution/hedge-rule.js';
export * from './execution/episode-summary.js';
