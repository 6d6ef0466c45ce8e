import { Validator } from "@seriousme/openapi-schema-validator";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb, firstRow } from "../../db/client";
import { users } from "../../db/schema";
import { seedDemo } from "../../db/seed/demo";
import type { Actor } from "~/auth/session.server";
import { apiLimit } from "~/lib/api.server";
import { OPENAPI } from "~/lib/openapi";
import { setClock } from "~/lib/clock";
import { createApiToken, revokeApiToken } from "~/models/api-tokens.server";
import { FieldError } from "~/models/field-error.server";
import * as tokensPage from "~/routes/account_.tokens";
import * as eventsApi from "~/api/api.v1.events";
import * as openapiJson from "~/api/api.v1.openapi[.]json";
import { call, makeRequest, rawAll, rawGet, rawRun, sessionCookie, unwrap } from "../setup/helpers";
import { expectMatchesOpenApi } from "../setup/openapi";

/**
 * The API (/api/v1): personal access tokens (created on /account/tokens, shown once, kept as a
 * hash, revocable, expiring), the events list with the pages' permissions and the donors'
 * disclosure control, cursor pages, ETags, the rate limit, problem details for every error — every
 * response checked against the OpenAPI document, which itself validates.
 */

const TODAY = new Date("2026-11-22T12:00:00Z");
const db = () => getDb();
const actors: Record<string, Actor> = {};
const cookies: Record<string, string> = {};

async function actorOf(role: string): Promise<Actor> {
  const u = firstRow(await db().select().from(users).where(eq(users.email, `${role}@example.org`)).limit(1))!;
  return { user: { id: u.id, email: u.email, name: u.name, role: u.role, organisationId: u.organisationId, locale: u.locale }, ip: "127.0.0.1" };
}

function get(path: string, token?: string, headers: Record<string, string> = {}) {
  return eventsApi.loader({ request: makeRequest(path, { headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...headers } }), params: {}, context: {} });
}

beforeAll(async () => {
  setClock(() => TODAY.getTime());
  await seedDemo(db(), { today: TODAY });
  for (const role of ["admin", "coordinator", "facilitator", "participant", "partner", "donor"]) {
    actors[role] = await actorOf(role);
    cookies[role] = await sessionCookie({ id: actors[role].user.id, role: actors[role].user.role });
  }
});

describe("the OpenAPI document", () => {
  it("is a valid OpenAPI 3.1 document, served at /api/v1/openapi.json", async () => {
    const result = await new Validator().validate(structuredClone(OPENAPI) as unknown as Parameters<Validator["validate"]>[0]);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    const response = openapiJson.loader();
    expect(response.headers.get("Content-Type")).toContain("application/json");
    expect((await response.json()).openapi).toBe("3.1.0");
  });
});

