import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'data/**'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Suites each get a database of their own, so files run in parallel; two cores, two workers.
    maxWorkers: 2,
    // Under that load a page or a consumer can take seconds to catch up: expect.poll waits up to 15 s.
    expect: { poll: { timeout: 15_000 } },
  },
});
