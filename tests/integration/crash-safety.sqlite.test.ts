import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openSqlite } from "../../db/client";
import { bundleForNode } from "../setup/bundle";

/**
 * SQLite promises that a committed transaction survives the death of the process that made it
 * (WAL, synchronous=NORMAL: only an operating-system crash or power cut may lose the last ones).
 * This test holds Convene to that: a server that acknowledges a write only after its commit is
 * killed with SIGKILL in the middle of a burst of concurrent writes, 20 times; after every restart
 * the database must pass `PRAGMA integrity_check` and hold every write that was acknowledged.
 */
const ROUNDS = 20;
const BURST = 120;

const dir = process.env.CONVENE_TEST_TMP ?? path.resolve("tests/.tmp");
const databaseFile = path.join(dir, `crash-${crypto.randomUUID()}.db`);
fs.copyFileSync(path.join(dir, "template.db"), databaseFile);

let running: ChildProcess | null = null;

afterAll(() => {
  if (running && running.exitCode === null) running.kill("SIGKILL");
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(databaseFile + suffix, { force: true });
});

/** Start the server on the database file; resolves with its port once it listens. */
function startServer(script: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, DATABASE_PATH: databaseFile, NODE_ENV: "production" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running = child;
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    child.stdout!.on("data", (chunk) => {
      out += chunk;
      const match = /listening (\d+)/.exec(out);
      if (match) resolve({ child, port: Number(match[1]) });
    });
    child.stderr!.on("data", (chunk) => (err += chunk));
    child.on("exit", (code, signal) => reject(new Error(`server stopped before listening (${code ?? signal}): ${err}`)));
  });
}

function stopped(child: ChildProcess) {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
}

/**
 * Fire BURST writes at once and SIGKILL the server when `killAfter` of them have been
 * acknowledged, while the others are still queued, in flight or being committed. Returns the keys
 * of the acknowledged writes.
 */
async function burstAndKill(child: ChildProcess, port: number, round: number, killAfter: number) {
  const acknowledged: string[] = [];
  let killed = false;
  const kill = () => {
    if (!killed) {
      killed = true;
      child.kill("SIGKILL");
    }
  };
  await Promise.allSettled(
    Array.from({ length: BURST }, async (_, i) => {
      const key = `r${round}-w${i}`;
      const response = await fetch(`http://127.0.0.1:${port}/write?key=${key}`, { method: "POST" });
      await response.arrayBuffer();
      if (response.status === 200) {
        acknowledged.push(key);
        if (acknowledged.length >= killAfter) kill();
      }
    }),
  );
  kill(); // in case every write was acknowledged before the threshold
  await stopped(child);
  return acknowledged;
}

/** After a restart: the file is sound and every acknowledged write is there, person and audit entry. */
function checkDatabase(acknowledged: string[]) {
  const sqlite = openSqlite(databaseFile);
  try {
    expect(sqlite.pragma("integrity_check", { simple: true })).toBe("ok");
    expect(sqlite.pragma("foreign_key_check")).toEqual([]);
    const people = new Set(
      (sqlite.prepare("SELECT email FROM people WHERE email LIKE '%@crash.example'").all() as { email: string }[]).map((r) => r.email),
    );
    const audited = new Set(
      (
        sqlite
          .prepare("SELECT json_extract(details, '$.key') AS key FROM audit_log WHERE action = 'crash_test.write'")
          .all() as { key: string }[]
      ).map((r) => r.key),
    );
    const lost = acknowledged.filter((key) => !people.has(`${key}@crash.example`) || !audited.has(key));
    expect(lost).toEqual([]);
    // and nothing half-written: each person has its audit entry and the other way round
    expect(people.size).toBe(audited.size);
  } finally {
    sqlite.close();
  }
}

describe("crash safety", () => {
  it(`keeps every acknowledged write and a sound database through ${ROUNDS} SIGKILLs mid-burst`, async () => {
    const script = await bundleForNode("tests/setup/write-burst-server.ts", "write-burst-server");
    const acknowledged: string[] = [];
    const killedAt: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const { child, port } = await startServer(script);
      checkDatabase(acknowledged); // what the previous round's kill left behind, after a restart
      // kill somewhere in the first half of the burst, with dozens of writes still to come
      const killAfter = 5 + Math.floor(Math.random() * (BURST / 2 - 5));
      const acked = await burstAndKill(child, port, round, killAfter);
      killedAt.push(acked.length);
      acknowledged.push(...acked);
    }
    const { child } = await startServer(script);
    checkDatabase(acknowledged);
    child.kill("SIGKILL");
    await stopped(child);

    // the kills really did land mid-burst: writes had been acknowledged and others had not (a
    // SIGKILL takes a moment to arrive, so on a very busy machine a round may finish first)
    expect(killedAt.every((n) => n > 0)).toBe(true);
    expect(killedAt.filter((n) => n < BURST).length).toBeGreaterThanOrEqual(ROUNDS * 0.75);
  }, 90_000); // about 10 s on a developer machine; the budget is 60 s
});
