import fs from "node:fs";

/** The server processes serving this database file (pid and CONVENE_WORKER index), from /proc. */
export function serverProcesses(databasePath: string) {
  return fs
    .readdirSync("/proc")
    .filter((p) => /^\d+$/.test(p))
    .flatMap((p) => {
      try {
        const env = fs.readFileSync(`/proc/${p}/environ`, "utf8").split("\0");
        if (!env.includes(`DATABASE_PATH=${databasePath}`)) return [];
        const worker = env.find((e) => e.startsWith("CONVENE_WORKER="));
        return worker ? [{ pid: Number(p), index: Number(worker.split("=")[1]) }] : [];
      } catch {
        return [];
      }
    });
}
