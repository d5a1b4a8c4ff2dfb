export * from './bus.js';
export * from './subject-match.js';
export * from './json-codec.js';
export * from './in-process-bus.js';
export * from './nats-bus.js';
