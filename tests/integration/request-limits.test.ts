import http from "node:http";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb, firstRow } from "../../db/client";
import { events, people, rateLimits } from "../../db/schema";
import * as register from "~/routes/events_.$eventId.register";
import * as rosterImport from "~/routes/events.$eventId.roster_.import";
import { FORM_MAX_BYTES, ROSTER_IMPORT_MAX_BYTES } from "~/lib/request-limits";
import { postBigBody, refusedOrReset } from "../setup/big-body";
import { createUser, sessionCookie } from "../setup/helpers";
import { startRouteServer } from "../setup/route-server";
import { localeCookie } from "~/lib/locale-cookie.server";

/**
 * Body limits of the HTTP layer (server/request-body.ts) in front of the real public registration
 * and roster import actions: a declared length over the limit is refused with 413 and a page
 * saying the limit before a byte is read; a chunked body is counted as it streams and stopped at
 * the limit; the rest of a refused body is never read (the connection closes). The in-process
 * server would buffer whatever it read, so "never read" is what the byte counts show. A client
 * still sending when the connection closes may get a reset instead of the page (TCP), so the page
 * itself is checked with clients that send part of the body and wait.
 */

process.env.RATE_LIMIT_PER_MINUTE = "100000";

const MB = 1_000_000;
let base: string;
let close: () => Promise<void>;
let openEvent: number;
let importEvent: number;
let coordinatorCookie: string;

beforeAll(async () => {
  ({ base, close } = await startRouteServer({ "events/:eventId/register": register, "events/:eventId/roster/import": rosterImport }));
  const db = getDb();
  const event = async (title: string, status: "open" | "draft") =>
    (await db.insert(events).values({ title, type: "training", country: "BS", timeZone: "America/Nassau", startDate: "2027-03-01", endDate: "2027-03-03", status }).returning())[0].id;
  openEvent = await event("Open for registration", "open");
  importEvent = await event("Import target", "draft");
  const coordinator = await createUser({ role: "coordinator" });
  coordinatorCookie = await sessionCookie(coordinator);
});
afterAll(async () => await close());

const rateLimitRows = async () => (await getDb().select().from(rateLimits)).length;

/** A small body, chunked (no Content-Length): what a proxy that streams requests may send. */
function postChunked(path: string, body: string, headers: Record<string, string>) {
  return new Promise<{ status: number; location: string | undefined }>((resolve, reject) => {
    const req = http.request(`${base}${path}`, { method: "POST", headers: { Origin: base, ...headers }, agent: false }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode!, location: res.headers.location }));
    });
    req.on("error", reject);
    req.write(body.slice(0, 10));
    req.end(body.slice(10));
  });
}

