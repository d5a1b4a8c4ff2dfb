export * from './recorded-message.js';
export * from './recording-writer.js';
export * from './recording-reader.js';
export * from './market-data-recorder.js';
export * from './recording-line.js';
