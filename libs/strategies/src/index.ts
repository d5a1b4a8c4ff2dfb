export * from './market-view.js';
export * from './fixed-spread.js';
