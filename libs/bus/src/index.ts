export * from './bus.js';
export * from './subject-match.js';
export * from './in-process-bus.js';
