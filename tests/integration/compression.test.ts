import fs from "node:fs";
import http, { type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import zlib from "node:zlib";
import type { ServerBuild } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb, firstRow } from "../../db/client";
import { DEMO_EVENTS, seedDemo } from "../../db/seed/demo";
import { users } from "../../db/schema";
import { acceptedEncoding, precompressBuild } from "../../server/compression";
import { createApp } from "../../server/app";
import * as entry from "~/entry.server";
import * as root from "~/root";
import * as eventsPage from "~/routes/events._index";
import * as eventsCsv from "~/routes/reports.events[.]csv";
import * as locales from "~/routes/locales.$lng";
import { eq } from "drizzle-orm";
import { setClock } from "~/lib/clock";
import { sessionCookie } from "../setup/helpers";
import { csvResponse, csvRows, toCsv } from "~/lib/csv";
import { COMPRESS_IN_ONE_FROM } from "~/lib/compressed-body.server";

/**
 * Responses travel compressed (server/compression.ts): Brotli or gzip as the request accepts,
 * identity otherwise, and the bytes always decode to the same content. Pages, data requests and
 * CSV files are compressed as they stream; static files were compressed at build time.
 */

const APP_URL = "http://localhost:3000";
let server: Server;
let base = "";
let cookie = "";
let clientFolder = "";
/** One gate per streamed answer: its second part waits until the test opens it. */
const gates: (() => void)[] = [];

/** A part of an answer that comes later: the first part must reach the browser before it. */
const STREAMED_FIRST = "<p>first part, sent at once</p>".repeat(60);
const streamingRoute = {
  loader: () =>
    new Response(
      new ReadableStream({
        async start(controller) {
          const gate = new Promise<void>((open) => gates.push(open));
          controller.enqueue(new TextEncoder().encode(STREAMED_FIRST));
          await gate;
          controller.enqueue(new TextEncoder().encode("<p>second part</p>"));
          controller.close();
        },
      }),
      { headers: { "Content-Type": "text/html; charset=utf-8" } },
    ),
};

/** A CSV file as large as a programme's five-year summary is: compressed by the route in one go, from its parts. */
const BIG_CSV_ROWS = Array.from({ length: 20_000 }, (_, i) => [`Organisation ${i}`, `Ministère de l'Intérieur ${i % 97}`, i * 7, i % 3 === 0 ? "=cmd" : "ok"]);
const bigCsvRoute = {
  loader: ({ request }: { request: Request }) =>
    csvResponse(request, "big.csv", [toCsv(["name", "agency", "count", "note"], BIG_CSV_ROWS.slice(0, 2)), new TextEncoder().encode(csvRows(BIG_CSV_ROWS.slice(2)))]),
};

function build(): ServerBuild {
  const route = (id: string, routePath: string, module: unknown, index = false) => ({ id, parentId: "root", path: routePath, index, module: module as never });
  return {
    mode: "production",
    entry: { module: entry as never },
    routes: {
      root: { id: "root", path: "", module: root as never },
      "routes/events._index": route("routes/events._index", "events", eventsPage),
      "routes/reports.events[.]csv": route("routes/reports.events[.]csv", "reports/events.csv", eventsCsv),
      "routes/streaming": route("routes/streaming", "streaming", streamingRoute),
      "routes/big[.]csv": route("routes/big[.]csv", "big.csv", bigCsvRoute),
      "routes/locales.$lng": route("routes/locales.$lng", "locales/:lng", locales),
    },
    // what the browser would load for each route (none here: the pages are read as HTML)
    assets: {
      entry: { imports: [], module: "" },
      routes: {
        root: { id: "root", path: "", module: "", hasLoader: true, hasAction: false, hasErrorBoundary: true },
        "routes/events._index": { id: "routes/events._index", parentId: "root", path: "events", module: "", hasLoader: true, hasAction: true },
      },
      url: "",
      version: "test",
    } as never,
    publicPath: "/",
    assetsBuildDirectory: "build/client",
    future: { v3_singleFetch: true } as never,
    isSpaMode: false,
  };
}