describe("request body limits", () => {
  it("refuses a declared Content-Length over 1 MB with a 413 page that says the limit, before reading the body", async () => {
    const before = await rateLimitRows();
    // declares 300 MB, sends the first 64 kB and waits for the answer
    const answer = await postBigBody(`${base}/events/${openEvent}/register`, { total: 300 * MB, send: 64_000, headers: { Origin: base } });
    expect(answer.status).toBe(413);
    expect(answer.headers["content-type"]).toMatch(/^text\/html/);
    expect(answer.headers.connection).toBe("close");
    expect(answer.body).toContain("too large");
    expect(answer.body).toContain("A form may send at most 1 MB.");
    // refused before the action: not even the per-address counter moved
    expect(await rateLimitRows()).toBe(before);
  });

  it("writes the 413 page in the visitor's language: the one chosen on this browser, else the browser's", async () => {
    const arabic = await postBigBody(`${base}/events/${openEvent}/register`, { total: 300 * MB, send: 64_000, headers: { Origin: base, "Accept-Language": "ar" } });
    expect(arabic.status).toBe(413);
    expect(arabic.headers["content-language"]).toBe("ar");
    expect(arabic.body).toContain('<html lang="ar" dir="rtl">');
    expect(arabic.body).toContain("يمكن للنموذج أن يرسل \u20681 MB\u2069 على الأكثر."); // the size isolated: its order holds in Arabic
    const chosen = (await localeCookie.serialize("fr")).split(";")[0];
    const french = await postBigBody(`${base}/events/${importEvent}/roster/import`, {
      total: 300 * MB,
      send: 64_000,
      headers: { Origin: base, Cookie: `${coordinatorCookie}; ${chosen}`, "Accept-Language": "en" },
    });
    expect(french.status).toBe(413);
    expect(french.body).toContain('<html lang="fr" dir="ltr">');
    expect(french.body).toContain(`Un fichier envoyé depuis cette page peut peser au plus ${ROSTER_IMPORT_MAX_BYTES / MB} MB (${ROSTER_IMPORT_MAX_BYTES / MB + 1} MB pour tout le formulaire).`);
    expect(french.body).toContain("choisissez un fichier plus petit");
  });

  it("stops a sender that goes on sending: the rest of the body is never read", async () => {
    const answer = await postBigBody(`${base}/events/${openEvent}/register`, { total: 40 * MB, headers: { Origin: base } });
    expect(refusedOrReset(answer), JSON.stringify({ ...answer, body: answer.body.slice(0, 200) })).toBe(true);
    // the client could only fill the sockets' buffers before the answer came
    expect(answer.sent).toBeLessThan(20 * MB);
  });

  it("counts a chunked body as it streams and stops it past 1 MB with the same 413 page", async () => {
    const answers = await Promise.all(
      [3 * MB, 40 * MB].map(async (send) => await postBigBody(`${base}/events/${openEvent}/register`, { total: 40 * MB, send, chunked: true, headers: { Origin: base } })),
    );
    for (const answer of answers) {
      expect(refusedOrReset(answer), JSON.stringify({ ...answer, body: answer.body.slice(0, 200) })).toBe(true);
      if (answer.status === 413) expect(answer.body).toContain("A form may send at most 1 MB.");
      expect(answer.sent).toBeLessThan(20 * MB);
    }
  });

  it("lets a chunked form under the limit through (chunked bodies are counted, not refused)", async () => {
    const form = new URLSearchParams({
      givenName: "Chunked", familyName: "Sender", email: "chunked@test.example", sex: "female", consent: "yes", locale: "en", website: "",
      position: "Officer", roleCategory: "immigration_officer", nationality: "BS",
    });
    const answer = await postChunked(`/events/${openEvent}/register`, form.toString(), { "Content-Type": "application/x-www-form-urlencoded" });
    expect(answer.status).toBe(302);
    expect(answer.location).toContain(`/events/${openEvent}/register/done`);
    expect(firstRow(await getDb().select().from(people).where(eq(people.email, "chunked@test.example")).limit(1))).toBeDefined();
  });

  it("lets a body just under 1 MB reach the action", async () => {
    const answer = await postBigBody(`${base}/events/${openEvent}/register`, { total: FORM_MAX_BYTES - 1000, headers: { Origin: base } });
    // the form is refused field by field, not for its size (a resource route here: the action's data as JSON)
    expect(answer.status).not.toBe(413);
    expect(JSON.parse(answer.body).errors.givenName).toBeDefined();
  });

  it("gives the roster import its file's limit (5 MB) plus 1 MB for the form, and says so past it", async () => {
    const headers = { Origin: base, Cookie: coordinatorCookie, "Content-Type": "multipart/form-data; boundary=----limit" };
    const path = `${base}/events/${importEvent}/roster/import`;
    const within = await postBigBody(path, { total: ROSTER_IMPORT_MAX_BYTES + MB - 1000, headers });
    // read, and refused as a form without a file rather than for its size
    expect(within.status).not.toBe(413);
    expect(within.body).toContain("rosterImport.errors.noFile");
    const declared = await postBigBody(path, { total: ROSTER_IMPORT_MAX_BYTES + MB + 1000, send: 64_000, headers });
    expect(declared.status).toBe(413);
    expect(declared.body).toContain("A file sent from this page may weigh at most 5 MB (6 MB for the whole form).");
    const chunked = await postBigBody(path, { total: ROSTER_IMPORT_MAX_BYTES + MB + 1000, chunked: true, headers });
    expect(refusedOrReset(chunked)).toBe(true);
    if (chunked.status === 413) expect(chunked.body).toContain("at most 5 MB (6 MB for the whole form)");
  });

  it("closes the connection instead of reading the rest when the answer comes before the body is read", async () => {
    // anonymous: sent to the login page before the body is touched
    const answer = await postBigBody(`${base}/events/${importEvent}/roster/import`, {
      total: 40 * MB,
      chunked: true,
      headers: { Origin: base, "Content-Type": "multipart/form-data; boundary=----limit" },
    });
    expect(answer.status).toBe(302);
    expect(answer.headers.connection).toBe("close");
    expect(answer.sent).toBeLessThan(20 * MB);
  });
});
