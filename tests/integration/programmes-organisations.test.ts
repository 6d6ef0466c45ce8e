import { describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { getDb, firstRow } from "../../db/client";
import { auditLog, events, organisations, programmeFunding, programmes } from "../../db/schema";
import * as programmesIndex from "~/routes/programmes._index";
import * as programmesNew from "~/routes/programmes.new";
import * as programmePage from "~/routes/programmes.$programmeId";
import * as organisationsIndex from "~/routes/organisations._index";
import * as organisationsNew from "~/routes/organisations.new";
import * as organisationPage from "~/routes/organisations.$organisationId";
import { call, createOrganisation, createUser, makeRequest, sessionCookie, unwrap } from "../setup/helpers";

const prm = await createOrganisation("PRM", "donor", "US");
const stateInl = await createOrganisation("U.S. Department of State — INL", "donor", "US");
const immigration = await createOrganisation("Bahamas Department of Immigration", "government_partner", "BS");

async function signedIn(role: "admin" | "coordinator" = "coordinator") {
  const user = await createUser({ role });
  return { user, cookie: await sessionCookie(user) };
}

const programmeRow = async (id: number) => firstRow(await getDb().select().from(programmes).where(eq(programmes.id, id)).limit(1));
const fundingOf = async (id: number) =>
  (await getDb()
    .select({ donor: programmeFunding.donorOrganisationId })
    .from(programmeFunding)
    .where(eq(programmeFunding.programmeId, id)))
    .map((r) => r.donor)
    .sort((a, b) => a - b);
const counts = async () => ({
  programmes: (await getDb().select().from(programmes)).length,
  funding: (await getDb().select().from(programmeFunding)).length,
  organisations: (await getDb().select().from(organisations)).length,
});
const auditFor = async (action: string, entityId: number) =>
  await getDb()
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, action), eq(auditLog.entityId, String(entityId))));

async function newProgramme(cookie: string, form: Record<string, string | string[]>) {
  return await call(programmesNew.action, makeRequest("/programmes/new", { form, cookie }));
}
async function editProgramme(cookie: string, id: number, form: Record<string, string | string[]>) {
  return await call(programmePage.action, makeRequest(`/programmes/${id}`, { form, cookie }), { programmeId: String(id) });
}
async function newOrganisation(cookie: string, form: Record<string, string>) {
  return await call(organisationsNew.action, makeRequest("/organisations/new", { form, cookie }));
}
async function editOrganisation(cookie: string, id: number, form: Record<string, string>) {
  return await call(organisationPage.action, makeRequest(`/organisations/${id}`, { form, cookie }), { organisationId: String(id) });
}
function createdId(response: unknown, prefix: string) {
  expect(response).toBeInstanceOf(Response);
  const r = response as Response;
  expect(r.status).toBe(302);
  const location = r.headers.get("Location") ?? "";
  expect(location).toMatch(new RegExp(`^${prefix}/\\d+$`));
  expect(r.headers.get("Set-Cookie")).toContain("convene_flash=");
  return Number(location.split("/").pop());
}

async function addEvent(programmeId: number, title: string, status: "draft" | "completed" | "open", startDate: string, endDate: string) {
  return (await getDb()
    .insert(events)
    .values({ title, type: "training", programmeId, country: "BS", locality: "New Providence", timeZone: "America/Nassau", startDate, endDate, status })
    .returning())[0];
}

