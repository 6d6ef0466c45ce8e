import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import type { ServerBuild } from "@remix-run/node";
import { getDb, firstRow } from "../../db/client";
import { auditLog, events, eventSessions, people, registrations, users } from "../../db/schema";
import { createApp } from "../../server/app";
import * as entry from "~/entry.server";
import * as root from "~/root";
import * as preferencesPage from "~/routes/email-preferences";
import * as unsubscribeRoute from "~/routes/email-preferences_.unsubscribe";
import { resetConfig } from "~/config.server";
import { zonedToUtc } from "~/lib/zoned";
import { createTransport, deliverDueEmails } from "~/models/outbox.server";
import { sendEventReminders } from "~/models/reminders.server";
import { createUser } from "../setup/helpers";
import { TestSmtp } from "../setup/mail";

/**
 * The one-click unsubscribe of RFC 8058 end to end: a reminder delivered through a real SMTP
 * server carries List-Unsubscribe and List-Unsubscribe-Post; the URL in the header, POSTed over
 * real HTTP to the app's own server layer (server/app.ts: security headers, the Origin check, then
 * Remix with the real route modules) with no cookie and a foreign Origin — as a mail provider
 * does — turns reminders off. A bad token changes nothing, the endpoint does nothing else, and
 * every other POST from a foreign origin is still refused.
 */

const APP_URL = "https://convene.example.org";
const ZONE = "America/Nassau";
const smtp = new TestSmtp();
let http: Server;
let base = "";
let eventId: number;
let userId: string;
let personId: number;

/** The Remix server build of the routes this test asks for (the real modules). */
function build(): ServerBuild {
  const route = (id: string, path: string, module: unknown) => ({ id, parentId: "root", path, module: module as never });
  return {
    mode: "production",
    entry: { module: entry as never },
    routes: {
      root: { id: "root", path: "", module: root as never },
      "routes/email-preferences": route("routes/email-preferences", "email-preferences", preferencesPage),
      "routes/email-preferences_.unsubscribe": route("routes/email-preferences_.unsubscribe", "email-preferences/unsubscribe", unsubscribeRoute),
    },
    assets: { entry: { imports: [], module: "" }, routes: {}, url: "", version: "test" } as never,
    publicPath: "/",
    assetsBuildDirectory: "build/client",
    future: { v3_singleFetch: true } as never,
    isSpaMode: false,
  };
}

function post(path: string, init: { origin?: string | null; body?: BodyInit; contentType?: string | null; method?: string } = {}) {
  const headers: Record<string, string> = {};
  if (init.origin !== null) headers.Origin = init.origin ?? "https://mail.provider.example";
  if (init.contentType !== null) headers["Content-Type"] = init.contentType ?? "application/x-www-form-urlencoded";
  return fetch(`${base}${path}`, { method: init.method ?? "POST", headers, body: init.body ?? "List-Unsubscribe=One-Click", redirect: "manual" });
}

const userOff = async () => firstRow(await getDb().select({ off: users.emailRemindersOff }).from(users).where(eq(users.id, userId)).limit(1))!.off;
const personOff = async () => firstRow(await getDb().select({ off: people.emailRemindersOff }).from(people).where(eq(people.id, personId)).limit(1))!.off;
const preferenceAudits = async () => await getDb().select().from(auditLog).where(eq(auditLog.action, "email_preferences.update"));

/** The path and query of the one-click URL in a received message's List-Unsubscribe header. */
function oneClickPath(address: string) {
  const [message] = smtp.to(address);
  expect(message.headers.get("list-unsubscribe-post")).toBe("List-Unsubscribe=One-Click");
  const header = message.headers.get("list-unsubscribe")!;
  const url = new URL(/^<(https:\/\/[^>]+)>$/.exec(header)![1]);
  expect(url.origin).toBe(APP_URL);
  expect(url.pathname).toBe("/email-preferences/unsubscribe");
  return url.pathname + url.search;
}

beforeAll(async () => {
  process.env.APP_URL = APP_URL;
  resetConfig();
  await smtp.start();
  eventId = (await getDb()
    .insert(events)
    .values({ title: "Document Examination Workshop", type: "training", country: "BS", locality: "Nassau", timeZone: ZONE, startDate: "2027-05-11", endDate: "2027-05-12", status: "open" })
    .returning({ id: events.id }))[0].id;
  await getDb()
    .insert(eventSessions)
    .values({ eventId, title: "Security features", kind: "presentation", startsAt: zonedToUtc("2027-05-11", "09:00", ZONE), endsAt: zonedToUtc("2027-05-11", "12:00", ZONE) });
  userId = (await createUser({ role: "participant", email: "with-account@immigration.example" })).id;
  const withAccount = (await getDb().insert(people).values({ givenName: "Ana", familyName: "Account", email: "with-account@immigration.example", userId }).returning({ id: people.id }))[0].id;
  personId = (await getDb().insert(people).values({ givenName: "Rex", familyName: "Roster", email: "roster@immigration.example" }).returning({ id: people.id }))[0].id;
  for (const id of [withAccount, personId]) {
    await getDb().insert(registrations).values({ eventId, personId: id, eventRole: "participant", status: "confirmed", statusChangedAt: new Date() });
  }
  // a week before (4 May, Nassau): the reminders go out through SMTP
  expect((await sendEventReminders(new Date("2027-05-04T15:00:00Z"), { appUrl: APP_URL })).emails).toBe(2);
  await deliverDueEmails(getDb(), { transport: createTransport(smtp.url), from: "Convene <no-reply@convene.example.org>", retryMs: 60_000 });

  const app = createApp({ build: build(), appOrigin: APP_URL, secure: true, production: true });
  http = await new Promise<Server>((resolve) => {
    const server = app.listen(0, "127.0.0.1", () => resolve(server));
  });
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => http.close(() => resolve()));
  await smtp.stop();
  process.env.APP_URL = "http://localhost:3000";
  resetConfig();
});

