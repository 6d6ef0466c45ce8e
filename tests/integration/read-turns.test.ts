import http, { type IncomingMessage } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Turns } from "../../server/turns";
import { localeCookie } from "~/lib/locale-cookie.server";
import { startRouteServer } from "../setup/route-server";

/**
 * Reads take turns through the whole server (server/turns.ts, READ_CONCURRENCY): at most two GETs
 * are worked on at once, the next ones start in the order they came, writes and the health check
 * never wait, a request whose client left is never worked on, a slow reader holds no turn, and a
 * queue too long is answered 503.
 */

let base = "";
let close: () => Promise<void>;
let turns: Turns;

/** Which reads the app started, in order, and the gates that hold each one until the test opens it. */
let started: string[] = [];
let gates = new Map<string, () => void>();
let writes = 0;

const heldRoute = {
  loader: async ({ request }: { request: Request }) => {
    const name = new URL(request.url).searchParams.get("name") ?? "";
    started.push(name);
    await new Promise<void>((open) => gates.set(name, open));
    return new Response(`read ${name}`, { headers: { "Content-Type": "text/plain; charset=utf-8" } });
  },
  action: () => {
    writes++;
    return new Response("written", { headers: { "Content-Type": "text/plain; charset=utf-8" } });
  },
};
/** An answer of 8 MB that no compression shrinks: more than the connection holds while its client does not read. */
const BIG = Buffer.alloc(8 * 1024 * 1024);
for (let i = 0; i < BIG.length; i++) BIG[i] = (i * 2654435761) >>> 24;
const bigRoute = { loader: () => new Response(BIG, { headers: { "Content-Type": "application/octet-stream" } }) };
const healthRoute = { loader: () => new Response("ok", { headers: { "Content-Type": "text/plain" } }) };

type Answer = { status: number; headers: IncomingMessage["headers"]; body: string };

/** A request and its answer; `sent` is the request itself (to abandon it). */
function send(method: string, urlPath: string, headers: Record<string, string> = {}) {
  let sent!: http.ClientRequest;
  const answer = new Promise<Answer>((resolve, reject) => {
    sent = http.request(`${base}${urlPath}`, { method, headers: { "Accept-Encoding": "identity", ...headers } }, (res) => {
      const parts: Buffer[] = [];
      res.on("data", (part: Buffer) => parts.push(part));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(parts).toString("utf8") }));
      res.on("error", reject);
    });
    sent.on("error", reject);
    sent.end();
  });
  return { sent, answer };
}
const get = (urlPath: string) => send("GET", urlPath).answer;
const open = (name: string) => gates.get(name)!();

/** The app's two turns taken by two held reads, A and B. */
async function holdBothTurns() {
  const a = get("/held?name=A");
  await expect.poll(() => started).toEqual(["A"]);
  const b = get("/held?name=B");
  await expect.poll(() => started).toEqual(["A", "B"]);
  return { a, b };
}

beforeAll(async () => {
  turns = new Turns(2, 3);
  ({ base, close } = await startRouteServer({ held: heldRoute, "api/v1/held": heldRoute, big: bigRoute, healthz: healthRoute }, { readTurns: turns }));
});

beforeEach(() => {
  started = [];
  gates = new Map();
  writes = 0;
});

afterAll(async () => {
  for (const gate of gates.values()) gate();
  await close();
});

