import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb, firstRow } from "../../db/client";
import { eventPartners, events, organisations, people, users } from "../../db/schema";
import { DEMO_EVENTS, seedDemo } from "../../db/seed/demo";
import { ORGANISATION_LIST_LIMIT, organisationChoices, searchOrganisations } from "~/models/organisations.server";
import * as choicesRoute from "~/routes/organisation-choices";
import * as peopleIndex from "~/routes/people._index";
import * as peopleNew from "~/routes/people.new";
import * as personPage from "~/routes/people.$personId";
import * as rosterAdd from "~/routes/events.$eventId.roster_.add";
import * as register from "~/routes/events_.$eventId.register";
import * as eventNew from "~/routes/events.new";
import * as usersNew from "~/routes/admin.users.new";
import * as userPage from "~/routes/admin.users.$userId";
import * as followUpNew from "~/routes/follow-ups.new";
import * as rosterImport from "~/routes/events.$eventId.roster_.import";
import * as rosterNames from "~/routes/events.$eventId.roster.organisations[.]csv";
import * as eventEdit from "~/routes/events.$eventId.edit";
import { call, makeRequest, sessionCookie, unwrap } from "../setup/helpers";

/**
 * Forms list the organisations to choose from while there are at most ORGANISATION_LIST_LIMIT;
 * beyond, they search them through /organisation-choices (a global organisation's thousands of
 * agencies made each such form weigh more than half a megabyte).
 */
let coordinator: string;
let participant: string;
let openEventId: number;
let portAuthority: number;
let donor: number;

const cookieOf = async (email: string) => {
  const user = firstRow(await getDb().select().from(users).where(eq(users.email, email)).limit(1))!;
  return await sessionCookie({ id: user.id, role: user.role });
};
const addOrganisations = async (n: number, prefix: string) =>
  await getDb()
    .insert(organisations)
    .values(Array.from({ length: n }, (_, i) => ({ name: `${prefix} ${String(i + 1).padStart(4, "0")}`, kind: "government_partner" as const, country: "BS" })));
const countAll = async () => (await getDb().select().from(organisations)).length;

beforeAll(async () => {
  await seedDemo(getDb(), { today: new Date("2026-11-22T12:00:00Z") });
  coordinator = await cookieOf("coordinator@example.org");
  participant = await cookieOf("participant@example.org");
  openEventId = firstRow(await getDb().select().from(events).where(eq(events.title, DEMO_EVENTS.followUp)).limit(1))!.id;
  portAuthority = (await getDb().insert(organisations).values({ name: "Grand Bahama Port Authority", acronym: "GBPA", kind: "government_partner", country: "BS" }).returning())[0].id;
  donor = (await getDb().insert(organisations).values({ name: "Port Development Fund 100%", kind: "donor" }).returning())[0].id;
});