describe("one-click unsubscribe (RFC 8058)", () => {
  it("a bad token, or any body but List-Unsubscribe=One-Click, changes nothing", async () => {
    const path = oneClickPath("with-account@immigration.example");
    const forged = path.replace(/t=[^&]+/, `t=${"A".repeat(43)}`);
    expect((await post(forged)).status).toBe(403);
    const personPath = oneClickPath("roster@immigration.example");
    // the account's token does not reach the person, nor the reverse
    const swapped = personPath.replace(/t=[^&]+/, /t=[^&]+/.exec(path)![0]);
    expect((await post(swapped)).status).toBe(403);
    expect((await post(path.replace(/u=[^&]+/, `p=${personId}`))).status).toBe(403);
    expect((await post("/email-preferences/unsubscribe", {})).status).toBe(403);
    // right token, wrong request
    expect((await post(path, { body: "List-Unsubscribe=Off" })).status).toBe(400);
    expect((await post(path, { body: "intent=on" })).status).toBe(400);
    expect((await post(path, { body: "{}", contentType: "application/json" })).status).toBe(400);
    expect(await userOff()).toBe(false);
    expect(await personOff()).toBe(false);
    expect(await preferenceAudits()).toHaveLength(0);
  });

  it("the rest of the app still refuses a POST from a foreign origin or without one, even with a valid link", async () => {
    const path = oneClickPath("with-account@immigration.example");
    const query = new URL(`${base}${path}`).search;
    const page = await post(`/email-preferences${query}`, { body: "intent=off" });
    expect(page.status).toBe(403);
    expect(await page.text()).toMatch(/did not come from Convene/);
    expect((await post(`/email-preferences${query}`, { body: "intent=off", origin: null })).status).toBe(403);
    // the exception is for POST to that exact path only
    expect((await post(path, { method: "PUT" })).status).toBe(403);
    expect((await post(path.replace("/unsubscribe", "/unsubscribe/"))).status).toBe(403);
    expect((await post(path.replace("/unsubscribe", "/Unsubscribe"))).status).toBe(403);
    expect((await post(path.replace("/unsubscribe?", "/unsubscribe.data?"))).status).toBe(403);
    expect(await userOff()).toBe(false);
    expect(await preferenceAudits()).toHaveLength(0);
  });

  it("the mail client's POST, without a cookie and from a foreign origin, turns reminders off, for an account and for someone without one", async () => {
    const path = oneClickPath("with-account@immigration.example");
    const response = await post(path);
    expect(response.status).toBe(200);
    expect(response.headers.get("set-cookie")).toBeNull();
    expect(await userOff()).toBe(true);
    // again: still off, still 200, nothing more recorded
    expect((await post(path)).status).toBe(200);

    // no Origin at all, and the body as multipart/form-data (both allowed by RFC 8058)
    const form = new FormData();
    form.append("List-Unsubscribe", "One-Click");
    const personResponse = await post(oneClickPath("roster@immigration.example"), { origin: null, body: form, contentType: null });
    expect(personResponse.status).toBe(200);
    expect(await personOff()).toBe(true);

    expect(await preferenceAudits()).toMatchObject([
      { entityType: "user", entityId: userId, details: { remindersOff: true, via: "one_click" } },
      { entityType: "person", entityId: String(personId), userId: null, details: { remindersOff: true, via: "one_click" } },
    ]);

    // the next reminder (a day before) goes to neither
    expect((await sendEventReminders(new Date("2027-05-10T15:00:00Z"), { appUrl: APP_URL })).emails).toBe(0);
  });

  it("it never turns reminders on: a GET shows the preferences page of the same link, where the choice is made", async () => {
    const path = oneClickPath("roster@immigration.example");
    const response = await fetch(`${base}${path}`, { redirect: "manual" });
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe(`/email-preferences${new URL(`${base}${path}`).search}`);
    expect((await post(path, { body: "List-Unsubscribe=One-Click&intent=on" })).status).toBe(200);
    expect(await personOff()).toBe(true);
    const turnedOn = await getDb()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "email_preferences.update"), eq(auditLog.entityId, String(personId))));
    expect(turnedOn).toHaveLength(1);
  });
});
