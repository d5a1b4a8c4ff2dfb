export * from './level.js';
export * from './book-error.js';
export * from './sequence-guard.js';
export * from './l2-book.js';