describe("organisation choices", () => {
  it("lists every organisation while there are few, then none past the limit (forms search instead)", async () => {
    const few = (await organisationChoices("all"))!;
    expect(few.map((o) => o.id)).toEqual(expect.arrayContaining([portAuthority, donor]));
    expect((await organisationChoices("nonDonor"))!.map((o) => o.id)).not.toContain(donor);
    const form = unwrap(await call(peopleNew.loader, makeRequest("/people/new", { cookie: coordinator }))).data;
    expect(form.organisations.choices).toHaveLength(await countAll());

    await addOrganisations(ORGANISATION_LIST_LIMIT - (await countAll()), "Filler Agency");
    expect(await organisationChoices("all")).toHaveLength(ORGANISATION_LIST_LIMIT);
    await addOrganisations(1, "One Too Many Agency");
    expect(await organisationChoices("all")).toBeNull();
    // all but donors: still a list, until they too are more than the limit
    const donors = (await getDb().select().from(organisations).where(eq(organisations.kind, "donor"))).length;
    expect(await organisationChoices("nonDonor")).toHaveLength(ORGANISATION_LIST_LIMIT + 1 - donors);
    await addOrganisations(donors, "Extra Agency");
    expect(await organisationChoices("nonDonor")).toBeNull();
  });

  it("gives the forms no list past the limit, but the organisation already chosen", async () => {
    const form = unwrap(await call(peopleNew.loader, makeRequest("/people/new", { cookie: coordinator }))).data;
    expect(form.organisations).toEqual({ choices: null, current: null });

    const person = (await getDb().insert(people).values({ givenName: "Kendra", familyName: "Pinder", organisationId: portAuthority }).returning())[0];
    const page = unwrap(await call(personPage.loader, makeRequest(`/people/${person.id}`, { cookie: coordinator }), { personId: String(person.id) })).data;
    expect(page.organisations).toEqual({ choices: null, current: { id: portAuthority, name: "Grand Bahama Port Authority", acronym: "GBPA", kind: "government_partner" } });

    const filtered = unwrap(await call(peopleIndex.loader, makeRequest(`/people?organisationId=${portAuthority}`, { cookie: coordinator }))).data;
    expect(filtered.organisations.current.id).toBe(portAuthority);
    expect(filtered.result.rows.map((r: { id: number }) => r.id)).toEqual([person.id]);

    const roster = unwrap(await call(rosterAdd.loader, makeRequest(`/events/${openEventId}/roster/add`, { cookie: coordinator }), { eventId: String(openEventId) })).data;
    expect(roster.organisations).toBeNull();
    const publicPage = unwrap(await call(register.loader, makeRequest(`/events/${openEventId}/register`), { eventId: String(openEventId) })).data;
    expect(JSON.stringify(publicPage)).not.toContain("Filler Agency");
  });

  it("gives the event form no partner list past the limit, but the event's partners so far", async () => {
    const fresh = unwrap(await call(eventNew.loader, makeRequest("/events/new", { cookie: coordinator }))).data;
    expect(fresh.options.partners).toBeNull();
    expect(fresh.options.chosenPartners).toEqual([]);
    await getDb().insert(eventPartners).values({ eventId: openEventId, organisationId: portAuthority });
    const edit = unwrap(await call(eventEdit.loader, makeRequest(`/events/${openEventId}/edit`, { cookie: coordinator }), { eventId: String(openEventId) })).data;
    expect(edit.options.partners).toBeNull();
    const partnerIds = (await getDb().select().from(eventPartners).where(eq(eventPartners.eventId, openEventId))).map((p) => p.organisationId);
    expect(edit.options.chosenPartners.map((o: { id: number }) => o.id).sort()).toEqual([...partnerIds].sort());
    expect(edit.options.chosenPartners.find((o: { id: number }) => o.id === portAuthority)).toMatchObject({ name: "Grand Bahama Port Authority", kind: "government_partner" });
  });

  it("gives a user's form and a follow-up request no list past the limit either", async () => {
    const admin = await cookieOf("admin@example.org");
    const invite = unwrap(await call(usersNew.loader, makeRequest("/admin/users/new", { cookie: admin }))).data;
    expect(invite.organisations).toEqual({ choices: null, current: null });
    const partnerUser = firstRow(await getDb().select().from(users).where(eq(users.email, "partner@example.org")).limit(1))!;
    const account = unwrap(await call(userPage.loader, makeRequest(`/admin/users/${partnerUser.id}`, { cookie: admin }), { userId: partnerUser.id })).data;
    expect(account.organisations.choices).toBeNull();
    expect(account.organisations.current.id).toBe(partnerUser.organisationId);

    // government partners only: a list until they alone are more than the limit
    const listed = unwrap(await call(followUpNew.loader, makeRequest("/follow-ups/new", { cookie: coordinator }))).data;
    expect(listed.options.agencies.every((a: { kind: string }) => a.kind === "government_partner")).toBe(true);
    await addOrganisations(ORGANISATION_LIST_LIMIT + 1 - listed.options.agencies.length, "More Agency");
    const followUp = unwrap(await call(followUpNew.loader, makeRequest("/follow-ups/new", { cookie: coordinator }))).data;
    expect(followUp.options.agencies).toBeNull();
    // a partner files for their own agency: no choice, whatever the number of organisations
    const partner = await cookieOf("partner@example.org");
    const own = unwrap(await call(followUpNew.loader, makeRequest("/follow-ups/new", { cookie: partner }))).data;
    expect(own.options.fixedAgency.id).toBe(partnerUser.organisationId);
    expect((await searchOrganisations("governmentPartner", "port")).map((o) => o.id)).toEqual([portAuthority]);
    expect(await searchOrganisations("governmentPartner", "fund")).toEqual([]);
  });

  it("offers a roster file's organisation names as a file to download past the limit, not as a list", async () => {
    const page = unwrap(await call(rosterImport.loader, makeRequest(`/events/${openEventId}/roster/import`, { cookie: coordinator }), { eventId: String(openEventId) })).data;
    expect(page.organisations).toBeNull();
    const nonDonors = (await getDb().select().from(organisations)).filter((o) => o.kind !== "donor");
    expect(page.organisationCount).toBe(nonDonors.length);
    const file = (await call(rosterNames.loader, makeRequest(`/events/${openEventId}/roster/organisations.csv`, { cookie: coordinator }), { eventId: String(openEventId) })) as Response;
    expect(file.status).toBe(200);
    const lines = (await file.text()).replace(/^\uFEFF/, "").trim().split("\r\n");
    expect(lines[0]).toBe("organisation");
    expect(lines.slice(1)).toHaveLength(nonDonors.length);
    expect(lines).toContain("Grand Bahama Port Authority");
    expect(lines).not.toContain("Port Development Fund 100%");
  });

  it("finds organisations by words of their name or acronym, in any case, donors only for a person's record", async () => {
    expect((await searchOrganisations("nonDonor", "gbpa")).map((o) => o.id)).toEqual([portAuthority]);
    expect((await searchOrganisations("nonDonor", "  PORT   grand ")).map((o) => o.id)).toEqual([portAuthority]);
    expect(await searchOrganisations("nonDonor", "port fund")).toEqual([]);
    expect((await searchOrganisations("all", "port fund")).map((o) => o.id)).toEqual([donor]);
    // % and _ are letters, not patterns
    expect((await searchOrganisations("all", "100%")).map((o) => o.id)).toEqual([donor]);
    expect(await searchOrganisations("all", "%")).toEqual(await searchOrganisations("all", "100%"));
    expect(await searchOrganisations("all", "_")).toEqual([]);
    // at most 30, by name
    const many = await searchOrganisations("all", "filler");
    expect(many).toHaveLength(30);
    expect(many[0].name).toBe("Filler Agency 0001");
    expect(await searchOrganisations("all", "   ")).toEqual([]);
  });

  it("answers the search: non-donors to anyone (the registration page lists them), every organisation to staff only", async () => {
    const anonymous = unwrap(await call(choicesRoute.loader, makeRequest("/organisation-choices?scope=nonDonor&q=port")));
    expect(anonymous.status).toBe(200);
    expect(anonymous.headers.get("Cache-Control")).toBe("no-store");
    expect(anonymous.data.organisations).toEqual([{ id: portAuthority, name: "Grand Bahama Port Authority", acronym: "GBPA", kind: "government_partner" }]);

    const staff = unwrap(await call(choicesRoute.loader, makeRequest("/organisation-choices?scope=all&q=port", { cookie: coordinator })));
    expect(staff.data.organisations.map((o: { id: number }) => o.id)).toEqual([portAuthority, donor]);

    // every organisation (donors included) is not for participants, nor for anonymous visitors
    const refused = unwrap(await call(choicesRoute.loader, makeRequest("/organisation-choices?scope=all&q=port", { cookie: participant })));
    expect(refused.status).toBe(403);
    const signIn = unwrap(await call(choicesRoute.loader, makeRequest("/organisation-choices?scope=all&q=port")));
    expect(signIn.status).toBe(302);
    const agencies = unwrap(await call(choicesRoute.loader, makeRequest("/organisation-choices?scope=governmentPartner&q=port", { cookie: coordinator })));
    expect(agencies.data.organisations.map((o: { id: number }) => o.id)).toEqual([portAuthority]);
    expect(unwrap(await call(choicesRoute.loader, makeRequest("/organisation-choices?scope=governmentPartner&q=port"))).status).toBe(302);
  });
});
