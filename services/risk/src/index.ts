export * from './risk-service.js';
