export * from './order-state.js';
export * from './order-transitions.js';
export * from './owned-orders.js';
export * from './venue-status.js';
