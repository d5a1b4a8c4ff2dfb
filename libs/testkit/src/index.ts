export * from './free-port.js';
export * from './server-process.js';
export * from './infra.js';
export * from './wait-until.js';
export * from './holds-for.js';
export * from './secret-scan.js';
export * from './fuzz.js';
