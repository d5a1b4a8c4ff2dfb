export * from './market-view.js';
export * from './fixed-spread.js';
export * from './model/pricing-model.js';
export * from './model/model-params.js';
export * from './models/fixed-spread-model.js';
