import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb, firstRow } from "../../db/client";
import { events, users } from "../../db/schema";
import { DEMO_EVENTS, seedDemo } from "../../db/seed/demo";
import type { Actor } from "~/auth/session.server";
import { setClock } from "~/lib/clock";
import { createApiToken } from "~/models/api-tokens.server";
import * as tokensPage from "~/routes/account_.tokens";
import * as eventsApi from "~/api/api.v1.events";
import * as registrationApi from "~/api/api.v1.events_.$eventId_.registrations_.$registrationId";
import * as rosterApi from "~/api/api.v1.events_.$eventId_.registrations";
import * as rosterPage from "~/routes/events.$eventId.roster";
import { call, makeRequest, rawAll, rawGet, sessionCookie, unwrap } from "../setup/helpers";
import { expectMatchesOpenApi } from "../setup/openapi";

/**
 * The roster through the API: the done-when journey (a coordinator creates a token on
 * /account/tokens, lists events, adds a person to a roster, and the person is on the roster page),
 * the roster page's rights for every role (a donor's token 403, a partner's only its agency), the
 * page's checks on what is sent, idempotent retries, the audit, and junk of every kind — each
 * answer checked against the OpenAPI document.
 */

const TODAY = new Date("2026-11-22T12:00:00Z");
const db = () => getDb();
const actors: Record<string, Actor> = {};
const tokens: Record<string, string> = {};
let vi = 0;
let draft = 0;
let bahrain = 0;

async function actorOf(role: string): Promise<Actor> {
  const u = firstRow(await db().select().from(users).where(eq(users.email, `${role}@example.org`)).limit(1))!;
  return { user: { id: u.id, email: u.email, name: u.name, role: u.role, organisationId: u.organisationId, locale: u.locale }, ip: "127.0.0.1" };
}

/** An audit entry's details: JSON text on SQLite, already parsed (jsonb) on PostgreSQL. */
const detailsOf = (details: unknown) => (typeof details === "string" ? JSON.parse(details) : details);
const eventIdOf = async (title: string) => firstRow(await db().select({ id: events.id }).from(events).where(eq(events.title, title)).limit(1))!.id;

function send(token: string | undefined, path: string, init: { method?: string; body?: unknown; raw?: string; type?: string; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...init.headers };
  const body = init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body));
  if (body !== undefined) headers["Content-Type"] = init.type ?? "application/json";
  return new Request(`http://localhost:3000${path}`, { method: init.method ?? (body === undefined ? "GET" : "POST"), headers: { "x-convene-client-ip": "203.0.113.9", ...headers }, body });
}

const roster = (token: string | undefined, eventId: number | string, query = "", init: Parameters<typeof send>[2] = {}) =>
  rosterApi[init.body !== undefined || init.raw !== undefined || (init.method && init.method !== "GET") ? "action" : "loader"]({
    request: send(token, `/api/v1/events/${eventId}/registrations${query}`, init),
    params: { eventId: String(eventId) },
    context: {},
  });

async function allPages(token: string, eventId: number) {
  const ids: number[] = [];
  let cursor = "";
  for (let i = 0; i < 200; i++) {
    const response = await roster(token, eventId, `?limit=7${cursor ? `&cursor=${cursor}` : ""}`);
    expect(response.status).toBe(200);
    const body = await expectMatchesOpenApi("/events/{eventId}/registrations", "get", response);
    ids.push(...body.data.map((r: { id: number }) => r.id));
    if (!body.next) return { ids, last: body };
    cursor = body.next;
  }
  throw new Error("too many pages");
}

beforeAll(async () => {
  setClock(() => TODAY.getTime());
  await seedDemo(db(), { today: TODAY });
  for (const role of ["admin", "coordinator", "facilitator", "participant", "partner", "donor"]) {
    actors[role] = await actorOf(role);
    tokens[role] = (await createApiToken(actors[role], { name: `${role} sync`, access: "write", lifetimeDays: 30 })).secret;
  }
  tokens.readOnly = (await createApiToken(actors.coordinator, { name: "read only", access: "read", lifetimeDays: 30 })).secret;
  vi = await eventIdOf(DEMO_EVENTS.victimIdentification);
  draft = await eventIdOf(DEMO_EVENTS.draft);
  bahrain = await eventIdOf(DEMO_EVENTS.bahrain);
});

