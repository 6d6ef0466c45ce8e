import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../../db/client";
import * as audit from "~/routes/admin.audit";
import { setClock } from "~/lib/clock";
import type { Role } from "~/lib/domain";
import { recordAudit, type AuditEntry } from "~/models/audit.server";
import { call, createOrganisation, createUser, makeRequest, sessionCookie, unwrap } from "../setup/helpers";

let adminCookie: string;
let officer: { id: string; email: string };
let analyst: { id: string; email: string };

/** An entry written at a given instant (the clock is the one source of "now"). */
async function entryAt(at: string, entry: AuditEntry) {
  setClock(() => Date.parse(at));
  try {
    await recordAudit(getDb(), entry);
  } finally {
    setClock(null);
  }
}

beforeAll(async () => {
  const admin = await createUser({ role: "admin", name: "Ada Admin" });
  adminCookie = await sessionCookie(admin);
  officer = await createUser({ role: "coordinator", name: "Olive Officer", email: "olive.officer@test.example" });
  analyst = await createUser({ role: "coordinator", name: "Ann Analyst", email: "ann.analyst@test.example" });
  // a small history across a few days (UTC)
  await entryAt("2026-03-01T23:59:59.000Z", { userId: officer.id, ip: "192.0.2.1", action: "person.create", entityType: "person", entityId: 7, details: { name: "Kim" } });
  await entryAt("2026-03-02T00:00:00.000Z", { userId: officer.id, ip: "192.0.2.1", action: "person.update", entityType: "person", entityId: 7, details: { fields: ["email"] } });
  await entryAt("2026-03-02T12:30:00.000Z", { userId: analyst.id, ip: "192.0.2.2", action: "export.roster", entityType: "event", entityId: 3, details: { rows: 22 } });
  await entryAt("2026-03-03T23:59:59.999Z", { userId: null, ip: "198.51.100.9", action: "login.failure", details: { reason: "invalid" } });
  await entryAt("2026-03-04T00:00:00.000Z", { userId: analyst.id, ip: "192.0.2.2", action: "login.success", entityType: "user", entityId: analyst.id });
  await entryAt("2026-03-04T08:00:00.000Z", { userId: officer.id, ip: "192.0.2.1", action: "people.export", entityType: "report", entityId: 1 });
});
afterEach(() => setClock(null));

const search = async (query = "", cookie = adminCookie) => await call(audit.loader, makeRequest(`/admin/audit${query ? `?${query}` : ""}`, { cookie }));
const submit = async (form: Record<string, string>, cookie = adminCookie) => await call(audit.action, makeRequest("/admin/audit", { form, cookie }));
const actions = (data: { result: { rows: { action: string }[] } }) => data.result.rows.map((r) => r.action);

