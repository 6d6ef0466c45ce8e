import crypto from "node:crypto";
import path from "node:path";
import express, { type Express, type NextFunction, type Request, type Response } from "express";
import type { ServerBuild } from "@remix-run/node";
import type { DeniedRequest } from "../app/models/audit.server";
import { isAllowedOrigin } from "../app/auth/origin.server";
import { compressResponses, precompressedStatic } from "./compression";
import { limitRequestBodies, remixHandler } from "./request-body";
import type { Turns } from "./turns";

/**
 * A fresh CSP nonce (16 random bytes, base64) per response, cut from a block of random bytes drawn
 * 4 kB at a time: one system call per 256 pages instead of one per page.
 */
let randomBlock = Buffer.alloc(0);
let randomOffset = 0;
function nextNonce() {
  if (randomOffset + 16 > randomBlock.length) {
    randomBlock = crypto.randomBytes(4096);
    randomOffset = 0;
  }
  const nonce = randomBlock.toString("base64", randomOffset, randomOffset + 16);
  randomOffset += 16;
  return nonce;
}

export type AppOptions = {
  /** the Remix server build, or a function returning it (dev: Vite's current module graph) */
  build: ServerBuild | (() => Promise<ServerBuild>);
  appOrigin: string;
  secure: boolean;
  /** Vite's dev middleware in development; static files from build/client in production */
  viteMiddleware?: express.RequestHandler;
  production: boolean;
  /** TRUST_PROXY (app/config.server.ts): false unless proxies in front are named */
  trustProxy?: false | number | string[];
  /** the turns GET and HEAD requests wait for (READ_CONCURRENCY, server/turns.ts); none: no limit */
  readTurns?: Turns;
  /** the browser's files in production (`npm run build`'s build/client) */
  clientFolder?: string;
};

/**
 * The HTTP layer around Remix: security headers, body size limits, the Origin check for every
 * state-changing request, the client address for the audit log, static assets, and then Remix.
 */
export function createApp(options: AppOptions): Express {
  const app = express();
  app.disable("x-powered-by");
  // X-Forwarded-For is believed only from the proxies TRUST_PROXY names (or that many hops)
  app.set("trust proxy", options.trustProxy ?? false);

  app.use((req: Request, res: Response, next: NextFunction) => {
    // Remix sees the client's address through this header (a client-sent value is overwritten):
    // the peer's, or the one trusted proxies forwarded (Express's req.ip follows "trust proxy")
    req.headers["x-convene-client-ip"] = req.ip ?? req.socket.remoteAddress ?? "";
    const nonce = nextNonce();
    res.locals.cspNonce = nonce;
    res.setHeader("X-Content-Type-Options", "nosniff");
    // pages opened with a personal link (/take/<token>) never send their address anywhere, even to
    // our own origin; elsewhere our own pages may see where a visitor came from
    res.setHeader("Referrer-Policy", req.path === "/take" || req.path.startsWith("/take/") ? "no-referrer" : "same-origin");
    res.setHeader("X-Frame-Options", "DENY");
    res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
    res.setHeader("Permissions-Policy", "camera=(self), microphone=(), geolocation=(), payment=()");
    if (options.secure) res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    const scriptSrc = options.production
      ? `'self' 'nonce-${nonce}' 'strict-dynamic'`
      : `'self' 'nonce-${nonce}' 'unsafe-inline'`;
    res.setHeader(
      "Content-Security-Policy",
      [
        "default-src 'self'",
        `script-src ${scriptSrc}`,
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        options.production ? "connect-src 'self'" : "connect-src 'self' ws: wss:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
      ].join("; "),
    );
    next();
  });

  // before anything reads a body: a declared length over the limit is refused unread
  app.use(limitRequestBodies);

  app.use((req: Request, res: Response, next: NextFunction) => {
    // req.path: the path alone (no query string), exactly as requested
    if (isAllowedOrigin(req.method, req.headers.origin, options.appOrigin, req.path)) return next();
    res.status(403).type("text/plain").send("Forbidden: this request did not come from Convene's own pages.");
  });

  // Brotli or gzip, as the browser accepts: static files compressed at build time, the rest as it streams
  app.use(compressResponses());

  if (options.viteMiddleware) {
    app.use(options.viteMiddleware);
  } else {
    const client = path.resolve(options.clientFolder ?? "build/client");
    // named by their content's hash: never revalidated (no ETag, no Last-Modified) and never a
    // document (scripts and styles need none of a page's headers)
    app.use(
      "/assets",
      precompressedStatic(path.join(client, "assets"), { immutable: true, maxAge: "1y", etag: false, lastModified: false, acceptRanges: false, setHeaders: withoutDocumentHeaders }),
    );
    // the other static files (favicon …) have a file extension: pages go on without a look at the disk
    const files = precompressedStatic(client, { maxAge: "1h" });
    app.use((req: Request, res: Response, next: NextFunction) => (path.extname(req.path) ? files(req, res, next) : next()));
  }

  // A signed-in user refused by the app (403 from a route or a model): recorded in the audit log
  // once the answer has gone, whatever refused it (the Origin check above is not a user's refusal).
  app.use((req: Request, res: Response, next: NextFunction) => {
    res.on("finish", () => {
      if (res.statusCode !== 403) return;
      void auditDenial(options.build, {
        method: req.method,
        path: req.path,
        cookie: req.headers.cookie ?? null,
        ip: typeof req.headers["x-convene-client-ip"] === "string" ? req.headers["x-convene-client-ip"] : null,
      });
    });
    next();
  });

  app.all(
    "*",
    remixHandler({
      build: options.build,
      mode: options.production ? "production" : "development",
      getLoadContext: (_req, res) => ({ cspNonce: res.locals.cspNonce as string }),
      turns: options.readTurns,
    }),
  );
  return app;
}

/**
 * The headers that only a document reads (what it may run, frame, open or use), taken off a built
 * script or style: about 500 bytes of each of the 15–20 such files a first visit loads. A script
 * or style sent with its own type and `nosniff` is never run as a page, even opened on its own;
 * pictures (an SVG can hold a script) and every page, error pages included, keep them all.
 */
export const DOCUMENT_ONLY_HEADERS = ["Content-Security-Policy", "X-Frame-Options", "Cross-Origin-Opener-Policy", "Permissions-Policy"];

function withoutDocumentHeaders(res: Response, file: string) {
  if (!/\.(js|css)(\.br|\.gz)?$/.test(file)) return;
  for (const header of DOCUMENT_ONLY_HEADERS) res.removeHeader(header);
}

type EntryWithAudit = { recordPermissionDenial?: (request: DeniedRequest) => Promise<unknown> };

/** Through the build's entry module: the same app modules (and database connection) as the pages. */
async function auditDenial(build: AppOptions["build"], request: DeniedRequest) {
  try {
    const loaded = typeof build === "function" ? await build() : build;
    await (loaded.entry.module as EntryWithAudit).recordPermissionDenial?.(request);
  } catch (error) {
    console.error("audit: could not record a permission denial", error);
  }
}