type Raw = { status: number; headers: IncomingMessage["headers"]; body: Buffer };

/** A GET as bytes on the wire (node:http does not decode them, unlike fetch). */
function get(urlPath: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    http
      .get(`${base}${urlPath}`, { headers: { cookie, ...headers } }, (res) => {
        const parts: Buffer[] = [];
        res.on("data", (part: Buffer) => parts.push(part));
        res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(parts) }));
        res.on("error", reject);
      })
      .on("error", reject);
  });
}

function decode(raw: Raw): string {
  const encoding = raw.headers["content-encoding"];
  if (encoding === "br") return zlib.brotliDecompressSync(raw.body).toString("utf8");
  if (encoding === "gzip") return zlib.gunzipSync(raw.body).toString("utf8");
  expect(encoding).toBeUndefined();
  return raw.body.toString("utf8");
}

/** The body, decoded, without the response's CSP nonce (it differs on every response; nothing else may). */
function content(raw: Raw): string {
  const nonce = /'nonce-([^']+)'/.exec(String(raw.headers["content-security-policy"]))![1];
  return decode(raw).replaceAll(nonce, "NONCE");
}

/** Each encoding, asked for the way browsers and clients ask. */
const ASKS = [
  { name: "Brotli", acceptEncoding: "gzip, deflate, br, zstd", expected: "br" },
  { name: "gzip", acceptEncoding: "gzip, deflate", expected: "gzip" },
  { name: "identity", acceptEncoding: "identity", expected: undefined },
] as const;

beforeAll(async () => {
  process.env.APP_URL = APP_URL;
  await seedDemo(getDb());
  // the CSV names the moment it was made: the same moment for every request
  const now = Date.now();
  setClock(() => now);
  const coordinator = firstRow(await getDb().select().from(users).where(eq(users.email, "coordinator@example.org")).limit(1))!;
  cookie = await sessionCookie(coordinator);

  // a client build of a script, a style and a picture, compressed as `npm run build` does
  clientFolder = fs.mkdtempSync(path.join(process.env.CONVENE_TEST_TMP ?? "tests/.tmp", "client-"));
  fs.mkdirSync(path.join(clientFolder, "assets"));
  const script = Array.from({ length: 400 }, (_, i) => `export const label${i} = "Registration ${i} — تسجيل";`).join("\n");
  fs.writeFileSync(path.join(clientFolder, "assets", "route-abc123.js"), script);
  fs.writeFileSync(path.join(clientFolder, "assets", "tailwind-def456.css"), ".card{padding:1rem}\n".repeat(300));
  fs.writeFileSync(path.join(clientFolder, "favicon.png"), Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]));
  precompressBuild(clientFolder);

  const app = createApp({ build: build(), appOrigin: APP_URL, secure: false, production: true, clientFolder });
  server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  setClock(null);
  for (const open of gates) open();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  fs.rmSync(clientFolder, { recursive: true, force: true });
});