describe("access tokens", () => {
  it("are created on /account/tokens and shown once; only a hash is stored", async () => {
    const created = unwrap(
      await call(tokensPage.action, makeRequest("/account/tokens", { cookie: cookies.coordinator, form: { intent: "create", name: "ActivityInfo sync", access: "read", lifetimeDays: "30" } })),
    );
    expect(created.status).toBe(200);
    const secret = created.data.secret as string;
    expect(secret).toMatch(/^cvn_[A-Za-z0-9_-]{43}$/);
    const row = (await rawGet<{ token_hash: string; prefix: string }>("select token_hash, prefix from api_tokens where name = 'ActivityInfo sync'"))!;
    expect(row.token_hash).not.toContain(secret.slice(4));
    expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(secret.startsWith(row.prefix)).toBe(true);
    const page = unwrap(await call(tokensPage.loader, makeRequest("/account/tokens", { cookie: cookies.coordinator })));
    expect(JSON.stringify(page.data)).not.toContain(secret);
    expect(page.data.tokens[0]).toMatchObject({ name: "ActivityInfo sync", access: "read", state: "active" });
    const audit = await rawAll("select action from audit_log where action = 'api_token.create'");
    expect(audit).toHaveLength(1);
  });

  it("refuses a bad form with the reason, keeping what was typed, and creates nothing", async () => {
    const before = await rawAll("select id from api_tokens");
    for (const [form, field] of [
      [{ intent: "create", name: "", access: "read", lifetimeDays: "30" }, "name"],
      [{ intent: "create", name: "x".repeat(81), access: "read", lifetimeDays: "30" }, "name"],
      [{ intent: "create", name: "ok", access: "admin", lifetimeDays: "30" }, "access"],
      [{ intent: "create", name: "ok", access: "read", lifetimeDays: "3650" }, "lifetimeDays"],
    ] as const) {
      const result = unwrap(await call(tokensPage.action, makeRequest("/account/tokens", { cookie: cookies.coordinator, form })));
      expect(result.status).toBe(400);
      expect(Object.keys(result.data.errors)).toEqual([field]);
      expect(result.data.values.name).toBe(form.name);
    }
    expect(await rawAll("select id from api_tokens")).toEqual(before);
    expect(unwrap(await call(tokensPage.action, makeRequest("/account/tokens", { form: { intent: "create", name: "x", access: "read", lifetimeDays: "30" } }))).status).toBe(302);
  });

  it("can be revoked by their owner only; a revoked token is refused at once", async () => {
    const { id, secret } = await createApiToken(actors.coordinator, { name: "to revoke", access: "read", lifetimeDays: 7 });
    expect((await get("/api/v1/events", secret)).status).toBe(200);
    // another user cannot revoke it, nor learn that it exists
    const other = unwrap(await call(tokensPage.action, makeRequest("/account/tokens", { cookie: cookies.admin, form: { intent: "revoke", tokenId: String(id) } })));
    expect(other.status).toBe(404);
    expect(await revokeApiToken(actors.donor, id)).toBe(false);
    expect((await get("/api/v1/events", secret)).status).toBe(200);
    const mine = unwrap(await call(tokensPage.action, makeRequest("/account/tokens", { cookie: cookies.coordinator, form: { intent: "revoke", tokenId: String(id) } })));
    expect(mine.status).toBe(302);
    const refused = await get("/api/v1/events", secret);
    expect(refused.status).toBe(401);
    expect(refused.headers.get("WWW-Authenticate")).toContain('error="invalid_token"');
    await expectMatchesOpenApi("/events", "get", refused);
  });

  it("expire, and stop working with their user's account", async () => {
    const { secret } = await createApiToken(actors.coordinator, { name: "short", access: "read", lifetimeDays: 7 });
    setClock(() => TODAY.getTime() + 8 * 86_400_000);
    expect((await get("/api/v1/events", secret)).status).toBe(401);
    setClock(() => TODAY.getTime());
    expect((await get("/api/v1/events", secret)).status).toBe(200);
    await rawRun("update users set disabled_at = ? where id = ?", TODAY.getTime(), actors.coordinator.user.id);
    expect((await get("/api/v1/events", secret)).status).toBe(401);
    await rawRun("update users set disabled_at = null where id = ?", actors.coordinator.user.id);
  });

  it("refuses a missing, malformed or unknown token with a problem document", async () => {
    for (const token of [undefined, "cvn_short", `cvn_${"A".repeat(43)}`, "' or 1=1 --", `Bearer ${"x".repeat(5000)}`]) {
      const response = await get("/api/v1/events", token);
      expect(response.status).toBe(401);
      expect(response.headers.get("Content-Type")).toBe("application/problem+json");
      await expectMatchesOpenApi("/events", "get", response);
    }
    const basic = await get("/api/v1/events", undefined, { Authorization: "Basic Y29vcmRpbmF0b3I6cGFzcw==" });
    expect(basic.status).toBe(401);
    // a session cookie is not an API credential
    expect((await eventsApi.loader({ request: makeRequest("/api/v1/events", { cookie: cookies.coordinator }), params: {}, context: {} })).status).toBe(401);
  });
});

