export * from '../model/pricing-model.js';
export * from './hygiene-params.js';
export * from './quote-ladder.js';
export * from './resting-orders.js';
export * from './requote-policy.js';
export * from './volatility-pause.js';
export * from './strategy-instance.js';
export * from './strategy-params.js';