describe("programmes", () => {
  it("creates a programme funded by PRM, then edits its fields and donors (funding rows, audit)", async () => {
    const { cookie } = await signedIn("coordinator");
    const id = createdId(
      await newProgramme(cookie, {
        name: "  Western Hemisphere Program ",
        code: "WHP",
        description: "Regional programme on migration governance.",
        startDate: "2023-01-01",
        endDate: "2025-12-31",
        donorIds: [String(prm.id)],
      }),
      "/programmes",
    );
    expect(await programmeRow(id)).toMatchObject({ name: "Western Hemisphere Program", code: "WHP", startDate: "2023-01-01", endDate: "2025-12-31" });
    expect(await fundingOf(id)).toEqual([prm.id]);
    expect(await auditFor("programme.create", id)).toHaveLength(1);

    const edited = (await editProgramme(cookie, id, {
      name: "Western Hemisphere Program",
      code: "WHP-2",
      startDate: "2023-01-01",
      endDate: "",
      donorIds: [String(prm.id), String(stateInl.id)],
    })) as Response;
    expect(edited.status).toBe(302);
    expect(edited.headers.get("Location")).toBe(`/programmes/${id}`);
    expect(await programmeRow(id)).toMatchObject({ code: "WHP-2", endDate: null, description: null });
    expect(await fundingOf(id)).toEqual([prm.id, stateInl.id].sort((a, b) => a - b));

    // unticking every donor removes the funding rows
    await editProgramme(cookie, id, { name: "Western Hemisphere Program", code: "WHP-2", startDate: "2023-01-01" });
    expect(await fundingOf(id)).toEqual([]);
    expect(await auditFor("programme.update", id)).toHaveLength(2);

    const list = unwrap(await call(programmesIndex.loader, makeRequest("/programmes", { cookie })));
    const row = list.data.result.rows.find((r: { id: number }) => r.id === id);
    expect(row).toMatchObject({ name: "Western Hemisphere Program", code: "WHP-2", events: 0, donors: [] });
  });

  it("refuses a non-donor organisation as donor, keeps what was typed and saves nothing", async () => {
    const { cookie } = await signedIn("admin");
    const before = await counts();
    const refused = unwrap(
      await newProgramme(cookie, { name: "Counter-trafficking partnership", code: "CTP", donorIds: [String(prm.id), String(immigration.id)] }),
    );
    expect(refused.status).toBe(400);
    expect(refused.data.errors.donorIds).toBe("programmes.errors.notDonor");
    expect(refused.data.values).toMatchObject({ name: "Counter-trafficking partnership", code: "CTP" });
    expect(refused.data.donorIds).toEqual([String(prm.id), String(immigration.id)]);
    const unknown = unwrap(await newProgramme(cookie, { name: "Counter-trafficking partnership", donorIds: "999999" }));
    expect(unknown.data.errors.donorIds).toBe("programmes.errors.notDonor");
    expect(await counts()).toEqual(before);

    const id = createdId(await newProgramme(cookie, { name: "Counter-trafficking partnership", donorIds: String(prm.id) }), "/programmes");
    const onEdit = unwrap(await editProgramme(cookie, id, { name: "Renamed", donorIds: [String(immigration.id)] }));
    expect(onEdit.status).toBe(400);
    expect(onEdit.data.errors.donorIds).toBe("programmes.errors.notDonor");
    expect((await programmeRow(id))!.name).toBe("Counter-trafficking partnership");
    expect(await fundingOf(id)).toEqual([prm.id]);
  });

  it("refuses bad input with a message per field: empty or 5,000-character name, bad dates, duplicate name", async () => {
    const { cookie } = await signedIn();
    createdId(await newProgramme(cookie, { name: "Essentials of Migration Management" }), "/programmes");
    const before = await counts();
    const empty = unwrap(await newProgramme(cookie, { name: "   ", code: "X" }));
    expect(empty.status).toBe(400);
    expect(empty.data.errors.name).toBe("errors.required");
    expect(empty.data.values.code).toBe("X");
    const huge = unwrap(await newProgramme(cookie, { name: "N".repeat(5000) }));
    expect(huge.status).toBe(400);
    expect(huge.data.errors.name).toBe("errors.tooLong|max=200");
    const backwards = unwrap(await newProgramme(cookie, { name: "Backwards", startDate: "2023-08-10", endDate: "2023-08-09" }));
    expect(backwards.status).toBe(400);
    expect(backwards.data.errors.endDate).toBe("programmes.errors.endBeforeStart");
    expect(backwards.data.values).toMatchObject({ name: "Backwards", startDate: "2023-08-10", endDate: "2023-08-09" });
    const impossible = unwrap(await newProgramme(cookie, { name: "Impossible", startDate: "2023-02-30" }));
    expect(impossible.data.errors.startDate).toBe("programmes.errors.date");
    const duplicate = unwrap(await newProgramme(cookie, { name: "essentials of migration management" }));
    expect(duplicate.status).toBe(400);
    expect(duplicate.data.errors.name).toBe("programmes.errors.nameTaken");
    expect(await counts()).toEqual(before);
  });

  it("the programme page lists its events (drafts included for coordinators) with dates and status", async () => {
    const { cookie } = await signedIn();
    const id = createdId(await newProgramme(cookie, { name: "Caribbean programme", donorIds: String(prm.id) }), "/programmes");
    const bahamas = await addEvent(id, "Identification and Protection of Victims of Trafficking", "completed", "2023-08-09", "2023-08-10");
    const followUp = await addEvent(id, "Training for officers in Bimini and Grand Bahama", "draft", "2024-03-04", "2024-03-05");
    const elsewhere = createdId(await newProgramme(cookie, { name: "Another programme" }), "/programmes");
    await addEvent(elsewhere, "Not in this programme", "open", "2023-07-26", "2023-07-28");

    const page = unwrap(await call(programmePage.loader, makeRequest(`/programmes/${id}`, { cookie }), { programmeId: String(id) }));
    expect(page.status).toBe(200);
    expect(page.data.programme.name).toBe("Caribbean programme");
    expect(page.data.donors.map((d: { id: number }) => d.id)).toEqual([prm.id]);
    expect(page.data.events).toEqual([
      expect.objectContaining({ id: followUp.id, title: followUp.title, status: "draft", startDate: "2024-03-04", endDate: "2024-03-05" }),
      expect.objectContaining({ id: bahamas.id, title: bahamas.title, status: "completed", startDate: "2023-08-09", endDate: "2023-08-10" }),
    ]);
    // the form offers donor organisations only
    expect(page.data.donorOptions.map((d: { id: number }) => d.id)).toEqual(expect.arrayContaining([prm.id, stateInl.id]));
    expect(page.data.donorOptions.map((d: { id: number }) => d.id)).not.toContain(immigration.id);

    const list = unwrap(await call(programmesIndex.loader, makeRequest("/programmes", { cookie })));
    const row = list.data.result.rows.find((r: { id: number }) => r.id === id);
    expect(row.events).toBe(2);
    expect(row.donors).toEqual([{ id: prm.id, name: "PRM", acronym: null }]);
  });

  it("pages a programme's events 50 at a time, newest first, with the count of all of them", async () => {
    const { cookie } = await signedIn();
    const id = createdId(await newProgramme(cookie, { name: "A programme of many trainings" }), "/programmes");
    // 120 events, one a week from January 2022
    const made = await Promise.all(Array.from({ length: 120 }, async (_, i) => {
      const day = new Date(Date.UTC(2022, 0, 3 + 7 * i)).toISOString().slice(0, 10);
      return await addEvent(id, `Training ${i + 1}`, "completed", day, day);
    }));
    const newestFirst = [...made].reverse().map((e) => e.id);
    const load = async (query: string) =>
      unwrap(await call(programmePage.loader, makeRequest(`/programmes/${id}${query}`, { cookie }), { programmeId: String(id) })).data;
    const first = await load("");
    expect(first.eventCount).toBe(120);
    expect([first.page, first.pageCount]).toEqual([1, 3]);
    expect(first.events.map((e: { id: number }) => e.id)).toEqual(newestFirst.slice(0, 50));
    const third = await load("?page=3");
    expect(third.page).toBe(3);
    expect(third.events.map((e: { id: number }) => e.id)).toEqual(newestFirst.slice(100));
    // past the last page: the last page; junk: the first
    expect((await load("?page=9")).events.map((e: { id: number }) => e.id)).toEqual(newestFirst.slice(100));
    expect((await load("?page=abc")).page).toBe(1);
  });

  it("answers 404 for a junk or unknown programme id", async () => {
    const { cookie } = await signedIn();
    for (const programmeId of ["abc", "0", "1e3", "999999"]) {
      const result = (await call(programmePage.loader, makeRequest(`/programmes/${programmeId}`, { cookie }), { programmeId })) as Response;
      expect(result.status).toBe(404);
    }
    const post = (await editProgramme(cookie, 999999, { name: "Ghost" })) as Response;
    expect(post.status).toBe(404);
  });
});