describe("GET /api/v1/events", () => {
  it("lists what the token's user may see, in cursor pages that neither skip nor repeat", async () => {
    const { secret } = await createApiToken(actors.coordinator, { name: "pages", access: "read", lifetimeDays: 30 });
    const all = await rawAll<{ id: number }>("select id from events order by id");
    const seen: number[] = [];
    let path = "/api/v1/events?limit=2";
    for (let i = 0; i < 100; i++) {
      const response = await get(path, secret);
      expect(response.status).toBe(200);
      const body = await expectMatchesOpenApi("/events", "get", response);
      seen.push(...body.data.map((e: { id: number }) => e.id));
      expect(body.protected).toBe(false);
      if (!body.next) break;
      path = `/api/v1/events?limit=2&cursor=${body.next}`;
    }
    expect(seen).toEqual(all.map((e) => Number(e.id)));
  });

  it("filters as /events does", async () => {
    const { secret } = await createApiToken(actors.coordinator, { name: "filters", access: "read", lifetimeDays: 30 });
    const body = await (await get("/api/v1/events?country=BH&limit=100", secret)).json();
    const expected = await rawAll<{ id: number }>("select id from events where country = 'BH' order by id");
    expect(body.data.map((e: { id: number }) => e.id)).toEqual(expected.map((e) => Number(e.id)));
    expect(body.data.every((e: { country: string }) => e.country === "BH")).toBe(true);
  });

  it("gives a donor only its programmes' events, counts of people through the disclosure control", async () => {
    const { secret } = await createApiToken(actors.donor, { name: "donor", access: "read", lifetimeDays: 30 });
    const response = await get("/api/v1/events?limit=100", secret);
    const body = await expectMatchesOpenApi("/events", "get", response);
    expect(body.protected).toBe(true);
    const visible = await rawAll<{ id: number }>(
      `select e.id from events e join programme_funding f on f.programme_id = e.programme_id join users u on u.organisation_id = f.donor_organisation_id
       where u.email = 'donor@example.org' and e.status <> 'draft' order by e.id`,
    );
    expect(body.data.map((e: { id: number }) => e.id)).toEqual(visible.map((e) => Number(e.id)));
    const small = await rawAll<{ id: number }>(
      `select event_id as id from registrations where event_role = 'participant' and status = 'confirmed' group by event_id having count(*) between 1 and 4`,
    );
    const smallIds = new Set(small.map((s) => Number(s.id)));
    for (const e of body.data) if (smallIds.has(e.id)) expect(e.participantsConfirmed).toBe("small");
    expect(body.data.some((e: { id: number }) => smallIds.has(e.id))).toBe(true);
  });

  it("answers 304 when the client has the page already (If-None-Match)", async () => {
    const { secret } = await createApiToken(actors.coordinator, { name: "etag", access: "read", lifetimeDays: 30 });
    const first = await get("/api/v1/events?limit=3", secret);
    const etag = first.headers.get("ETag")!;
    expect(etag).toMatch(/^".+"$/);
    const again = await get("/api/v1/events?limit=3", secret, { "If-None-Match": etag });
    expect(again.status).toBe(304);
    await expectMatchesOpenApi("/events", "get", again);
    await rawRun("update events set title = title || ' (renamed)' where id = (select min(id) from events)");
    expect((await get("/api/v1/events?limit=3", secret, { "If-None-Match": etag })).status).toBe(200);
  });

  it("refuses a bad cursor or limit with a problem document", async () => {
    const { secret } = await createApiToken(actors.coordinator, { name: "bad", access: "read", lifetimeDays: 30 });
    for (const query of ["cursor=nonsense!", "cursor=aWQ6eA", "limit=0", "limit=101", "limit=abc", "limit=1.5"]) {
      const response = await get(`/api/v1/events?${query}`, secret);
      expect(response.status, query).toBe(400);
      await expectMatchesOpenApi("/events", "get", response);
    }
    // a read-only token may not create events; another method is not allowed here
    const post = await eventsApi.action({ request: makeRequest("/api/v1/events", { method: "POST", headers: { Authorization: `Bearer ${secret}` } }), params: {}, context: {} });
    expect(post.status).toBe(403);
    await expectMatchesOpenApi("/events", "post", post);
    const put = await eventsApi.action({ request: makeRequest("/api/v1/events", { method: "PUT", headers: { Authorization: `Bearer ${secret}` } }), params: {}, context: {} });
    expect(put.status).toBe(405);
    expect(put.headers.get("Allow")).toBe("GET, POST");
    expect(put.headers.get("Content-Type")).toBe("application/problem+json");
  });

  it("counts requests per token and says so in RateLimit headers; past the limit, 429 with Retry-After", async () => {
    const { id, secret } = await createApiToken(actors.coordinator, { name: "limit", access: "read", lifetimeDays: 30 });
    const first = await get("/api/v1/events?limit=1", secret);
    expect(first.headers.get("RateLimit-Policy")).toBe(`"token";q=${apiLimit().limit};w=60`);
    expect(first.headers.get("RateLimit")).toMatch(new RegExp(`^"token";r=${apiLimit().limit - 1};t=\\d+$`));
    // the rest of the window used up at once (as many requests would)
    await rawRun("update rate_limits set count = ? where key = ?", apiLimit().limit, `api:${id}`);
    const refused = await get("/api/v1/events?limit=1", secret);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThan(0);
    await expectMatchesOpenApi("/events", "get", refused);
    // another token of the same user is counted apart
    const other = await createApiToken(actors.coordinator, { name: "limit 2", access: "read", lifetimeDays: 30 });
    expect((await get("/api/v1/events?limit=1", other.secret)).status).toBe(200);
  });

  it("keeps no more than 20 live tokens per user", async () => {
    const live = Number((await rawGet<{ n: number }>("select count(*) as n from api_tokens where user_id = ? and revoked_at is null", actors.partner.user.id))!.n);
    for (let i = live; i < 20; i++) await createApiToken(actors.partner, { name: `t${i}`, access: "read", lifetimeDays: 7 });
    await expect(createApiToken(actors.partner, { name: "one too many", access: "read", lifetimeDays: 7 })).rejects.toBeInstanceOf(FieldError);
  });
});
