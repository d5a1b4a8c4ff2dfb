export * from './decimal.js';
export * as D from './decimal.js';
export * from './decimal-text.js';
export * from './symbol.js';
export * from './instrument.js';
export * from './snap.js';
export * from './subjects.js';
export * from './messages/index.js';
export * from './one-per-key.js';
