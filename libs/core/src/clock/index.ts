export * from './clock.js';
export * from './wall-clock.js';
export * from './simulated-clock.js';
export * from './trace-time.js';