describe("reads take turns", () => {
  it("works on two reads at once; the third starts when one of them is done, the next ones in the order they came", async () => {
    const { a, b } = await holdBothTurns();
    const c = get("/held?name=C");
    const d = get("/held?name=D");
    await expect.poll(() => turns.counts).toEqual({ active: 2, waiting: 2 });
    expect(started).toEqual(["A", "B"]);

    open("B");
    expect((await b).body).toBe("read B");
    await expect.poll(() => started).toEqual(["A", "B", "C"]);
    open("A");
    await expect.poll(() => started).toEqual(["A", "B", "C", "D"]);
    open("C");
    open("D");
    expect((await Promise.all([a, c, d])).map((answer) => [answer.status, answer.body])).toEqual([
      [200, "read A"],
      [200, "read C"],
      [200, "read D"],
    ]);
    expect(turns.counts).toEqual({ active: 0, waiting: 0 });
  });

  it("a write and the health check do not wait for the reads", async () => {
    const { a, b } = await holdBothTurns();
    const written = await send("POST", "/held?name=W", { Origin: base, "Content-Type": "application/x-www-form-urlencoded" }).answer;
    expect([written.status, written.body]).toEqual([200, "written"]);
    expect(writes).toBe(1);
    const health = await get("/healthz");
    expect([health.status, health.body]).toEqual([200, "ok"]);
    expect(turns.counts).toEqual({ active: 2, waiting: 0 });
    open("A");
    open("B");
    await Promise.all([a, b]);
  });

  it("a read whose client left while it waited is never worked on", async () => {
    const { a, b } = await holdBothTurns();
    const leaving = send("GET", "/held?name=LEFT");
    leaving.answer.catch(() => undefined);
    await expect.poll(() => turns.counts.waiting).toBe(1);
    leaving.sent.destroy();
    await expect.poll(() => turns.counts.waiting).toBe(0);

    open("A");
    open("B");
    await Promise.all([a, b]);
    const after = get("/held?name=AFTER");
    await expect.poll(() => started).toEqual(["A", "B", "AFTER"]);
    open("AFTER");
    expect((await after).body).toBe("read AFTER");
    expect(started).not.toContain("LEFT");
    expect(turns.counts).toEqual({ active: 0, waiting: 0 });
  });

  it("a client that does not read its answer holds no turn", async () => {
    const slowReaders: http.ClientRequest[] = [];
    for (let i = 0; i < 2; i++) {
      const request = http.get(`${base}/big`, { headers: { "Accept-Encoding": "identity" } }, (res) => res.pause());
      request.on("error", () => undefined);
      slowReaders.push(request);
    }
    // both answers are written to their connections (most of them still waiting there): the turns are free
    await expect.poll(() => turns.counts).toEqual({ active: 0, waiting: 0 });
    const read = get("/held?name=NEXT");
    await expect.poll(() => started).toEqual(["NEXT"]);
    open("NEXT");
    expect((await read).body).toBe("read NEXT");
    for (const request of slowReaders) request.destroy();
  });

  it("past the longest queue a read is answered 503 at once, a page in HTML and the API in problem details; nothing is worked on", async () => {
    const { a, b } = await holdBothTurns();
    const queued = ["Q1", "Q2", "Q3"].map((name) => get(`/held?name=${name}`));
    await expect.poll(() => turns.counts).toEqual({ active: 2, waiting: 3 });

    const page = await get("/held?name=OVER");
    expect(page.status).toBe(503);
    expect(page.headers["retry-after"]).toBe("5");
    expect(page.headers["content-type"]).toMatch(/^text\/html/);
    expect(page.body).toContain("Convene is busy");
    expect(page.body).toContain('<html lang="en" dir="ltr">');
    // in the visitor's language: the browser's, or the one chosen on this browser (the switcher's cookie)
    const arabic = await send("GET", "/held?name=OVER", { "Accept-Language": "ar-BH,ar;q=0.9,en;q=0.5" }).answer;
    expect(arabic.status).toBe(503);
    expect(arabic.headers["content-language"]).toBe("ar");
    expect(arabic.body).toContain('<html lang="ar" dir="rtl">');
    expect(arabic.body).toContain("Convene مشغول");
    const chosen = (await localeCookie.serialize("es")).split(";")[0];
    const spanish = await send("GET", "/held?name=OVER", { "Accept-Language": "ar", Cookie: chosen }).answer;
    expect(spanish.body).toContain("Convene está ocupado");
    expect(spanish.body).toContain("Vuelva a cargar esta página en unos segundos.");
    const api = await get("/api/v1/held?name=OVER");
    expect(api.status).toBe(503);
    expect(api.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(api.body)).toMatchObject({ status: 503, title: "The server is busy" });
    expect(started).toEqual(["A", "B"]);

    open("A");
    open("B");
    for (const name of ["Q1", "Q2", "Q3"]) {
      await expect.poll(() => gates.has(name)).toBe(true);
      open(name);
    }
    expect((await Promise.all([a, b, ...queued])).map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
    expect(started).toEqual(["A", "B", "Q1", "Q2", "Q3"]);
  });
});
