import { defineConfig } from 'vitest/config';
import { SOAKS } from './vitest.config.js';

/**
 * `npm run soak`: the long soaks `npm test` leaves out (cli/test/trading-soak:
 * five minutes of live trading on every venue; TRADING_SOAK_MS sets the length).
 * Each test names its own timeout.
 */
export default defineConfig({
  test: {
    include: [SOAKS],
    pool: 'forks',
    fileParallelism: false,
    hookTimeout: 60_000,
    reporters: ['default', './test/closing-line-reporter.ts'],
  },
});
