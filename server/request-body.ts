import { Transform, type TransformCallback } from "node:stream";
import type { NextFunction, Request, Response } from "express";
import { createReadableStreamFromReadable, createRequestHandler, type ServerBuild } from "@remix-run/node";
import { REQUEST_TOO_LARGE } from "../app/lib/form-data.server";
import { isApiPath, megabytes, requestLimitFor, type RequestLimit } from "../app/lib/request-limits";
import { busyPage, plainPageLocale, tooLargePage } from "./plain-pages";
import type { Turns } from "./turns";

/*
 * Request bodies are limited while they stream in, before anything is buffered: ordinary forms to
 * 1 MB, the two upload pages to their file's limit plus 1 MB (app/lib/request-limits.ts).
 *
 * - A Content-Length over the limit is refused with 413 at once, without reading the body.
 * - A body without one (chunked) is counted as Remix reads it; past the limit the count stops the
 *   stream and the answer is 413. Browsers always send Content-Length for forms, but a proxy that
 *   turns HTTP/2 into HTTP/1.1 or a mail provider's one-click unsubscribe may not, so chunked
 *   bodies are counted rather than refused with 411.
 *
 * @remix-run/express reads `req` itself, so there is nowhere to put the count between the socket
 * and Remix; this file is that adapter instead (Remix's own recipe, from the public API of
 * @remix-run/node), with the Request's body being the counted stream.
 */

/**
 * 413 with a page in plain words, then the connection closes (Node closes it once the answer is
 * out): the rest of the body is never read. A client still sending at that moment may see the
 * connection reset instead of the page; a proxy in front (nginx's lingering close) avoids that.
 */
export async function sendTooLarge(req: Request, res: Response, limit: RequestLimit, api = false) {
  if (api) {
    // the API's clients are scripts: RFC 9457 problem details, as for every other API error
    res.status(413);
    res.set({ "Content-Type": "application/problem+json", "Cache-Control": "no-store", Connection: "close" });
    res.send(JSON.stringify({ type: "https://convene.example/problems/too-large", title: "The request is too large", status: 413, detail: `A request to the API may send at most ${megabytes(limit.bytes)}.` }));
    return;
  }
  const lng = await plainPageLocale(req);
  if (res.headersSent) return;
  res.status(413);
  res.set({ "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store", Connection: "close", "Content-Language": lng });
  res.send(tooLargePage(lng, { form: megabytes(limit.bytes), file: limit.fileBytes === null ? null : megabytes(limit.fileBytes) }));
}

/**
 * 503 when too many reads already wait their turn (server/turns.ts): the server is overwhelmed, the
 * client may try again in a few seconds. Nothing was read or changed.
 */
export async function sendBusy(req: Request, res: Response, api = false) {
  res.status(503);
  res.set({ "Retry-After": "5", "Cache-Control": "no-store" });
  if (api) {
    res.type("application/problem+json");
    res.send(JSON.stringify({ type: "https://convene.example/problems/busy", title: "The server is busy", status: 503, detail: "Too many requests are waiting. Try again in a few seconds." }));
    return;
  }
  const lng = await plainPageLocale(req);
  res.type("text/html; charset=utf-8");
  res.set("Content-Language", lng);
  res.send(busyPage(lng));
}

/** The limit of this request's address, kept for the Remix handler; a declared length over it is refused. */
export function limitRequestBodies(req: Request, res: Response, next: NextFunction) {
  const limit = requestLimitFor(req.path);
  res.locals.requestLimit = limit;
  const declared = req.headers["content-length"];
  if (declared !== undefined && Number(declared) > limit.bytes) return void sendTooLarge(req, res, limit, isApiPath(req.path)).catch(next);
  next();
}

class TooLarge extends Error {
  name = REQUEST_TOO_LARGE;
}

/** Passes bytes on until there have been more than `limit`, then fails the stream. */
class ByteCounter extends Transform {
  private seen = 0;
  constructor(private readonly limit: number) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
    this.seen += chunk.byteLength;
    if (this.seen > this.limit) return callback(new TooLarge(`request body over ${this.limit} bytes`));
    callback(null, chunk);
  }
}

type LoadContext = Record<string, unknown>;

