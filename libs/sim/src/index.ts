// Engine API contract (engine helper). Façades code against these types only.
export type * from './engine/types.js';
export { SimError } from './engine/sim-error.js';
export { DEFAULT_VENUES } from './engine/venue-defaults.js';
export { createSimWorld, DEFAULT_ASSETS, DEFAULT_VENUE_NAMES } from './world.js';
export type { SimWorldImpl } from './world.js';
export { Prng } from './price/prng.js';
export * from './facades/standx/index.js';
export * from './facades/binance/index.js';
export * from './simulator/index.js';
export * from './facades/grvt/index.js';
export * from './facades/bybit/index.js';
export * from './facades/okx/index.js';
export * from './faults/index.js';
