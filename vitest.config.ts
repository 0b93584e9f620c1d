import { defineConfig } from 'vitest/config';

// Two projects: `unit` (pure code, in-memory fakes allowed, no network) and `integration`
// (real Kafka, Schema Registry and Redis; see test/global-setup.ts).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            'packages/*/src/**/*.test.ts',
            'packages/*/test/**/*.test.ts',
            'services/*/src/**/*.test.ts',
            'test/unit/**/*.test.ts',
          ],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          // The fault suite's cases are short enough to run here too (its own: pnpm test:faults).
          include: ['test/integration/**/*.int.test.ts', 'test/faults/**/*.fault.test.ts'],
          environment: 'node',
          globalSetup: ['test/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
