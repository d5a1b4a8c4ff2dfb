export * from './market-view.js';
export * from './fixed-spread.js';
export * from './runtime/index.js';
export * from './stats/pnl-ledger.js';
export * from './stats/strategy-stats.js';
