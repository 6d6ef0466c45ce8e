import { and, asc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb, firstRow } from "../../db/client";
import { auditLog, emailOutbox, events, users } from "../../db/schema";
import { DEMO_EVENTS, seedDemo } from "../../db/seed/demo";
import * as newEvent from "~/routes/events.new";
import * as editEvent from "~/routes/events.$eventId.edit";
import * as overview from "~/routes/events.$eventId._index";
import * as actionPlansTab from "~/routes/events.$eventId.action-plans";
import { parseCheckInDays } from "~/lib/check-ins";
import { sendActionPlanReminders } from "~/models/action-plans.server";
import type { Role } from "~/lib/domain";
import { call, makeRequest, sessionCookie, unwrap } from "../setup/helpers";

/**
 * Issue 7: the coordinator sets per event after how many days the action-plan check-ins go out
 * (default 30, 60, 90). The event form validates the list, the pages show it to staff, a copy of
 * the event keeps it, and the reminder run follows it.
 */

type Form = Record<string, string | string[]>;
const db = () => getDb();
const cookies: Record<string, string> = {};
let victimId: number;
let programmeId: number;

beforeAll(async () => {
  await seedDemo(db(), { today: new Date("2026-11-22T12:00:00Z") });
  for (const role of ["admin", "coordinator", "facilitator", "participant", "partner", "donor"] as Role[]) {
    const user = firstRow(await db().select().from(users).where(eq(users.email, `${role}@example.org`)).limit(1))!;
    cookies[role] = await sessionCookie({ id: user.id, role: user.role });
  }
  victimId = firstRow(await db().select().from(events).where(eq(events.title, DEMO_EVENTS.victimIdentification)).limit(1))!.id;
  programmeId = firstRow(await db().select().from(events).where(eq(events.id, victimId)).limit(1))!.programmeId!;
});

const newForm = (checkInDays?: string): Form => ({
  title: `Check-in intervals ${Math.random().toString(36).slice(2, 8)}`,
  type: "training",
  programmeId: String(programmeId),
  country: "BS",
  locality: "Bimini",
  timeZone: "",
  startDate: "2027-03-09",
  endDate: "2027-03-10",
  ...(checkInDays === undefined ? {} : { checkInDays }),
});

const create = async (form: Form) => await call(newEvent.action, makeRequest("/events/new", { form, cookie: cookies.coordinator }));
const createdId = (response: unknown) => Number((response as Response).headers.get("Location")!.split("/").pop());
const stored = async (id: number) => firstRow(await db().select().from(events).where(eq(events.id, id)).limit(1))!;

async function editForm(id: number): Promise<Form> {
  const loaded = unwrap(await call(editEvent.loader, makeRequest(`/events/${id}/edit`, { cookie: cookies.coordinator }), { eventId: String(id) }));
  return loaded.data.event.values as Form;
}
const edit = async (id: number, form: Form) =>
  await call(editEvent.action, makeRequest(`/events/${id}/edit`, { form, cookie: cookies.coordinator }), { eventId: String(id) });

const updateAudits = async (id: number) =>
  await db().select().from(auditLog).where(and(eq(auditLog.action, "event.update"), eq(auditLog.entityId, String(id)))).orderBy(asc(auditLog.id));

/** Every refused value with the message it gets. */
const REFUSED: [string, string][] = [
  ["thirty, sixty", "events.form.errors.checkInNumber"],
  ["30, 60, 9O", "events.form.errors.checkInNumber"],
  ["30.5", "events.form.errors.checkInNumber"],
  ["0", "events.form.errors.checkInRange"],
  ["30, 731", "events.form.errors.checkInRange"],
  ["-5", "events.form.errors.checkInRange"],
  ["30, 60, 30", "events.form.errors.checkInDuplicate"],
  ["1, 2, 3, 4, 5, 6, 7", "events.form.errors.checkInCount"],
];