describe("organisations", () => {
  it("creates and edits an organisation (country validated, stored upper-case; audit)", async () => {
    const { cookie } = await signedIn("admin");
    const id = createdId(
      await newOrganisation(cookie, { name: "Royal Bahamas Police Force", acronym: "RBPF", kind: "government_partner", country: "bs" }),
      "/organisations",
    );
    const row = async () => firstRow(await getDb().select().from(organisations).where(eq(organisations.id, id)).limit(1))!;
    expect(await row()).toMatchObject({ name: "Royal Bahamas Police Force", acronym: "RBPF", kind: "government_partner", country: "BS" });
    expect(await auditFor("organisation.create", id)).toHaveLength(1);

    const edited = (await editOrganisation(cookie, id, { name: "Royal Bahamas Police Force", acronym: "", kind: "other", country: "" })) as Response;
    expect(edited.status).toBe(302);
    expect(await row()).toMatchObject({ acronym: null, kind: "other", country: null });
    expect(await auditFor("organisation.update", id)).toHaveLength(1);

    const page = unwrap(await call(organisationPage.loader, makeRequest(`/organisations/${id}`, { cookie }), { organisationId: String(id) }));
    expect(page.data.organisation).toMatchObject({ name: "Royal Bahamas Police Force", users: 0, people: 0, events: 0 });
  });

  it("refuses a duplicate name, an unknown country or kind and a 5,000-character name; nothing is saved", async () => {
    const { cookie } = await signedIn("coordinator");
    const before = await counts();
    const duplicate = unwrap(await newOrganisation(cookie, { name: "prm", kind: "donor", country: "US" }));
    expect(duplicate.status).toBe(400);
    expect(duplicate.data.errors.name).toBe("organisations.errors.nameTaken");
    expect(duplicate.data.values).toMatchObject({ name: "prm", kind: "donor", country: "US" });
    const badCountry = unwrap(await newOrganisation(cookie, { name: "Bahrain Ministry of Interior", kind: "government_partner", country: "XX" }));
    expect(badCountry.status).toBe(400);
    expect(badCountry.data.errors.country).toBe("organisations.errors.country");
    expect(badCountry.data.values.name).toBe("Bahrain Ministry of Interior");
    const badKind = unwrap(await newOrganisation(cookie, { name: "Bahrain Ministry of Interior", kind: "ministry" }));
    expect(badKind.data.errors.kind).toBe("errors.choice");
    const huge = unwrap(await newOrganisation(cookie, { name: "N".repeat(5000), kind: "media" }));
    expect(huge.status).toBe(400);
    expect(huge.data.errors.name).toBe("errors.tooLong|max=200");
    const empty = unwrap(await newOrganisation(cookie, { name: "", kind: "media" }));
    expect(empty.data.errors.name).toBe("errors.required");
    expect(await counts()).toEqual(before);

    // editing: renaming onto another organisation's name, or a bad country, changes nothing
    const rename = unwrap(await editOrganisation(cookie, immigration.id, { name: "PRM", kind: "government_partner", country: "BS" }));
    expect(rename.status).toBe(400);
    expect(rename.data.errors.name).toBe("organisations.errors.nameTaken");
    const editCountry = unwrap(await editOrganisation(cookie, immigration.id, { name: immigration.name, kind: "government_partner", country: "XX" }));
    expect(editCountry.data.errors.country).toBe("organisations.errors.country");
    expect(firstRow(await getDb().select().from(organisations).where(eq(organisations.id, immigration.id)).limit(1))).toMatchObject({
      name: "Bahamas Department of Immigration",
      country: "BS",
    });
    // keeping its own name is not a duplicate
    const same = (await editOrganisation(cookie, immigration.id, { name: immigration.name, acronym: "BDI", kind: "government_partner", country: "BS" })) as Response;
    expect(same.status).toBe(302);
  });

  it("a donor that funds a programme stays a donor", async () => {
    const { cookie } = await signedIn();
    const donor = await createOrganisation("Funding foundation", "donor", "CH");
    createdId(await newProgramme(cookie, { name: "Foundation-funded programme", donorIds: String(donor.id) }), "/programmes");
    const refused = unwrap(await editOrganisation(cookie, donor.id, { name: donor.name, kind: "other", country: "CH" }));
    expect(refused.status).toBe(400);
    expect(refused.data.errors.kind).toBe("organisations.errors.mustStayDonor");
    expect(firstRow(await getDb().select().from(organisations).where(eq(organisations.id, donor.id)).limit(1))!.kind).toBe("donor");
  });

  it("lists organisations with counts, filtered by kind", async () => {
    const { cookie } = await signedIn();
    await createUser({ role: "partner", organisationId: immigration.id });
    const all = unwrap(await call(organisationsIndex.loader, makeRequest("/organisations", { cookie })));
    const row = all.data.result.rows.find((r: { id: number }) => r.id === immigration.id);
    expect(row).toMatchObject({ name: "Bahamas Department of Immigration", kind: "government_partner", country: "BS", users: 1, people: 0, events: 0 });
    const donors = unwrap(await call(organisationsIndex.loader, makeRequest("/organisations?kind=donor", { cookie })));
    expect(donors.data.filters.kind).toBe("donor");
    expect(donors.data.result.rows.length).toBeGreaterThan(0);
    expect(donors.data.result.rows.every((r: { kind: string }) => r.kind === "donor")).toBe(true);
    // an unknown kind shows everything rather than failing
    const junk = unwrap(await call(organisationsIndex.loader, makeRequest("/organisations?kind=<script>", { cookie })));
    expect(junk.data.filters.kind).toBeUndefined();
    expect(junk.data.result.total).toBe(all.data.result.total);
  });

  it("answers 404 for a junk or unknown organisation id", async () => {
    const { cookie } = await signedIn();
    for (const organisationId of ["abc", "-1", "999999"]) {
      const result = (await call(organisationPage.loader, makeRequest(`/organisations/${organisationId}`, { cookie }), { organisationId })) as Response;
      expect(result.status).toBe(404);
    }
  });
});

