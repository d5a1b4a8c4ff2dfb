export * from './position.js';
export * from './position-ledger.js';
export * from './state-store.js';
export * from './state-errors.js';
export { MemoryStateStore, MemoryStateBackend } from './memory-state-store.js';
export { RedisStateStore, type RedisStateStoreOptions } from './redis-state-store.js';
export { RedisKeys } from './redis-keys.js';
export { KeyedSerialQueue } from './keyed-serial-queue.js';
export * from './state-rebuild.js';
