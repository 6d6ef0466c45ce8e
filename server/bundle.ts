/**
 * `npm run build`, after `remix vite:build`: the server's own modules (this folder and what they
 * import of app/ and db/) compiled into build/start/, which `npm start` runs with plain Node.
 *
 * Run through tsx, a server process also held tsx's module loader, its esbuild worker and the
 * source maps of everything it loaded: 330 MB resident at rest on the scale-10 data and 452 MB
 * after load, against 170 and 293 compiled (2026-12-07, docs/performance.md). `npm run dev` still
 * runs the sources through tsx.
 *
 * Packages stay imports of node_modules; the import of Remix's server build is pointed from
 * build/start/ to build/server/. Modules that only a server process loads (server/app.ts,
 * db/client.ts…) stay in their own chunks, so that the supervisor never loads them.
 */
import fs from "node:fs";
import path from "node:path";
import { build } from "esbuild";

const outdir = path.resolve(process.argv[2] ?? "build/start");
const started = performance.now();
// chunk names carry a hash: the last build's would otherwise stay beside the new ones
fs.rmSync(outdir, { recursive: true, force: true });
const result = await build({
  entryPoints: [path.resolve("server/index.ts")],
  outdir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  logLevel: "warning",
  metafile: true,
  plugins: [
    {
      name: "remix-server-build",
      setup(builder) {
        // server/index.ts imports "../build/server/index.js"; from build/start/ that is "../server/index.js"
        builder.onResolve({ filter: /^\.\.\/build\/server\/index\.js$/ }, () => ({ path: "../server/index.js", external: true }));
      },
    },
  ],
});
const bytes = Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
console.log(`Compiled the server into ${path.relative(process.cwd(), outdir)} (${(bytes / 1024).toFixed(0)} kB) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
