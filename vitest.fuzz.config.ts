import { defineConfig } from 'vitest/config';

/** Every parser's fuzz suite (`*.fuzz.test.ts`); `npm test` runs them too, at FUZZ_RUNS cases (default 10 000). */
export const FUZZ = '**/*.fuzz.test.ts';

/**
 * `npm run fuzz`: only the fuzz suites, at 1 000 000 cases each (FUZZ_RUNS, set by the script, overrides). Each
 * test sizes its own timeout from FUZZ_RUNS (fuzzTimeoutMs in @perpetua/testkit).
 */
export default defineConfig({
  test: {
    include: [`libs/*/test/${FUZZ}`, `services/*/test/${FUZZ}`, `cli/test/${FUZZ}`],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 24 * 3_600_000,
    hookTimeout: 60_000,
    reporters: ['default', './test/closing-line-reporter.ts'],
  },
});
