export { startSimulator, type RunningSimulator, type StartSimulatorOptions } from './start-simulator.js';
export { FACADE_STARTERS, type RunningFacade } from './facade-registry.js';
export * from './sim-ready.js';
export { DIALECT_SCHEMAS, DialectError, DialectsSpec, parseDialect, type DialectControl, type DialectInputs, type DialectVenue } from './dialects.js';
