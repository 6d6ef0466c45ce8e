import { and, desc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb, firstRow } from "../../db/client";
import { auditLog, events, eventSessions, people, registrations, users } from "../../db/schema";
import { DEMO_EVENTS, seedDemo } from "../../db/seed/demo";
import * as sheet from "~/routes/events.$eventId.sign-in-sheet[.]pdf";
import { zonedToUtc } from "~/lib/zoned";
import { call, createUser, makeRequest, sessionCookie } from "../setup/helpers";
import { readPdf } from "../setup/read-pdf";

const TODAY = new Date("2026-11-22T12:00:00Z");

const cookies: Record<string, string> = {};
let victimId: number;
let followUpId: number;
let coordinatorId: string;

async function cookieFor(email: string) {
  const u = firstRow(await getDb().select().from(users).where(eq(users.email, email)).limit(1))!;
  return await sessionCookie({ id: u.id, role: u.role });
}

beforeAll(async () => {
  await seedDemo(getDb(), { today: TODAY });
  for (const role of ["coordinator", "facilitator", "participant", "partner", "donor"]) cookies[role] = await cookieFor(`${role}@example.org`);
  coordinatorId = firstRow(await getDb().select().from(users).where(eq(users.email, "coordinator@example.org")).limit(1))!.id;
  victimId = firstRow(await getDb().select().from(events).where(eq(events.title, DEMO_EVENTS.victimIdentification)).limit(1))!.id;
  followUpId = firstRow(await getDb().select().from(events).where(eq(events.title, DEMO_EVENTS.followUp)).limit(1))!.id;
});

async function get(eventId: number, cookie: string, query = "") {
  return (await call(sheet.loader, makeRequest(`/events/${eventId}/sign-in-sheet.pdf${query}`, { cookie }), { eventId: String(eventId) })) as Response;
}

