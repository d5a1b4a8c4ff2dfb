import { configDefaults, defineConfig } from 'vitest/config';

/** Long soak tests, each minutes long: not part of `npm test`. */
export const SOAKS = '**/*-soak.test.ts';

export default defineConfig({
  test: {
    include: ['libs/*/test/**/*.test.ts', 'services/*/test/**/*.test.ts', 'cli/test/**/*.test.ts', 'test/**/*.test.ts', 'bench/**/*.test.ts'],
    // Soaks (`*-soak.test.ts`, minutes of trading) keep `npm test` fast: they run with `npm run soak` (vitest.soak.config.ts).
    exclude: [...configDefaults.exclude, SOAKS],
    pool: 'forks',
    // One file at a time: many files run several real processes (NATS, Redis, the simulator, services) and assert
    // latencies (a resync within 2 s, a kill switch within 1 s) that two such files at once on 2 cores would starve.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default', './test/closing-line-reporter.ts'],
  },
});