describe("the audit log page", () => {
  it("is for admins only", async () => {
    const anonymous = (await search("", "")) as Response;
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("Location")).toBe("/login?redirectTo=%2Fadmin%2Faudit");
    expect(((await submit({ action: "login" }, "")) as Response).status).toBe(302);
    for (const role of ["coordinator", "facilitator", "participant", "partner", "donor"] as Role[]) {
      const organisationId = role === "partner" ? (await createOrganisation(`Agency ${role}`, "government_partner")).id : role === "donor" ? (await createOrganisation(`Donor ${role}`, "donor", "US")).id : null;
      const cookie = await sessionCookie(await createUser({ role, organisationId }));
      expect(((await search("", cookie)) as Response).status).toBe(403);
      expect(((await submit({ action: "login" }, cookie)) as Response).status).toBe(403);
    }
  });

  it("lists entries newest first with who (name and email), what, when, from where and the details", async () => {
    const { status, data } = unwrap(await search());
    expect(status).toBe(200);
    expect(actions(data)).toEqual(["people.export", "login.success", "login.failure", "export.roster", "person.update", "person.create"]);
    const exportRow = data.result.rows.find((r: { action: string }) => r.action === "export.roster");
    expect(exportRow).toMatchObject({
      userName: "Ann Analyst",
      userEmail: "ann.analyst@test.example",
      ip: "192.0.2.2",
      entityType: "event",
      entityId: "3",
      details: { rows: 22 },
      at: Date.parse("2026-03-02T12:30:00.000Z"),
    });
    const anonymousRow = data.result.rows.find((r: { action: string }) => r.action === "login.failure");
    expect(anonymousRow).toMatchObject({ userId: null, userName: null, userEmail: null, ip: "198.51.100.9" });
    expect(JSON.stringify(data)).not.toMatch(/password_?hash|argon2/i);
    expect(data.options.actions).toEqual(["export.roster", "login.failure", "login.success", "people.export", "person.create", "person.update"]);
    expect(data.options.entityTypes).toEqual(["event", "person", "report", "user"]);
  });

  it("searches by the start of an action name, whatever its case", async () => {
    expect(actions(unwrap(await search("action=login")).data)).toEqual(["login.success", "login.failure"]);
    // "person." is a prefix: person.create and person.update, not people.export
    expect(actions(unwrap(await search("action=Person.")).data)).toEqual(["person.update", "person.create"]);
    expect(actions(unwrap(await search("action=person.update")).data)).toEqual(["person.update"]);
    const bad = unwrap(await search("action=login%25"));
    expect(bad.status).toBe(400);
    expect(bad.data.errors.action).toBe("audit.errors.action");
    expect(bad.data.result).toBeNull();
  });

  it("searches by user email without ever putting the email in the address", async () => {
    const response = (await submit({ email: "  Olive.Officer@TEST.example ", action: "person" })) as Response;
    expect(response.status).toBe(302);
    const location = response.headers.get("Location")!;
    expect(location).not.toMatch(/olive|%40|@/i);
    const params = new URL(location, "http://localhost").searchParams;
    expect(params.get("user")).toBe(officer.id);
    expect(params.get("action")).toBe("person");
    const { data } = unwrap(await search(location.split("?")[1]));
    expect(actions(data)).toEqual(["person.update", "person.create"]);
    expect(data.filters.email).toBe("olive.officer@test.example"); // the form shows whom it is filtered on
    const unknown = unwrap(await submit({ email: "nobody@test.example" }));
    expect(unknown.status).toBe(400);
    expect(unknown.data.errors.email).toBe("audit.errors.noSuchUser");
    expect(unknown.data.values.email).toBe("nobody@test.example");
  });

  it("searches by record type and number", async () => {
    expect(actions(unwrap(await search("entityType=person&entityId=7")).data)).toEqual(["person.update", "person.create"]);
    expect(actions(unwrap(await search("entityType=event")).data)).toEqual(["export.roster"]);
    expect(unwrap(await search("entityType=person&entityId=8")).data.result.total).toBe(0);
  });

  it("searches by a range of UTC days, both days included", async () => {
    expect(actions(unwrap(await search("from=2026-03-02&to=2026-03-03")).data)).toEqual(["login.failure", "export.roster", "person.update"]);
    expect(actions(unwrap(await search("from=2026-03-04")).data)).toEqual(["people.export", "login.success"]);
    expect(actions(unwrap(await search("to=2026-03-01")).data)).toEqual(["person.create"]);
    const reversed = unwrap(await search("from=2026-03-04&to=2026-03-01"));
    expect(reversed.status).toBe(400);
    expect(reversed.data.errors.to).toBe("audit.errors.dateOrder");
    expect(unwrap(await search("from=2026-02-30")).data.errors.from).toBe("errors.date");
  });

  it("turns a posted search into a shareable address, and a posted empty search into the whole log", async () => {
    const filtered = (await submit({ action: "login", entityType: "user", entityId: "", from: "2026-03-01", to: "", email: "" })) as Response;
    expect(filtered.headers.get("Location")).toBe("/admin/audit?action=login&entityType=user&from=2026-03-01");
    const cleared = (await submit({ action: "", email: "" })) as Response;
    expect(cleared.headers.get("Location")).toBe("/admin/audit");
    const invalid = unwrap(await submit({ from: "2026-03-05", to: "2026-03-01" }));
    expect(invalid.status).toBe(400);
    expect(invalid.data.errors.to).toBe("audit.errors.dateOrder");
    expect(invalid.data.values).toMatchObject({ from: "2026-03-05", to: "2026-03-01" });
  });

  it("pages through a long log 50 at a time, newest first", async () => {
    const start = Date.parse("2026-05-01T00:00:00.000Z");
    for (let i = 0; i < 120; i++) {
      await entryAt(new Date(start + i * 60_000).toISOString(), { userId: officer.id, action: "bulk.write", entityType: "person", entityId: i });
    }
    const first = unwrap(await search("action=bulk")).data.result;
    expect(first).toMatchObject({ total: 120, page: 1, pageCount: 3 });
    expect(first.rows).toHaveLength(50);
    expect(first.rows[0].entityId).toBe("119");
    expect(first.rows[49].entityId).toBe("70");
    const last = unwrap(await search("action=bulk&page=3")).data.result;
    expect(last.rows).toHaveLength(20);
    expect(last.rows.at(-1).entityId).toBe("0");
    // a page past the end shows the last one
    expect(unwrap(await search("action=bulk&page=99")).data.result.page).toBe(3);
  });
});