describe("the check-in intervals on the event form", () => {
  it("a new event gets 30, 60, 90 unless told otherwise; the list is sorted, empty means none", async () => {
    const page = unwrap(await call(newEvent.loader, makeRequest("/events/new", { cookie: cookies.coordinator })));
    expect(page.status).toBe(200);
    expect((await stored(createdId(await create(newForm())))).checkInDays).toEqual([30, 60, 90]);
    expect((await stored(createdId(await create(newForm("90, 14 45"))))).checkInDays).toEqual([14, 45, 90]);
    expect((await stored(createdId(await create(newForm("  "))))).checkInDays).toEqual([]);
    // Arabic-Indic digits and the Arabic comma
    expect((await stored(createdId(await create(newForm("٦٠، ٣٠"))))).checkInDays).toEqual([30, 60]);
    expect((await stored(createdId(await create(newForm("1, 2, 3, 4, 5, 730"))))).checkInDays).toEqual([1, 2, 3, 4, 5, 730]);
  });

  it("refuses letters, 0, 731, negatives, duplicates and a seventh value on a new event, keeping what was typed and saving nothing", async () => {
    const before = (await db().select({ id: events.id }).from(events)).length;
    for (const [typed, message] of REFUSED) {
      const result = unwrap(await create(newForm(typed)));
      expect(result.status, typed).toBe(400);
      expect(result.data.errors, typed).toEqual({ checkInDays: message });
      expect(result.data.values.checkInDays).toBe(typed);
      expect(result.data.values.locality).toBe("Bimini");
    }
    expect((await db().select({ id: events.id }).from(events)).length).toBe(before);
  });

  it("shows the stored intervals in the edit form and refuses bad ones on an edit without changing anything", async () => {
    const values = await editForm(victimId);
    expect(values.checkInDays).toBe("30, 60, 90");
    const row = await stored(victimId);
    const audits = (await updateAudits(victimId)).length;
    for (const [typed, message] of REFUSED) {
      const result = unwrap(await edit(victimId, { ...values, venue: "Somewhere else", checkInDays: typed }));
      expect(result.status, typed).toBe(400);
      expect(result.data.errors, typed).toEqual({ checkInDays: message });
      expect(result.data.values.checkInDays).toBe(typed);
      expect(result.data.values.venue).toBe("Somewhere else");
    }
    expect(await stored(victimId)).toEqual(row);
    expect(await updateAudits(victimId)).toHaveLength(audits);
  });

  it("each message exists in every language", async () => {
    const { resources } = await import("~/i18n.server");
    for (const [, key] of REFUSED) {
      const leaf = key.split(".").pop()!;
      for (const locale of ["en", "fr", "es", "ar"] as const) {
        const errors = (resources[locale].events as unknown as { form: { errors: Record<string, string> } }).form.errors;
        expect(errors[leaf], `${locale} ${leaf}`).toBeTruthy();
      }
    }
  });
});

