import { defineConfig, mergeConfig } from "vitest/config";
import base from "./vitest.config";

/**
 * `npm run test:postgres`: the integration suite and the PostgreSQL-only tests (tests/postgres)
 * against the server at TEST_DATABASE_URL, a database per test file (tests/setup/postgres.ts).
 */
export default mergeConfig(base, defineConfig({ test: { include: ["tests/integration/**/*.test.ts", "tests/postgres/**/*.test.ts"] } }), true);