describe("compressed responses", () => {
  it("a page: Brotli, gzip or identity as accepted, the same HTML once decoded", async () => {
    const pages: string[] = [];
    for (const ask of ASKS) {
      const raw = await get("/events", { "Accept-Encoding": ask.acceptEncoding });
      expect(raw.status).toBe(200);
      expect(raw.headers["content-type"]).toBe("text/html; charset=utf-8");
      expect(raw.headers["content-encoding"]).toBe(ask.expected);
      expect(raw.headers.vary).toMatch(/Accept-Encoding/);
      pages.push(content(raw));
    }
    expect(pages[0]).toContain(DEMO_EVENTS.essentials);
    expect(pages[1]).toBe(pages[0]);
    expect(pages[2]).toBe(pages[0]);
    // the HTML is several times larger than what travels
    const brotli = await get("/events", { "Accept-Encoding": "br" });
    expect(brotli.body.length * 3).toBeLessThan(Buffer.byteLength(pages[2]));
  });

  it("a loader's data (the .data request of a client-side navigation): the same data once decoded", async () => {
    const bodies: string[] = [];
    for (const ask of ASKS) {
      const raw = await get("/events.data", { "Accept-Encoding": ask.acceptEncoding });
      expect(raw.status).toBe(200);
      expect(raw.headers["content-encoding"]).toBe(ask.expected);
      bodies.push(content(raw));
    }
    expect(bodies[0]).toContain(DEMO_EVENTS.essentials);
    expect(bodies[1]).toBe(bodies[0]);
    expect(bodies[2]).toBe(bodies[0]);
  });

  it("a CSV report: the same file once decoded", async () => {
    const files: string[] = [];
    for (const ask of ASKS) {
      const raw = await get("/reports/events.csv?from=2020-01-01&to=2030-12-31", { "Accept-Encoding": ask.acceptEncoding });
      expect(raw.status).toBe(200);
      expect(raw.headers["content-type"]).toBe("text/csv; charset=utf-8");
      expect(raw.headers["content-encoding"]).toBe(ask.expected);
      files.push(decode(raw));
    }
    expect(files[0]).toContain(DEMO_EVENTS.essentials);
    expect(files[1]).toBe(files[0]);
    expect(files[2]).toBe(files[0]);
  });

  it("a large CSV file: compressed by the route from its parts, as the request accepts, the same file once decoded", async () => {
    const files: string[] = [];
    for (const ask of [...ASKS, { name: "Brotli refused", acceptEncoding: "br;q=0, gzip", expected: "gzip" }]) {
      const raw = await get("/big.csv", { "Accept-Encoding": ask.acceptEncoding });
      expect(raw.status).toBe(200);
      expect(raw.headers["content-type"]).toBe("text/csv; charset=utf-8");
      expect(raw.headers["content-encoding"]).toBe(ask.expected);
      expect(raw.headers.vary).toMatch(/Accept-Encoding/);
      expect(raw.headers.vary).toMatch(/Sec-Fetch-Site/);
      files.push(decode(raw));
      if (ask.expected) expect(raw.body.length * 4).toBeLessThan(Buffer.byteLength(files[0]));
    }
    expect(Buffer.byteLength(files[0])).toBeGreaterThan(COMPRESS_IN_ONE_FROM);
    // one header row, then every row once, in order (a string part and an encoded part, one file)
    const lines = files[0].split("\r\n");
    expect(lines).toHaveLength(1 + BIG_CSV_ROWS.length + 1);
    expect(lines[0]).toBe("\uFEFFname,agency,count,note");
    expect(lines[1]).toBe("Organisation 0,Ministère de l'Intérieur 0,0,'=cmd");
    expect(lines[BIG_CSV_ROWS.length]).toBe("Organisation 19999,Ministère de l'Intérieur 17,139993,ok");
    for (const file of files) expect(file).toBe(files[0]);
    // caused by another site: sent as it is (BREACH), as every answer the app compresses
    for (const site of ["cross-site", "same-site"]) {
      const raw = await get("/big.csv", { "Accept-Encoding": "br, gzip", "Sec-Fetch-Site": site });
      expect(raw.headers["content-encoding"]).toBeUndefined();
      expect(raw.body.toString("utf8")).toBe(files[0]);
    }
  });

  it("a static file: its copy compressed at build time, with the file's type and the immutable caching", async () => {
    const original = fs.readFileSync(path.join(clientFolder, "assets", "route-abc123.js"));
    for (const ask of ASKS) {
      const raw = await get("/assets/route-abc123.js", { "Accept-Encoding": ask.acceptEncoding });
      expect(raw.status).toBe(200);
      expect(raw.headers["content-type"]).toMatch(/^(text|application)\/javascript; charset=utf-8$/i);
      expect(raw.headers["content-encoding"]).toBe(ask.expected);
      expect(raw.headers.vary).toBe("Accept-Encoding");
      expect(raw.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
      expect(Number(raw.headers["content-length"])).toBe(raw.body.length);
      expect(decode(raw)).toBe(original.toString("utf8"));
      // named by its content's hash: nothing to revalidate, so no validators to send
      expect(raw.headers.etag).toBeUndefined();
      expect(raw.headers["last-modified"]).toBeUndefined();
    }
    // the file as sent is exactly the one written at build time
    const brotli = await get("/assets/route-abc123.js", { "Accept-Encoding": "br" });
    expect(brotli.body.equals(fs.readFileSync(path.join(clientFolder, "assets", "route-abc123.js.br")))).toBe(true);

    const css = await get("/assets/tailwind-def456.css", { "Accept-Encoding": "gzip" });
    expect(css.headers["content-type"]).toBe("text/css; charset=utf-8");
    expect(decode(css)).toBe(".card{padding:1rem}\n".repeat(300));
    // a picture is already compressed: no copies, sent as it is
    expect(fs.existsSync(path.join(clientFolder, "favicon.png.br"))).toBe(false);
    const png = await get("/favicon.png", { "Accept-Encoding": "br" });
    expect(png.headers["content-type"]).toBe("image/png");
    expect(png.headers["content-encoding"]).toBeUndefined();
    // the compressed copy is not an address of its own
    expect((await get("/assets/route-abc123.js.br.br")).status).toBe(404);
  });

  it("a built script or style goes without the headers only a document reads; pages, pictures and a missing file keep them", async () => {
    const documentOnly = ["content-security-policy", "x-frame-options", "cross-origin-opener-policy", "permissions-policy"];
    for (const file of ["/assets/route-abc123.js", "/assets/tailwind-def456.css"]) {
      for (const ask of ASKS) {
        const raw = await get(file, { "Accept-Encoding": ask.acceptEncoding });
        expect(raw.status).toBe(200);
        for (const header of documentOnly) expect(raw.headers[header], `${file} ${header}`).toBeUndefined();
        // what a script or a style does read stays
        expect(raw.headers["x-content-type-options"]).toBe("nosniff");
        expect(raw.headers["referrer-policy"]).toBe("same-origin");
      }
    }
    // a page, a file beside the build's (a picture: an SVG can hold a script), and an /assets/
    // address that is no file (answered by the app's error page) keep every header
    for (const [address, status] of [["/events", 200], ["/favicon.png", 200], ["/assets/missing-0000.js", 404], ["/assets/route-abc123.js.br.br", 404]] as const) {
      const raw = await get(address, { "Accept-Encoding": "br" });
      expect(raw.status, address).toBe(status);
      for (const header of documentOnly) expect(raw.headers[header], `${address} ${header}`).toBeTruthy();
      expect(raw.headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    }
  });

  it("a page's translations (its preload link) come compressed once at Brotli's highest quality", async () => {
    const page = decode(await get("/events", { "Accept-Encoding": "br", "Accept-Language": "ar" }));
    const link = /<link rel="preload" as="fetch"[^>]*href="([^"]+)"/.exec(page)![1].replaceAll("&amp;", "&");
    expect(link).toMatch(/^\/locales\/ar\?ns=[^&]*events[^&]*&v=[0-9a-f]{12}$/);
    const plain = await get(link, { "Accept-Encoding": "identity" });
    const br = await get(link, { "Accept-Encoding": "br" });
    expect(br.headers["content-encoding"]).toBe("br");
    expect(decode(br)).toBe(plain.body.toString("utf8"));
    const best = zlib.brotliCompressSync(plain.body, {
      params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: plain.body.length },
    });
    expect(br.body.equals(best)).toBe(true);
    // the same list in another order is no page's: compressed on the fly (quality 4), still the same texts
    const [head, query] = link.split("?ns=");
    const [list, version] = query.split("&");
    const reordered = await get(`${head}?ns=${list.split(",").reverse().join(",")}&${version}`, { "Accept-Encoding": "br" });
    expect(reordered.headers["content-encoding"]).toBe("br");
    expect(JSON.parse(decode(reordered))).toEqual(JSON.parse(plain.body.toString("utf8")));
    expect(reordered.body.length).toBeGreaterThan(br.body.length);
  });

  it("a streamed answer reaches the browser part by part: what is ready is not held back by compression", async () => {
    for (const encoding of ["br", "gzip"] as const) {
      const first = await new Promise<{ text: string; rest: Promise<string> }>((resolve, reject) => {
        http
          .get(`${base}/streaming`, { headers: { "Accept-Encoding": encoding } }, (res) => {
            if (res.headers["content-encoding"] !== encoding) reject(new Error(`sent as ${res.headers["content-encoding"]}`));
            const decoder = encoding === "br" ? zlib.createBrotliDecompress() : zlib.createGunzip();
            res.pipe(decoder);
            let text = "";
            let resolved = false;
            const rest = new Promise<string>((done) => decoder.on("end", () => done(text)));
            decoder.on("data", (part: Buffer) => {
              text += part.toString("utf8");
              if (!resolved && text.length >= STREAMED_FIRST.length) {
                resolved = true;
                resolve({ text, rest });
              }
            });
            decoder.on("error", reject);
          })
          .on("error", reject);
      });
      // the first part arrived and decoded while the loader still holds the second back
      expect(first.text).toBe(STREAMED_FIRST);
      expect(gates).toHaveLength(1);
      gates.shift()!();
      expect(await first.rest).toBe(STREAMED_FIRST + "<p>second part</p>");
    }
  });

  it("is not used for a request another site caused (BREACH: the size would tell what a page holds)", async () => {
    for (const site of ["cross-site", "same-site"]) {
      const raw = await get("/events?q=Bahamas", { "Accept-Encoding": "br, gzip", "Sec-Fetch-Site": site });
      expect(raw.status).toBe(200);
      expect(raw.headers["content-encoding"]).toBeUndefined();
      expect(raw.headers.vary).toMatch(/Sec-Fetch-Site/);
    }
    for (const site of ["same-origin", "none"]) {
      const raw = await get("/events?q=Bahamas", { "Accept-Encoding": "br, gzip", "Sec-Fetch-Site": site });
      expect(raw.headers["content-encoding"]).toBe("br");
    }
    // files the app makes (a roster or a report as CSV: personal data, and the filters of the
    // address) follow the same rule, though their address ends like a static file's
    const csv = await get("/reports/events.csv?from=2020-01-01&to=2030-12-31", { "Accept-Encoding": "br, gzip", "Sec-Fetch-Site": "cross-site" });
    expect(csv.status).toBe(200);
    expect(csv.headers["content-encoding"]).toBeUndefined();
    expect(csv.headers.vary).toMatch(/Sec-Fetch-Site/);
    // public static files carry nothing personal: compressed whoever asks
    const asset = await get("/assets/route-abc123.js", { "Accept-Encoding": "br", "Sec-Fetch-Site": "cross-site" });
    expect(asset.headers["content-encoding"]).toBe("br");
  });
});

describe("acceptedEncoding (Accept-Encoding negotiation)", () => {
  it("prefers Brotli, honours q=0 and *, and means identity when the header is absent", () => {
    const both = ["br", "gzip"] as const;
    expect(acceptedEncoding("gzip, deflate, br", [...both])).toBe("br");
    expect(acceptedEncoding("gzip", [...both])).toBe("gzip");
    expect(acceptedEncoding("br;q=0, gzip", [...both])).toBe("gzip");
    expect(acceptedEncoding("gzip;q=0.5, br;q=0.1", [...both])).toBe("gzip");
    expect(acceptedEncoding("*", [...both])).toBe("br");
    expect(acceptedEncoding("*;q=0, identity", [...both])).toBeNull();
    expect(acceptedEncoding("identity", [...both])).toBeNull();
    expect(acceptedEncoding(undefined, [...both])).toBeNull();
    expect(acceptedEncoding("br", ["gzip"])).toBeNull();
  });
});
