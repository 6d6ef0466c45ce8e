import { createRequire } from "node:module";
import path from "node:path";

/**
 * esbuild is not one of our declared dependencies: a bare `import "esbuild"` would get whichever
 * copy npm happened to hoist (today @remix-run/dev's 0.17). Take the one our pinned vite
 * (devDependencies) declares instead — resolved from vite's own folder, so the version follows
 * vite's package.json ("esbuild": "^0.25.0"), the same compiler that builds the app.
 */
const { build } = createRequire(createRequire(import.meta.url).resolve("vite/package.json"))("esbuild") as typeof import("esbuild");

/**
 * Compile a TypeScript entry (with the app's `~/`, `@db/`, `@emails/` aliases) into one plain
 * JavaScript file that node starts in a fraction of the time tsx needs. For the child processes
 * and worker threads a test starts many times (a server restarted 20 times, 50 writer threads):
 * worker threads cannot load TypeScript at all, and 50 tsx start-ups would take minutes.
 * Native modules stay external and load from node_modules, so the file is written inside the
 * project (the run's temporary folder).
 */
export async function bundleForNode(entry: string, name: string): Promise<string> {
  const dir = process.env.CONVENE_TEST_TMP ?? path.resolve("tests/.tmp");
  const outfile = path.join(dir, "bundles", `${name}-${process.pid}.mjs`);
  await build({
    entryPoints: [path.resolve(entry)],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    external: ["better-sqlite3", "@node-rs/argon2"],
    // bundled CommonJS packages call require(): give the ES module one
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    logLevel: "error",
  });
  return outfile;
}
