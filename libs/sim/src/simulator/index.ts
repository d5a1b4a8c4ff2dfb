export { startSimulator, type RunningSimulator, type StartSimulatorOptions } from './start-simulator.js';
export { FACADE_STARTERS, type RunningFacade } from './facade-registry.js';
export * from './sim-ready.js';
