import { defineConfig } from "@playwright/test";

/**
 * Browser tests against the production build (`npm run test:e2e` builds first), in Debian's
 * Chromium (CHROMIUM_PATH, default /usr/bin/chromium). The server gets a fresh demo database.
 */
const PORT = Number(process.env.E2E_PORT ?? 3210);
const DB = "data/e2e.db";

export default defineConfig({
  testDir: "tests/e2e",
  outputDir: "test-results",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 30_000,
  reporter: [["list"]],
  use: {
    baseURL: `http://localhost:${PORT}`,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
    screenshot: "only-on-failure",
    trace: "off",
  },
  webServer: {
    command: `rm -f ${DB} ${DB}-wal ${DB}-shm && DATABASE_PATH=${DB} npx tsx db/seed/demo-cli.ts && DATABASE_PATH=${DB} PORT=${PORT} RATE_LIMIT_PER_MINUTE=1000 NODE_ENV=production node build/start/index.js`,
    url: `http://localhost:${PORT}/healthz`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "pipe",
  },
});
