import { once } from "node:events";
import zlib from "node:zlib";
import { acceptedEncoding, type Encoding } from "./accept-encoding";

/** Below this size a body is left to the server's streaming compression (server/compression.ts). */
export const COMPRESS_IN_ONE_FROM = 64 * 1024;

/**
 * Brotli's quality for a large file. Quality 4 (the pages' level) was the slow part of a large
 * export: on the two five-year summaries of the benchmark (1.86 MB of CSV each), quality 4 took
 * 13 and 25 ms for 95.9 and 81.7 kB, quality 2 took 3.5 and 3.6 ms for 103.0 and 80.7 kB
 * (`zlib.brotliCompressSync`, 2-core EPYC). Pages stay at 4: 100 kB of HTML take 1 ms there.
 */
export const LARGE_BODY_BROTLI_QUALITY = 2;

/**
 * A large file made in one piece (a CSV export: two megabytes for a programme's five years),
 * compressed by the route from its parts, written whole into one compressor (Node's pool does the
 * work; a few 64 kB pieces come out), Brotli at LARGE_BODY_BROTLI_QUALITY, gzip at the server's
 * level 6. Same rules as the server's: not for a request another site caused
 * (`Sec-Fetch-Site` cross-site or same-site: the BREACH attack, see server/compression.ts), and as
 * the request accepts. Returns the body (the parts as they are when not compressed) and the
 * headers to send with it.
 */
export async function compressedBody(request: Request, parts: readonly Uint8Array[]): Promise<{ body: Uint8Array | readonly Uint8Array[]; headers: Record<string, string> }> {
  const vary = { Vary: "Accept-Encoding, Sec-Fetch-Site" };
  const size = parts.reduce((sum, part) => sum + part.byteLength, 0);
  const site = request.headers.get("sec-fetch-site");
  if (size < COMPRESS_IN_ONE_FROM || site === "cross-site" || site === "same-site") return { body: parts, headers: vary };
  const encoding: Encoding | null = acceptedEncoding(request.headers.get("accept-encoding") ?? undefined, ["br", "gzip"]);
  if (encoding === null) return { body: parts, headers: vary };
  // the parts go in as they are (a kept summary's two megabytes are not copied), the compressed
  // bytes come out in a few pieces
  const stream =
    encoding === "br"
      ? zlib.createBrotliCompress({ chunkSize: 64 * 1024, params: { [zlib.constants.BROTLI_PARAM_QUALITY]: LARGE_BODY_BROTLI_QUALITY, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: size } })
      : zlib.createGzip({ chunkSize: 64 * 1024, level: 6 });
  const out: Buffer[] = [];
  stream.on("data", (chunk: Buffer) => out.push(chunk));
  const ended = once(stream, "end");
  for (const part of parts) stream.write(part);
  stream.end();
  await ended;
  return { body: out.length === 1 ? out[0] : Buffer.concat(out), headers: { ...vary, "Content-Encoding": encoding } };
}
