import { defineConfig } from 'vitest/config';

/**
 * End-to-end tests: Debian's Chromium against `scoring-desk serve` on a small demo base. Run with
 * `npm run test:e2e`, which builds the renderer first. One server for all files, so files run one after another.
 */
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.e2e.ts'],
    globalSetup: ['tests/e2e/support/globalSetup.ts'],
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 600_000,
  },
});
