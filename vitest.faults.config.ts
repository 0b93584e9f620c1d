import { defineConfig } from 'vitest/config';

// The fault-injection suite alone (`pnpm test:faults`): throw-away clusters and killed processes.
// `pnpm test` runs it too, in the integration project. Needs the services of scripts/services.sh up.
export default defineConfig({
  test: {
    name: 'faults',
    include: ['test/faults/**/*.fault.test.ts'],
    environment: 'node',
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 600_000,
    hookTimeout: 240_000,
    fileParallelism: false,
  },
});