async function pdfOf(response: Response) {
  expect(response.status).toBe(200);
  const bytes = Buffer.from(await response.arrayBuffer());
  expect(bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
  return { bytes, read: readPdf(bytes) };
}

async function confirmedNames(eventId: number, status: "confirmed" | "applied" | "nominated" = "confirmed") {
  return (await getDb()
    .select({ given: people.givenName, family: people.familyName })
    .from(registrations)
    .innerJoin(people, eq(people.id, registrations.personId))
    .where(and(eq(registrations.eventId, eventId), eq(registrations.eventRole, "participant"), eq(registrations.status, status))))
    .map((p) => `${p.given} ${p.family}`);
}

async function lastExport() {
  return firstRow(await getDb().select().from(auditLog).where(eq(auditLog.action, "export.sign_in_sheet")).orderBy(desc(auditLog.id)).limit(1));
}

const DAY_1 = "Wednesday, August 9, 2023";
const DAY_2 = "Thursday, August 10, 2023";

describe("the sign-in sheet", () => {
  it("gives the coordinator a printable PDF: each day on its own pages, every confirmed participant, the sessions in the event's zone", async () => {
    const response = await get(victimId, cookies.coordinator);
    expect(response.headers.get("Content-Type")).toBe("application/pdf");
    expect(response.headers.get("Content-Disposition")).toMatch(/^inline; filename="sign-in-sheet-event-(\d+)\.pdf"; filename\*=UTF-8''sign-in-sheet-event-\1\.pdf$/);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    const { bytes, read } = await pdfOf(response);
    expect(bytes.toString("latin1").match(/\/Type \/Page(?!s)\b/g)!.length).toBe(read.pages.length);
    expect(read.pages.length).toBeGreaterThanOrEqual(2);
    expect(read.lang).toBe("en");

    const names = await confirmedNames(victimId);
    expect(names).toHaveLength(22);
    const firstOfDay2 = read.pages.findIndex((p) => p.some((d) => d.text.startsWith(DAY_2)));
    expect(read.pages[0].some((d) => d.text.startsWith(DAY_1))).toBe(true);
    expect(firstOfDay2).toBeGreaterThan(0);
    // the second day starts on a new page: none of the first day's content on it
    expect(read.pages[firstOfDay2].some((d) => d.text.includes(DAY_1))).toBe(false);
    const day1 = read.pages.slice(0, firstOfDay2).flat().map((d) => d.text);
    const day2 = read.pages.slice(firstOfDay2).flat().map((d) => d.text);
    for (const name of names) {
      expect(day1).toContain(name);
      expect(day2).toContain(name);
    }
    // the facilitator signs too, and the sessions are named with their times and zone
    expect(day1).toContain("Tomás Herrera");
    expect(read.text).toContain("Nassau (EDT)");
    expect(read.text).toContain("1. 09:00 AM – 10:30 AM — Opening: trafficking in persons is a global issue (Conference Room A)");
    // a day that was held shows the attendance recorded for each session: the demo marks every
    // participant, so each of the 22 rows carries a status in each of the 4 session columns
    const statuses = ["Present", "Late", "Absent", "Excused"];
    expect(day1.filter((t) => statuses.includes(t)).length).toBe(22 * 4);
    // four sessions a day: one signature column each
    expect(day1.filter((t) => /^Session [1-4]\n?/.test(t))).toHaveLength(4 * day1.filter((t) => t === "Name").length);

    const audit = (await lastExport())!;
    expect(audit).toMatchObject({ userId: coordinatorId, entityType: "event", entityId: String(victimId) });
    expect(audit.details).toMatchObject({ days: ["2023-08-09", "2023-08-10"], participants: 22 });
  });

  it("prints only confirmed participants (not the nominated or applied)", async () => {
    const { read } = await pdfOf(await get(followUpId, cookies.coordinator));
    const printed = read.pages.flat().map((d) => d.text);
    for (const name of (await confirmedNames(followUpId))) expect(printed).toContain(name);
    for (const name of [...await confirmedNames(followUpId, "applied"), ...await confirmedNames(followUpId, "nominated")]) expect(printed).not.toContain(name);
  });

  it("prints a single day with ?day=YYYY-MM-DD, and refuses a day that is not the event's", async () => {
    const full = await pdfOf(await get(victimId, cookies.coordinator));
    const response = await get(victimId, cookies.coordinator, "?day=2023-08-10");
    expect(response.headers.get("Content-Disposition")).toContain("-2023-08-10.pdf");
    const { read } = await pdfOf(response);
    expect(read.text).toContain(DAY_2);
    expect(read.text).not.toContain(DAY_1);
    expect(read.pages.length).toBeLessThan(full.read.pages.length);
    expect(read.pages.flat().map((d) => d.text)).toContain((await confirmedNames(victimId))[0]);
    expect((await lastExport())!.details).toMatchObject({ days: ["2023-08-10"] });

    expect((await get(victimId, cookies.coordinator, "?day=2023-08-11")).status).toBe(404);
    expect((await get(victimId, cookies.coordinator, "?day=10-08-2023")).status).toBe(400);
  });

  it("is printed in Arabic, right to left, for a coordinator whose language is Arabic; Latin names stay readable", async () => {
    const arabic = await createUser({ role: "coordinator" });
    await getDb().update(users).set({ locale: "ar" }).where(eq(users.id, arabic.id));
    const { read } = await pdfOf(await get(victimId, await sessionCookie(arabic)));
    expect(read.lang).toBe("ar");
    expect(read.pages.length).toBeGreaterThanOrEqual(2);
    const first = read.pages[0];
    const find = (text: string) => first.find((d) => d.text === text);
    expect(find("كشف توقيع الحضور")).toBeDefined();
    expect(first.some((d) => d.text.startsWith("المشاركون"))).toBe(true);
    // names written in Latin letters are drawn as they are, left to right
    for (const name of (await confirmedNames(victimId))) expect(first.map((d) => d.text).concat(read.pages[1].map((d) => d.text))).toContain(name);
    // columns are laid out from the right: number, then name, then organisation
    const number = find("م")!;
    const name = find("الاسم")!;
    const organisation = find("الجهة")!;
    expect(number.x).toBeGreaterThan(name.x);
    expect(name.x).toBeGreaterThan(organisation.x);
    expect((await lastExport())!.details).toMatchObject({ locale: "ar" });
  });

  it("lays the English columns out from the left", async () => {
    const { read } = await pdfOf(await get(victimId, cookies.coordinator, "?day=2023-08-09"));
    const find = (text: string) => read.pages[0].find((d) => d.text === text)!;
    expect(find("No.").x).toBeLessThan(find("Name").x);
    expect(find("Name").x).toBeLessThan(find("Organisation").x);
  });

  it("gives a day of more than four sessions a single signature column on a portrait page; names in Arabic script are kept", async () => {
    const db = getDb();
    const eventId = (await db
      .insert(events)
      .values({ title: "Workshop on referral", type: "workshop", country: "BH", timeZone: "Asia/Bahrain", startDate: "2027-03-01", endDate: "2027-03-01", status: "open" })
      .returning())[0].id;
    for (const [i, start] of ["08:00", "09:00", "10:00", "11:00", "12:00"].entries()) {
      await db.insert(eventSessions)
        .values({ eventId, title: `Part ${i + 1}`, startsAt: zonedToUtc("2027-03-01", start, "Asia/Bahrain"), endsAt: zonedToUtc("2027-03-01", start.replace(":00", ":50"), "Asia/Bahrain") });
    }
    for (const [given, family] of [["فاطمة", "جناحي"], ["Ahmed", "Al Mahmood"]]) {
      const personId = (await db.insert(people).values({ givenName: given, familyName: family }).returning())[0].id;
      await db.insert(registrations).values({ eventId, personId, eventRole: "participant", status: "confirmed", statusChangedAt: new Date() });
    }
    const { bytes, read } = await pdfOf(await get(eventId, cookies.coordinator));
    expect(read.pages).toHaveLength(1);
    expect(bytes.toString("latin1")).toMatch(/\/MediaBox \[0 0 595\.28 841\.89\]/);
    const printed = read.pages[0].map((d) => d.text);
    expect(printed).toContain("Signature");
    expect(printed.some((t) => t.startsWith("Session "))).toBe(false);
    expect(printed).toContain("فاطمة جناحي");
    expect(printed).toContain("Ahmed Al Mahmood");
    expect(read.text).toContain("Please sign once for the day.");
    expect(read.text).toContain("5. 12:00 PM – 12:50 PM — Part 5");
    expect(read.text).toContain("Bahrain (GMT+3)");
  });

  it("is for facilitators who teach the event; participants, donors and partners are refused", async () => {
    await pdfOf(await get(victimId, cookies.facilitator));
    expect((await lastExport())!.userId).not.toBe(coordinatorId);
    for (const role of ["participant", "donor", "partner"]) {
      expect((await get(victimId, cookies[role])).status, role).toBe(403);
    }
    // a facilitator who teaches none of it does not see the event at all
    const other = await createUser({ role: "facilitator" });
    expect((await get(victimId, await sessionCookie(other))).status).toBe(404);
    expect((await get(999999, cookies.coordinator)).status).toBe(404);
  });

  it("sends someone who is not signed in to the login page", async () => {
    const response = await get(victimId, "");
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toContain("/login");
  });
});
