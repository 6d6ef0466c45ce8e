/**
 * Two builds of Convene on one page, in one process, their requests alternating: the cost of a
 * change too small for `npm run bench` to tell from this machine's own drift (±20% between runs).
 *
 *   npx tsx bench/compare-builds.ts OTHER_DIR PATH [requests] [user]
 *
 * OTHER_DIR holds the other build (a `git worktree` of the commit to compare with, `npm run build`
 * run there); this checkout's build is the new one. Both answer PATH through Remix's handler (no
 * HTTP, no compression), each inside its page view as the server runs it, on the database of
 * DATABASE_PATH (default data/bench-10.db) as `user` (coordinator, participant or donor; signed in
 * once through this build's server). Prints each build's milliseconds a request and the ratio.
 */
import path from "node:path";
import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import { login, startServer, startUpRoundsDone, stopServer, USERS } from "./common";
import type { BenchUser } from "./targets";

const [otherDir, pagePath, count = "400", user = "coordinator"] = process.argv.slice(2);
if (!otherDir || !pagePath?.startsWith("/")) {
  console.error("usage: npx tsx bench/compare-builds.ts OTHER_DIR PATH [requests] [user]");
  process.exit(2);
}
const database = process.env.DATABASE_PATH ?? "data/bench-10.db";
process.env.DATABASE_PATH = database;
process.env.CONVENE_WORKER = "0";
(process.env as Record<string, string>).NODE_ENV = "production";

const server = await startServer("app", database);
await startUpRoundsDone(server);
const cookie = await login(server.base, USERS[user as BenchUser]);
await stopServer(server);

type Entry = { inPageView?: <T>(run: () => Promise<T>) => Promise<T> };
const builds = [path.resolve(otherDir, "build/server/index.js"), path.resolve("build/server/index.js")];
const loaded = (await Promise.all(builds.map((file) => import(file)))) as ServerBuild[];
const handlers = loaded.map((build) => {
  const handle = createRequestHandler(build, "production");
  const view = (build.entry.module as Entry).inPageView;
  return (request: Request) => (view ? view(() => handle(request)) : handle(request));
});
const request = () => new Request(`http://localhost${pagePath}`, { headers: { Cookie: cookie, "Sec-Fetch-Site": "same-origin" } });

const n = Number(count);
const spent = [0, 0];
const bytes = [0, 0];
for (let i = 0; i < n + 30; i++) {
  for (const k of i % 2 ? [0, 1] : [1, 0]) {
    const started = performance.now();
    const response = await handlers[k](request());
    const body = await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`${builds[k]}: ${pagePath} answered ${response.status}`);
    if (i >= 30) spent[k] += performance.now() - started; // the first 30 warm up
    bytes[k] = body.byteLength;
  }
}
const ms = spent.map((total) => (total / n).toFixed(2));
console.log(`${pagePath} as ${user}, ${n} requests each: other ${ms[0]} ms (${bytes[0]} bytes), this ${ms[1]} ms (${bytes[1]} bytes), this/other ${(spent[1] / spent[0]).toFixed(3)}`);
process.exit(0);
