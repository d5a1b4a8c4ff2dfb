export * from './avellaneda-stoikov-experiment.js';
export * from './paper-tables.js';