describe("the done-when journey", () => {
  it("a coordinator creates a token on /account/tokens, lists events, adds a person through the API, and finds them on the roster page", async () => {
    const cookie = await sessionCookie({ id: actors.coordinator.user.id, role: "coordinator" });
    const created = unwrap(await call(tokensPage.action, makeRequest("/account/tokens", { cookie, form: { intent: "create", name: "HR sync", access: "write", lifetimeDays: "90" } })));
    expect(created.status).toBe(200);
    const secret = created.data.secret as string;

    const listed = await eventsApi.loader({ request: send(secret, "/api/v1/events?limit=100&country=BS"), params: {}, context: {} });
    const page = await expectMatchesOpenApi("/events", "get", listed);
    const target = page.data.find((e: { title: string }) => e.title === DEMO_EVENTS.victimIdentification);
    expect(target.id).toBe(vi);

    const key = "8d3c1f0e-5a7b-4c2d-9e8f-0123456789ab";
    const person = { givenName: "Shanique", familyName: "Fergusson-Knowlesby", email: "s.ferguson@immigration.example.bs", sex: "female", roleCategory: "immigration_officer", eventRole: "participant", status: "confirmed" };
    const added = await roster(secret, vi, "", { body: person, headers: { "Idempotency-Key": key } });
    expect(added.status).toBe(201);
    const registration = await expectMatchesOpenApi("/events/{eventId}/registrations", "post", added);
    expect(registration).toMatchObject({ givenName: "Shanique", familyName: "Fergusson-Knowlesby", eventRole: "participant", status: "confirmed" });
    expect(added.headers.get("Location")).toBe(`/api/v1/events/${vi}/registrations/${registration.id}`);

    // a retry with the same key (a dropped connection) creates nothing more and answers with the same registration
    const retried = await roster(secret, vi, "", { body: person, headers: { "Idempotency-Key": key } });
    expect(retried.status).toBe(200);
    expect(retried.headers.get("Idempotent-Replayed")).toBe("true");
    expect((await expectMatchesOpenApi("/events/{eventId}/registrations", "post", retried)).id).toBe(registration.id);
    const people = await rawAll("select p.id from people p join registrations r on r.person_id = p.id where r.event_id = ? and p.email = ?", vi, person.email);
    expect(people).toHaveLength(1);

    // the roster page lists the person
    const pageData = unwrap(await call(rosterPage.loader, makeRequest(`/events/${vi}/roster?q=Knowlesby`, { cookie }), { eventId: String(vi) })).data;
    expect(pageData.rows.map((r: { id: number }) => r.id)).toEqual([registration.id]);

    // audited as the page's action is, saying it came through this API token
    const audit = await rawGet<{ details: string; user_id: string }>("select details, user_id from audit_log where action = 'registration.create' and entity_id = ?", String(registration.id));
    const details = detailsOf(audit!.details);
    const tokenId = Number((await rawGet<{ id: number }>("select id from api_tokens where name = 'HR sync'"))!.id);
    expect(details).toMatchObject({ eventId: vi, source: "roster", channel: "api", apiTokenId: tokenId });
    expect(audit!.user_id).toBe(actors.coordinator.user.id);

    // and the registration reads back on its own
    const one = await registrationApi.loader({ request: send(secret, `/api/v1/events/${vi}/registrations/${registration.id}`), params: { eventId: String(vi), registrationId: String(registration.id) }, context: {} });
    expect((await expectMatchesOpenApi("/events/{eventId}/registrations/{registrationId}", "get", one)).id).toBe(registration.id);
  });

  it("adds a person of the registry by id; a second time is a 409 conflict that changes nothing", async () => {
    const someone = (await rawGet<{ id: number }>(
      "select p.id from people p where p.anonymised_at is null and not exists (select 1 from registrations r where r.person_id = p.id and r.event_id = ?) order by p.id limit 1",
      vi,
    ))!;
    const first = await roster(tokens.coordinator, vi, "", { body: { personId: Number(someone.id), eventRole: "observer", status: "confirmed" } });
    expect(first.status).toBe(201);
    expect((await expectMatchesOpenApi("/events/{eventId}/registrations", "post", first))).toMatchObject({ personId: Number(someone.id), eventRole: "observer" });
    const before = await rawAll("select id from registrations order by id");
    const again = await roster(tokens.coordinator, vi, "", { body: { personId: Number(someone.id) } });
    expect(again.status).toBe(409);
    expect((await expectMatchesOpenApi("/events/{eventId}/registrations", "post", again)).errors).toEqual([{ field: "personId", code: "registration.errors.alreadyOnRoster" }]);
    expect(await rawAll("select id from registrations order by id")).toEqual(before);
  });
});

