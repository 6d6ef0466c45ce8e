import { spawnSync } from "node:child_process";
import net from "node:net";
import { describe, expect, it } from "vitest";
import { configuredDatabase } from "../../db/client";
import { describePostgresUrl } from "../../db/postgres";

/**
 * DATABASE_URL chooses PostgreSQL; a malformed one or a server that does not answer stops the
 * commands (and the server, through the same `readyDb`) with one line naming the variable — no
 * stack, no hang, never the password. None of this needs a PostgreSQL server.
 */
function migrate(env: Record<string, string>) {
  const started = Date.now();
  const run = spawnSync(process.execPath, ["--import", "tsx", "db/cli/migrate.ts"], {
    env: { ...process.env, ...env },
    encoding: "utf8",
    timeout: 30_000,
  });
  return { status: run.status, stderr: run.stderr, stdout: run.stdout, ms: Date.now() - started };
}

/** A port on this machine where nothing listens. */
async function closedPort() {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("DATABASE_URL", () => {
  it("chooses the engine: PostgreSQL for postgres:// and postgresql://, SQLite without it", () => {
    expect(configuredDatabase({ DATABASE_URL: "postgres://convene:s3cret@db.internal:5432/convene" })).toEqual({
      engine: "postgres",
      location: "postgres://convene:s3cret@db.internal:5432/convene",
      description: "PostgreSQL, postgres://convene@db.internal:5432/convene",
    });
    expect(configuredDatabase({ DATABASE_URL: "postgresql://db.internal/convene" }).engine).toBe("postgres");
    expect(configuredDatabase({ DATABASE_PATH: "data/x.db" })).toEqual({ engine: "sqlite", location: "data/x.db", description: "SQLite, data/x.db" });
    expect(configuredDatabase({ DATABASE_URL: "", DATABASE_PATH: "data/x.db" }).engine).toBe("sqlite");
  });

  it("refuses a malformed URL with one line naming the variable, never the password", () => {
    for (const url of ["mysql://u:p@h/db", "postgres//convene", "postgres://u:pw@:5432/db", "postgres://u:pw@host:port/db", "postgres://u:pw@host:5432/", "not a url"]) {
      let message = "";
      try {
        configuredDatabase({ DATABASE_URL: url });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message, url).toMatch(/^DATABASE_URL /);
      expect(message).not.toContain("\n");
      expect(message).not.toContain("pw");
    }
    expect(describePostgresUrl("postgres://convene:pa%40ss@h:5433/db?sslmode=require")).toBe("postgres://convene@h:5433/db");
  });

  it("db:migrate stops at once with one line when no server answers (no stack, no password)", async () => {
    const port = await closedPort();
    const run = migrate({ DATABASE_URL: `postgres://convene:s3cret@127.0.0.1:${port}/convene` });
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe(
      `Convene cannot migrate: DATABASE_URL: cannot use PostgreSQL at postgres://convene@127.0.0.1:${port}/convene (connect ECONNREFUSED 127.0.0.1:${port})`,
    );
    expect(run.stderr).not.toContain("s3cret");
    expect(run.ms).toBeLessThan(20_000);
  });

  it("db:migrate refuses a malformed URL with one line", () => {
    const run = migrate({ DATABASE_URL: "postgres://convene:s3cret@127.0.0.1:notaport/convene" });
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe("Convene cannot migrate: DATABASE_URL is not a valid URL (expected postgres://user:password@host:5432/database)");
  });

  it("db:migrate names the engine it migrated (SQLite here)", () => {
    const file = `${process.env.CONVENE_TEST_TMP}/migrate-cli-${process.pid}.db`;
    const run = migrate({ DATABASE_URL: "", DATABASE_PATH: file });
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe(`Migrations applied (SQLite, ${file})`);
  });
});
