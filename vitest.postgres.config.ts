import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";
import tsconfigPaths from "vite-tsconfig-paths";

/**
 * `npm run test:postgres`: the integration suite and the PostgreSQL-only tests (tests/postgres)
 * against the server at TEST_DATABASE_URL, a database per test file (tests/setup/postgres.ts).
 * The same settings as vitest.config.ts otherwise.
 */
export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    include: ["tests/integration/**/*.test.ts", "tests/postgres/**/*.test.ts"],
    // SQLite's own machinery (its file, WAL, migrations folder, compiled statements, crashes
    // mid-write): their PostgreSQL counterparts are in tests/postgres
    exclude: ["tests/integration/**/*.sqlite.test.ts"],
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
