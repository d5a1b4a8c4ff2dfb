export * from './edge-math.js';
export * from './book-check.js';
export * from './opportunity-tracker.js';
export * from './arb-detector.js';
