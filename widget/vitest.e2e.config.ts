import { defineConfig } from 'vitest/config';

// The browser test: the real API and a hostile partner page on two origins, Debian's Chromium driven by playwright-core.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['e2e/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
