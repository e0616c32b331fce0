import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two files at a time even on two cores (vitest's default there is one): most CLI tests wait on child
    // processes, servers and retry timers, not the CPU. Measured: 560 s one at a time, 243 s two at a time.
    maxWorkers: 2,
  },
});
