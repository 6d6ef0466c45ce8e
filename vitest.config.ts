import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";
import tsconfigPaths from "vite-tsconfig-paths";

export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    include: ["tests/unit/**/*.test.ts", "tests/integration/**/*.test.ts"],
    globalSetup: ["tests/setup/global-setup.ts"],
    setupFiles: ["tests/setup/per-file.ts"],
    pool: "forks",
    // two test files at a time even on two cores (Vitest's default is one fewer than the cores):
    // the files wait on SQLite, PostgreSQL, SMTP and child processes a good part of the time.
    // Two cores: `npm test` 454 → 306 s, `npm run test:postgres` 668 → 479 s (2026-12-07)
    maxWorkers: Math.max(2, availableParallelism() - 1),
    testTimeout: 20000,
    hookTimeout: 30000,
  },
});
