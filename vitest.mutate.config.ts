import { defineConfig } from 'vitest/config';

// The tests Stryker runs against each mutant: the ones that exercise src/ directly. The CLI tests run the built
// bundle (dist/), which a mutant of src/ does not reach, so they would only cost time.
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/stats/**/*.test.ts', 'test/diff/**/*.test.ts', 'test/calibrate/**/*.test.ts', 'test/annotators/**/*.test.ts', 'test/simulate/**/*.test.ts'],
    // 200 seeded whole-pipeline simulations: minutes under instrumentation, and the tests above pin the same code.
    exclude: ['test/diff/aa-simulation.test.ts', '**/node_modules/**'],
    testTimeout: 60_000,
  },
});
