/**
 * `npm run build`, after `remix vite:build`: FILE.br and FILE.gz beside every script, style and
 * icon of build/client, for the server to send as they are (server/compression.ts).
 */
import path from "node:path";
import { precompressBuild } from "./compression";

const folder = path.resolve(process.argv[2] ?? "build/client");
const started = performance.now();
const { files, bytes, brotliBytes, gzipBytes } = precompressBuild(folder);
const kB = (n: number) => `${(n / 1024).toFixed(0)} kB`;
console.log(
  `Compressed ${files} files of ${path.relative(process.cwd(), folder)} (${kB(bytes)}): Brotli ${kB(brotliBytes)}, gzip ${kB(gzipBytes)} in ${((performance.now() - started) / 1000).toFixed(1)} s`,
);
