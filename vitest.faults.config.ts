import { defineConfig } from 'vitest/config';

// The fault-injection suite alone (`pnpm test:faults`, the short run; `pnpm test:faults:full`, the
// whole matrix, FAULTS=full): throw-away clusters and killed processes. `pnpm test` runs the short
// run too, in the integration project. Needs the services of scripts/services.sh up.
export default defineConfig({
  test: {
    name: 'faults',
    include: ['test/faults/**/*.fault.test.ts'],
    environment: 'node',
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 600_000,
    hookTimeout: 300_000,
    fileParallelism: false,
  },
});
