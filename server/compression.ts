import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import compression from "compression";
import express, { type NextFunction, type Request, type RequestHandler, type Response } from "express";
import { acceptedEncoding, type Encoding } from "../app/lib/accept-encoding";

export { acceptedEncoding };

/*
 * Responses travel compressed, Brotli or gzip as the browser accepts (Accept-Encoding):
 *
 * - Static files (build/client: scripts, styles, icons) are compressed once, at build time
 *   (`precompressBuild`, run by `npm run build`), at the highest levels: FILE.br and FILE.gz lie
 *   beside FILE and are sent as they are, with FILE's type and caching.
 * - Pages, data requests and CSV files are compressed as they stream, at levels cheap enough for
 *   every request (Brotli quality 4, gzip level 6).
 */

/** The kinds of static file worth compressing (images and fonts already are). */
const COMPRESSIBLE = new Set([".js", ".mjs", ".css", ".svg", ".json", ".html", ".txt", ".map", ".xml", ".ico"]);

const SUFFIX: Record<Encoding, string> = { br: ".br", gzip: ".gz" };

/**
 * Write FILE.br and FILE.gz beside every compressible file of a folder (build/client). A file whose
 * compressed form would not be smaller gets none. Returns what was written, for the build's log.
 */
export function precompressBuild(folder: string): { files: number; bytes: number; brotliBytes: number; gzipBytes: number } {
  const totals = { files: 0, bytes: 0, brotliBytes: 0, gzipBytes: 0 };
  for (const file of filesUnder(folder)) {
    if (!COMPRESSIBLE.has(path.extname(file))) continue;
    const content = fs.readFileSync(file);
    const brotli = zlib.brotliCompressSync(content, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
        [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: content.length,
      },
    });
    const gzip = zlib.gzipSync(content, { level: zlib.constants.Z_BEST_COMPRESSION });
    for (const [encoding, compressed] of [["br", brotli], ["gzip", gzip]] as const) {
      const target = file + SUFFIX[encoding];
      if (compressed.length < content.length) fs.writeFileSync(target, compressed);
      else fs.rmSync(target, { force: true });
    }
    totals.files++;
    totals.bytes += content.length;
    totals.brotliBytes += Math.min(brotli.length, content.length);
    totals.gzipBytes += Math.min(gzip.length, content.length);
  }
  return totals;
}

/** Every file under a folder, but the compressed copies. */
function filesUnder(folder: string): string[] {
  return fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) return filesUnder(full);
    return entry.isFile() && !/\.(br|gz)$/.test(entry.name) ? [full] : [];
  });
}

/**
 * express.static for a build folder, sending FILE.br or FILE.gz (made by precompressBuild) when
 * the browser accepts it. The folder's list of compressed files is read once, at start-up (a build
 * never changes under a running server). The answer names FILE's type, the encoding, and
 * `Vary: Accept-Encoding` (caches keep one copy per encoding); its ETag is the compressed file's.
 */
export function precompressedStatic(folder: string, options: Parameters<typeof express.static>[1] = {}): RequestHandler {
  const serve = express.static(folder, options);
  const compressed = new Map<string, Encoding[]>();
  if (fs.existsSync(folder)) {
    for (const file of filesUnder(folder)) {
      const url = "/" + path.relative(folder, file).split(path.sep).join("/");
      const encodings = (["br", "gzip"] as const).filter((e) => fs.existsSync(file + SUFFIX[e]));
      if (encodings.length > 0) compressed.set(url, encodings);
    }
  }
  return (req: Request, res: Response, next: NextFunction) => {
    // a public file: nothing personal in it for a size to betray (see compressResponses) — only
    // while it is the file that answers: an address with an extension that is no file of the
    // folder (/events/1/roster.csv) goes on to the app as any page does
    res.locals.publicFile = true;
    const onwards = (error?: unknown) => {
      res.locals.publicFile = false;
      next(error);
    };
    const available = req.method === "GET" || req.method === "HEAD" ? compressed.get(req.path) : undefined;
    if (!available) return serve(req, res, onwards);
    res.vary("Accept-Encoding");
    const encoding = acceptedEncoding(req.headers["accept-encoding"], available);
    if (!encoding) return serve(req, res, next);
    const url = req.url;
    res.type(path.extname(req.path));
    res.setHeader("Content-Encoding", encoding);
    req.url = req.path + SUFFIX[encoding] + url.slice(req.path.length);
    serve(req, res, (error?: unknown) => {
      // the compressed copy went missing: whatever answers next answers for the original file
      req.url = url;
      res.removeHeader("Content-Encoding");
      res.removeHeader("Content-Type");
      onwards(error);
    });
  };
}

/**
 * Compression of what the app writes as it goes: pages (streamed), data requests, CSV files.
 *
 * A response to a request another site caused (`Sec-Fetch-Site: cross-site` or `same-site`: a link
 * or form on another site, a window it opened) is not compressed. A page can show what that site
 * put in the URL (a search) beside personal data; were it compressed, the size of the answer
 * would tell an eavesdropper whether the guess matched something on the page (the BREACH attack).
 * Requests from Convene's own pages and typed addresses carry `same-origin` or `none`.
 */
export function compressResponses(): RequestHandler {
  return compression({
    brotli: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } },
    level: 6,
    filter: (req, res) => {
      if (!compression.filter(req, res)) return false;
      if (res.locals.publicFile) return true;
      res.vary("Accept-Encoding");
      res.vary("Sec-Fetch-Site");
      const site = req.headers["sec-fetch-site"];
      return site !== "cross-site" && site !== "same-site";
    },
  });
}
