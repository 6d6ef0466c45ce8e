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
    testTimeout: 20000,
    hookTimeout: 30000,
  },
});
