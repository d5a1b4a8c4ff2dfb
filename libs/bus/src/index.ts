export * from './bus.js';
export * from './subject-match.js';
export * from './json-codec.js';
export * from './in-process-bus.js';
export * from './nats-bus.js';
export * from './lease/lease-machine.js';
export * from './lease/lease-store.js';
export * from './lease/lease.js';
