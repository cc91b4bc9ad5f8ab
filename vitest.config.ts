import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    // Two cores: real git and real Claude Code runs in parallel beyond this only thrash.
    pool: 'forks',
    maxWorkers: 2,
    // A backstop for hangs only, generous because two cores are shared: under load a test that starts a few
    // dozen git and node processes can take a minute. Waits inside tests have their own, shorter limits that
    // say what they waited for.
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