type Endpoint = {
  name: string;
  fn: unknown;
  path: string;
  params: Record<string, string>;
  form?: Record<string, string>;
};

describe("access", () => {
  const loaders: Endpoint[] = [
    { name: "programmes list", fn: programmesIndex.loader, path: "/programmes", params: {} },
    { name: "new programme", fn: programmesNew.loader, path: "/programmes/new", params: {} },
    { name: "programme page", fn: programmePage.loader, path: "/programmes/1", params: { programmeId: "1" } },
    { name: "organisations list", fn: organisationsIndex.loader, path: "/organisations?kind=donor", params: {} },
    { name: "new organisation", fn: organisationsNew.loader, path: "/organisations/new", params: {} },
    { name: "organisation page", fn: organisationPage.loader, path: `/organisations/${prm.id}`, params: { organisationId: String(prm.id) } },
  ];
  const actions: Endpoint[] = [
    { name: "create programme", fn: programmesNew.action, path: "/programmes/new", params: {}, form: { name: "Sneaky", donorIds: String(prm.id) } },
    { name: "edit programme", fn: programmePage.action, path: "/programmes/1", params: { programmeId: "1" }, form: { name: "Sneaky" } },
    { name: "create organisation", fn: organisationsNew.action, path: "/organisations/new", params: {}, form: { name: "Sneaky", kind: "donor" } },
    {
      name: "edit organisation",
      fn: organisationPage.action,
      path: `/organisations/${prm.id}`,
      params: { organisationId: String(prm.id) },
      form: { name: "Sneaky", kind: "donor" },
    },
  ];

  it("sends anonymous visitors to sign in, then back", async () => {
    const requests = [
      ...loaders.map((l) => ({ ...l, form: undefined })),
      ...actions,
    ];
    for (const { fn, path, params, form } of requests) {
      const response = (await call(fn as never, makeRequest(path, { form }), params)) as Response;
      expect(response.status, path).toBe(302);
      expect(response.headers.get("Location")).toBe(`/login?${new URLSearchParams({ redirectTo: path })}`);
    }
  });

  it("refuses participants, partners, facilitators and donors (403) on every page and action, changing nothing", async () => {
    const { cookie } = await signedIn();
    const id = createdId(await newProgramme(cookie, { name: "Guarded programme" }), "/programmes");
    const paramsFor = (params: Record<string, string>) => ("programmeId" in params ? { programmeId: String(id) } : params);
    const pathFor = (path: string) => path.replace("/programmes/1", `/programmes/${id}`);
    const before = await counts();
    for (const role of ["participant", "partner", "facilitator", "donor"] as const) {
      const user = await createUser({ role, organisationId: role === "donor" ? prm.id : role === "partner" ? immigration.id : null });
      const roleCookie = await sessionCookie(user);
      for (const { name, fn, path, params } of loaders) {
        const response = (await call(fn as never, makeRequest(pathFor(path), { cookie: roleCookie }), paramsFor(params))) as Response;
        expect(response.status, `${role} → ${name}`).toBe(403);
      }
      for (const { name, fn, path, params, form } of actions) {
        const response = (await call(fn as never, makeRequest(pathFor(path), { form, cookie: roleCookie }), paramsFor(params))) as Response;
        expect(response.status, `${role} → ${name}`).toBe(403);
      }
    }
    expect(await counts()).toEqual(before);
    expect((await programmeRow(id))!.name).toBe("Guarded programme");
    expect(firstRow(await getDb().select().from(organisations).where(eq(organisations.id, prm.id)).limit(1))!.name).toBe("PRM");
  });
});