describe("a coordinator changes the check-ins of the Bahamas training", () => {
  it("saves them sorted, records the change in the audit log and shows them to staff only", async () => {
    const values = await editForm(victimId);
    const saved = (await edit(victimId, { ...values, checkInDays: "120, 45" })) as Response;
    expect(saved.status).toBe(302);
    expect((await stored(victimId)).checkInDays).toEqual([45, 120]);
    const audit = (await updateAudits(victimId)).at(-1)!;
    expect(audit.details).toMatchObject({ before: { checkInDays: [30, 60, 90] }, after: { checkInDays: [45, 120] } });
    expect((await editForm(victimId)).checkInDays).toBe("45, 120");

    // an edit whose form lacks the field (an older page) leaves them as they are
    const { checkInDays: _omitted, ...withoutField } = values;
    expect(((await edit(victimId, withoutField)) as Response).status).toBe(302);
    expect((await stored(victimId)).checkInDays).toEqual([45, 120]);
    expect((await updateAudits(victimId)).at(-1)!.details).toMatchObject({ before: { checkInDays: [45, 120] }, after: { checkInDays: [45, 120] } });

    const page = async (role: string) => await call(overview.loader, makeRequest(`/events/${victimId}`, { cookie: cookies[role] }), { eventId: String(victimId) });
    expect(unwrap(await page("coordinator")).data.event.checkInDays).toEqual([45, 120]);
    expect(unwrap(await page("admin")).data.event.checkInDays).toEqual([45, 120]);
    for (const role of ["participant", "partner", "donor"]) {
      expect(unwrap(await page(role)).data.event.checkInDays, role).toBeNull();
    }
    const tab = async (role: string) => await call(actionPlansTab.loader, makeRequest(`/events/${victimId}/action-plans`, { cookie: cookies[role] }), { eventId: String(victimId) });
    expect(unwrap(await tab("coordinator")).data.checkInDays).toEqual([45, 120]);
    expect(unwrap(await tab("partner")).data.checkInDays).toBeNull();
    expect(unwrap(await tab("participant")).data.checkInDays).toBeNull();
  });

  it("the reminders follow the new days: nothing on the old day 30 or 60, the check-in on day 45 (injected clock)", async () => {
    // the training's last day was 10 August 2023 in Nassau; noon there is 16:00 UTC in summer
    const nassauNoon = (day: string) => new Date(`${day}T16:00:00Z`);
    const sent = async () => await db().select().from(emailOutbox).where(eq(emailOutbox.kind, "action_plan_reminder"));
    expect(await sent()).toHaveLength(0);
    expect(await sendActionPlanReminders(nassauNoon("2023-09-09"))).toEqual({ plans: 0, emails: 0 }); // the old day 30
    expect(await sendActionPlanReminders(nassauNoon("2023-09-23"))).toEqual({ plans: 0, emails: 0 }); // day 44
    const day45 = await sendActionPlanReminders(nassauNoon("2023-09-24"));
    expect(day45.emails).toBeGreaterThan(0);
    expect(await sent()).toHaveLength(day45.emails);
    expect((await sent()).every((m) => m.text.includes("45"))).toBe(true);
    const reminders = await db().select().from(auditLog).where(eq(auditLog.action, "action_plan.reminder"));
    expect(reminders.length).toBeGreaterThan(0);
    expect(reminders.every((r) => (r.details as { days: number; eventId: number }).days === 45 && (r.details as { eventId: number }).eventId === victimId)).toBe(true);
    expect(await sendActionPlanReminders(nassauNoon("2023-09-24"))).toEqual({ plans: 0, emails: 0 });
    expect(await sendActionPlanReminders(nassauNoon("2023-10-09"))).toEqual({ plans: 0, emails: 0 }); // the old day 60
    expect(await sendActionPlanReminders(nassauNoon("2023-11-08"))).toEqual({ plans: 0, emails: 0 }); // the old day 90
    expect(await sent()).toHaveLength(day45.emails);
  });

  it("with no check-ins at all, nothing is ever sent", async () => {
    const values = await editForm(victimId);
    expect(((await edit(victimId, { ...values, checkInDays: "" })) as Response).status).toBe(302);
    expect((await stored(victimId)).checkInDays).toEqual([]);
    const before = (await db().select().from(emailOutbox)).length;
    expect(await sendActionPlanReminders(new Date("2023-12-08T17:00:00Z"))).toEqual({ plans: 0, emails: 0 }); // day 120
    expect((await db().select().from(emailOutbox)).length).toBe(before);
  });
});

describe("duplicating an event", () => {
  it("keeps its check-in intervals", async () => {
    const id = createdId(await create(newForm("21, 7")));
    const response = (await call(
      overview.action,
      makeRequest(`/events/${id}`, { form: { intent: "duplicate", startDate: "2027-09-01" }, cookie: cookies.coordinator }),
      { eventId: String(id) },
    )) as Response;
    expect(response.status).toBe(302);
    expect((await stored(createdId(response))).checkInDays).toEqual([7, 21]);
  });
});

describe("parseCheckInDays", () => {
  it("accepts the separators people type and refuses the rest", () => {
    expect(parseCheckInDays("30;60 90")).toEqual({ ok: true, days: [30, 60, 90] });
    expect(parseCheckInDays("")).toEqual({ ok: true, days: [] });
    expect(parseCheckInDays("30,,60")).toEqual({ ok: true, days: [30, 60] });
    expect(parseCheckInDays("30 days")).toEqual({ ok: false, error: "events.form.errors.checkInNumber" });
    expect(parseCheckInDays("1e2")).toEqual({ ok: false, error: "events.form.errors.checkInNumber" });
  });
});
