import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['libs/*/test/**/*.test.ts', 'services/*/test/**/*.test.ts', 'cli/test/**/*.test.ts', 'test/**/*.test.ts', 'bench/**/*.test.ts'],
    pool: 'forks',
    // One file at a time: many files run several real processes (NATS, Redis, the simulator, services) and assert
    // latencies (a resync within 2 s, a kill switch within 1 s) that two such files at once on 2 cores would starve.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default', './test/closing-line-reporter.ts'],
  },
});