/** Remix behind Express, with counted bodies; otherwise what @remix-run/express does. */
export function remixHandler(options: {
  build: ServerBuild | (() => Promise<ServerBuild>);
  mode: string;
  getLoadContext: (req: Request, res: Response) => LoadContext;
  /** GET and HEAD requests wait for one of these turns (server/turns.ts); none: all start at once */
  turns?: Turns;
}) {
  const handleRequest = createRequestHandler(options.build, options.mode);
  return async (req: Request, res: Response, next: NextFunction) => {
    let tooLarge = false;
    let release: (() => void) | undefined;
    try {
      const controller = new AbortController();
      // abort the loaders and actions once no answer can be written (the client went away)
      res.on("close", () => {
        if (!res.writableFinished) controller.abort();
      });
      // the health check answers however many pages wait (a busy server is not a dead one)
      if (options.turns && (req.method === "GET" || req.method === "HEAD") && req.path !== "/healthz") {
        const turn = await options.turns.take(controller.signal);
        if (turn === "gone") return;
        if (turn === "busy") return await sendBusy(req, res, isApiPath(req.path));
        release = turn;
      }
      const init: RequestInit & { duplex?: "half" } = { method: req.method, headers: headersOf(req), signal: controller.signal };
      if (req.method !== "GET" && req.method !== "HEAD") {
        const limit = (res.locals.requestLimit as RequestLimit | undefined) ?? requestLimitFor(req.path);
        const counted = new ByteCounter(limit.bytes);
        counted.on("error", () => {
          // stop reading at once: answer, close the connection, and let the action end quietly
          tooLarge = true;
          req.unpipe(counted);
          req.pause();
          if (!res.headersSent) void sendTooLarge(req, res, limit, isApiPath(req.path)).catch(next);
          controller.abort();
        });
        req.pipe(counted);
        init.body = createReadableStreamFromReadable(counted);
        init.duplex = "half";
      }
      const request = new Request(urlOf(req), init);
      const handle = () => handleRequest(request, options.getLoadContext(req, res));
      const response = req.method === "GET" || req.method === "HEAD" ? await inPageView(options.build, handle) : await handle();
      if (tooLarge || res.headersSent) {
        await response.body?.cancel();
        return;
      }
      // an answer given before the body was read (a redirect to the login page, a 404): the
      // rest of the body is not waited for, the connection closes instead
      if (!req.complete) res.setHeader("Connection", "close");
      res.statusMessage = response.statusText;
      res.status(response.status);
      for (const [key, value] of response.headers.entries()) res.append(key, value);
      if (response.body) await writeBody(response.body, res);
      else res.end();
    } catch (error) {
      // the 413 has gone; what Remix made of the aborted request is of no interest
      if (tooLarge) return;
      next(error);
    } finally {
      release?.();
    }
  };
}

type EntryWithPageView = { inPageView?: <T>(run: () => Promise<T>) => Promise<T> };

/** A read runs as one page view of the build's own modules (app/lib/page-view.server.ts). */
async function inPageView<T>(build: ServerBuild | (() => Promise<ServerBuild>), run: () => Promise<T>): Promise<T> {
  const loaded = typeof build === "function" ? await build() : build;
  const scope = (loaded.entry.module as EntryWithPageView).inPageView;
  return scope ? scope(run) : run();
}

/**
 * The body of Remix's answer, written to the socket as it comes. The compression stream is flushed
 * once what is ready has been written (at the next turn of the event loop), not after every piece:
 * React hands a page over in pieces of 2 kB, and compressing each on its own would cost both size
 * and time. A part of a page that comes later (deferred data) is still sent at once.
 */
async function writeBody(body: ReadableStream<Uint8Array>, res: Response) {
  const reader = body.getReader();
  const flushable = res as Response & { flush?: () => void };
  let pending: NodeJS.Immediate | null = null;
  const flush = () => {
    pending = null;
    flushable.flush?.();
  };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      res.write(value);
      pending ??= setImmediate(flush);
    }
    if (pending) clearImmediate(pending);
    res.end();
  } catch (error) {
    if (pending) clearImmediate(pending);
    res.destroy(error as Error);
    throw error;
  }
}

function headersOf(req: Request) {
  const headers = new Headers();
  for (const [key, values] of Object.entries(req.headers)) {
    if (values === undefined) continue;
    if (Array.isArray(values)) for (const value of values) headers.append(key, value);
    else headers.set(key, values);
  }
  return headers;
}

/** As @remix-run/express builds it: the host and protocol follow Express's "trust proxy" setting. */
function urlOf(req: Request) {
  const port = (host: string | undefined) => Number.parseInt(host?.split(":")[1] ?? "", 10);
  const forwardedPort = port(req.get("X-Forwarded-Host"));
  const hostPort = port(req.get("host"));
  const resolvedPort = Number.isSafeInteger(forwardedPort) ? forwardedPort : Number.isSafeInteger(hostPort) ? hostPort : null;
  return new URL(`${req.protocol}://${req.hostname}${resolvedPort ? `:${resolvedPort}` : ""}${req.originalUrl}`).href;
}