describe("who reads a roster through the API (the roster page's rights)", () => {
  it("gives staff every row in id order, in pages that neither skip nor repeat", async () => {
    const { ids } = await allPages(tokens.coordinator, vi);
    const all = await rawAll<{ id: number }>("select id from registrations where event_id = ? order by id", vi);
    expect(ids).toEqual(all.map((r) => Number(r.id)));
  });

  it("gives the event's facilitator the roster, and a partner only its own agency's people", async () => {
    const facilitator = await allPages(tokens.facilitator, vi);
    expect(facilitator.ids.length).toBeGreaterThan(0);
    const partner = await allPages(tokens.partner, vi);
    const own = await rawAll<{ id: number }>(
      "select r.id from registrations r join people p on p.id = r.person_id where r.event_id = ? and p.organisation_id = ? order by r.id",
      vi,
      actors.partner.user.organisationId,
    );
    expect(own.length).toBeGreaterThan(0);
    expect(partner.ids).toEqual(own.map((r) => Number(r.id)));
    expect(partner.ids.length).toBeLessThan(facilitator.ids.length);
    // another agency's registration, asked for by id: not found
    const other = (await rawGet<{ id: number }>(
      "select r.id from registrations r join people p on p.id = r.person_id where r.event_id = ? and (p.organisation_id is null or p.organisation_id <> ?) limit 1",
      vi,
      actors.partner.user.organisationId,
    ))!;
    const refused = await registrationApi.loader({ request: send(tokens.partner, `/api/v1/events/${vi}/registrations/${other.id}`), params: { eventId: String(vi), registrationId: String(other.id) }, context: {} });
    expect(refused.status).toBe(404);
    await expectMatchesOpenApi("/events/{eventId}/registrations/{registrationId}", "get", refused);
  });

  it("refuses a donor's token and a participant's with 403, and says nothing of events they may not see (404)", async () => {
    for (const role of ["donor", "participant"]) {
      const response = await roster(tokens[role], vi);
      expect(response.status, role).toBe(403);
      const body = await expectMatchesOpenApi("/events/{eventId}/registrations", "get", response);
      expect(JSON.stringify(body)).not.toContain("Knowlesby");
    }
    // a draft is invisible to all but staff; an unknown event is the same 404
    for (const [role, eventId] of [["partner", draft], ["donor", draft], ["facilitator", draft], ["partner", bahrain], ["coordinator", 999999]] as const) {
      const response = await roster(tokens[role], eventId);
      expect(response.status, `${role} ${eventId}`).toBe(404);
      await expectMatchesOpenApi("/events/{eventId}/registrations", "get", response);
    }
  });

  it("lets only admins and coordinators add to a roster (the page's 403), and never with a read-only token", async () => {
    const before = await rawAll("select id from registrations order by id");
    const body = { givenName: "Not", familyName: "Added", eventRole: "participant", status: "confirmed" };
    for (const role of ["facilitator", "partner", "participant", "donor", "readOnly"]) {
      const response = await roster(tokens[role], vi, "", { body });
      expect(response.status, role).toBe(role === "readOnly" ? 403 : 403);
      const problem = await expectMatchesOpenApi("/events/{eventId}/registrations", "post", response);
      if (role === "readOnly") expect(problem.type).toContain("read-only-token");
    }
    // a partner adding to a draft it cannot see: not found, as on the page
    expect((await roster(tokens.partner, draft, "", { body })).status).toBe(403);
    expect(await rawAll("select id from registrations order by id")).toEqual(before);
  });
});

