export * from './quoter-service.js';
