import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    setupFiles: ['test/setup/prototype-guard.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