describe("what a roster addition checks (the roster form's rules)", () => {
  it("answers 422 with a code per field, and creates nothing", async () => {
    const before = await rawAll("select id from registrations order by id");
    const peopleBefore = await rawAll("select id from people order by id");
    const cases: [unknown, { field: string; code: string }[]][] = [
      [{ familyName: "Rolle" }, [{ field: "givenName", code: "errors.required" }]],
      [{ givenName: "A", familyName: "B", email: "not an email" }, [{ field: "email", code: "errors.email" }]],
      [{ givenName: "A", familyName: "B", eventRole: "king" }, [{ field: "eventRole", code: "errors.choice" }]],
      [{ givenName: "A", familyName: "B", organisationId: 99999999 }, [{ field: "organisationId", code: "errors.choice" }]],
      [{ givenName: "x".repeat(101), familyName: "B" }, [{ field: "givenName", code: "errors.tooLong" }]],
      [{ givenName: "A", familyName: "B", isAdmin: true }, [{ field: "isAdmin", code: "errors.unknownField" }]],
      [{ givenName: { first: "A" }, familyName: "B" }, [{ field: "givenName", code: "errors.type" }]],
      [{ personId: "abc" }, [{ field: "personId", code: "errors.choice" }]],
      [{ personId: 99999999 }, [{ field: "personId", code: "errors.choice" }]],
      [{ personId: 1, givenName: "Mallory" }, [{ field: "givenName", code: "errors.unknownField" }]],
    ];
    for (const [body, errors] of cases) {
      const response = await roster(tokens.coordinator, vi, "", { body });
      expect(response.status, JSON.stringify(body)).toBe(422);
      const problem = await expectMatchesOpenApi("/events/{eventId}/registrations", "post", response);
      expect(problem.errors.map((e: { field: string; code: string }) => ({ field: e.field, code: e.code })), JSON.stringify(body)).toEqual(errors);
      if (errors[0].code === "errors.tooLong") expect(problem.errors[0].values).toEqual({ max: "100" });
    }
    expect(await rawAll("select id from registrations order by id")).toEqual(before);
    expect(await rawAll("select id from people order by id")).toEqual(peopleBefore);
  });

  it("refuses junk: another content type (415), a body over the limit (413), broken JSON or not an object (400), a bad key (400), another method (405)", async () => {
    const before = await rawAll("select id from registrations order by id");
    const junk: [Parameters<typeof send>[2], number][] = [
      [{ raw: "givenName=A&familyName=B", type: "application/x-www-form-urlencoded" }, 415],
      [{ raw: "givenName=A", type: "text/plain" }, 415],
      [{ raw: JSON.stringify({ givenName: "A", familyName: "B", position: "x".repeat(1_000_000) }) }, 413],
      [{ raw: "{\"givenName\": \"A\"," }, 400],
      [{ raw: "[1, 2, 3]" }, 400],
      [{ raw: "null" }, 400],
      [{ raw: "\"text\"" }, 400],
      [{ body: { givenName: "A", familyName: "B" }, headers: { "Idempotency-Key": "short" } }, 400],
    ];
    for (const [init, status] of junk) {
      const response = await roster(tokens.coordinator, vi, "", init);
      expect(response.status, JSON.stringify(init).slice(0, 80)).toBe(status);
      expect(response.headers.get("Content-Type")).toBe("application/problem+json");
      await expectMatchesOpenApi("/events/{eventId}/registrations", "post", response);
    }
    const put = await roster(tokens.coordinator, vi, "", { method: "PUT", body: {} });
    expect(put.status).toBe(405);
    expect(put.headers.get("Allow")).toBe("GET, POST");
    expect(await rawAll("select id from registrations order by id")).toEqual(before);
  });

  it("refuses bad ids and cursors without a trace of what exists", async () => {
    for (const eventId of ["abc", "0", "-1", "1.5", "99999999999", "1e3"]) {
      const response = await roster(tokens.coordinator, eventId);
      expect(response.status, eventId).toBe(404);
      await expectMatchesOpenApi("/events/{eventId}/registrations", "get", response);
    }
    for (const query of ["?cursor=nonsense!", "?cursor=aWQ6eA", "?limit=0", "?limit=101", "?limit=ten", "?limit=1e2"]) {
      const response = await roster(tokens.coordinator, vi, query);
      expect(response.status, query).toBe(400);
      await expectMatchesOpenApi("/events/{eventId}/registrations", "get", response);
    }
    expect((await roster(undefined, vi)).status).toBe(401);
  });

  it("answers 304 to If-None-Match while the roster page is unchanged", async () => {
    const first = await roster(tokens.coordinator, vi, "?limit=5");
    const etag = first.headers.get("ETag")!;
    const again = await roster(tokens.coordinator, vi, "?limit=5", { headers: { "If-None-Match": etag } });
    expect(again.status).toBe(304);
    await expectMatchesOpenApi("/events/{eventId}/registrations", "get", again);
  });
});
