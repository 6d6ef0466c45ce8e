import { createHash } from "node:crypto";
import { DrizzleSQLiteAdapter } from "@lucia-auth/adapter-drizzle";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb, firstRow } from "../../db/client";
import { authSessions, organisations, users } from "../../db/schema";
import { SessionAdapter, lucia, storedSessionId } from "~/auth/lucia.server";
import { getSessionUser } from "~/auth/session.server";
import { createUser, makeRequest, rawAll, sessionCookie } from "../setup/helpers";

let ids: { partner: string; disabled: string; noLocale: string };
let sessionIds: Record<keyof typeof ids, string>;

beforeAll(async () => {
  const organisationId = (await getDb().insert(organisations).values({ name: "Bahamas Police Force", kind: "government_partner", country: "BS" }).returning())[0].id;
  const partner = await createUser({ role: "partner", name: "Anya Rolle", organisationId });
  await getDb().update(users).set({ locale: "fr" }).where(eq(users.id, partner.id));
  const disabled = await createUser({ role: "coordinator", disabled: true });
  const noLocale = await createUser({ role: "participant" });
  ids = { partner: partner.id, disabled: disabled.id, noLocale: noLocale.id };
  sessionIds = {} as typeof sessionIds;
  for (const [key, id] of Object.entries(ids)) {
    const cookie = await sessionCookie({ id, role: key === "partner" ? "partner" : key === "disabled" ? "coordinator" : "participant" });
    sessionIds[key as keyof typeof ids] = cookie.split("=")[1];
  }
});

/**
 * Every page reads the session and its user. Convene's adapter reads both with one compiled
 * statement; what it returns must be what Lucia's drizzle adapter returns, for Lucia's own checks
 * (expiry, sliding) and for ours (absolute limit, disabled users).
 */
describe("the session adapter", () => {
  const drizzle = () => new DrizzleSQLiteAdapter(getDb() as unknown as ConstructorParameters<typeof DrizzleSQLiteAdapter>[0], authSessions, users);
  const ours = () => new SessionAdapter(getDb());

  it("gives the session and user the drizzle adapter gives (the attributes Lucia uses)", async () => {
    for (const sessionId of Object.values(sessionIds)) {
      // the drizzle adapter reads the stored row as it is: by the hash
      const [theirSession, theirUser] = await drizzle().getSessionAndUser(storedSessionId(sessionId));
      const [mySession, myUser] = await ours().getSessionAndUser(sessionId);
      expect(mySession).toEqual({ ...theirSession, id: sessionId });
      expect(myUser!.id).toBe(theirUser!.id);
      const used = ["email", "name", "role", "organisationId", "locale", "disabledAt"] as const;
      for (const key of used) expect(myUser!.attributes[key], key).toEqual(theirUser!.attributes[key]);
      expect(mySession!.expiresAt.getTime()).toBeGreaterThan(Date.now());
    }
    const [, partner] = await ours().getSessionAndUser(sessionIds.partner);
    expect(partner!.attributes).toMatchObject({ name: "Anya Rolle", role: "partner", locale: "fr" });
    expect(partner!.attributes.organisationId).toEqual(expect.any(Number));
    const [, disabled] = await ours().getSessionAndUser(sessionIds.disabled);
    expect(disabled!.attributes.disabledAt).toBeInstanceOf(Date);
  });

  it("gives nothing for an unknown session", async () => {
    expect(await ours().getSessionAndUser("no-such-session")).toEqual([null, null]);
    expect(await drizzle().getSessionAndUser("no-such-session")).toEqual([null, null]);
  });

  it("is the adapter Lucia uses: a page finds its user, a disabled user is signed out", async () => {
    expect(lucia()).toBeDefined();
    const found = await getSessionUser(makeRequest("/", { cookie: `convene_session=${sessionIds.partner}` }));
    expect(found?.user).toMatchObject({ id: ids.partner, role: "partner", locale: "fr", name: "Anya Rolle" });
    expect(await getSessionUser(makeRequest("/", { cookie: `convene_session=${sessionIds.disabled}` }))).toBeNull();
    expect(await getDb().select().from(authSessions).where(eq(authSessions.id, storedSessionId(sessionIds.disabled)))).toHaveLength(0);
    // an expired session is refused and removed by Lucia
    await getDb().update(authSessions).set({ expiresAt: Math.floor(Date.now() / 1000) - 60 }).where(eq(authSessions.id, storedSessionId(sessionIds.noLocale)));
    expect(await getSessionUser(makeRequest("/", { cookie: `convene_session=${sessionIds.noLocale}` }))).toBeNull();
    expect(await getDb().select().from(authSessions).where(eq(authSessions.id, storedSessionId(sessionIds.noLocale)))).toHaveLength(0);
  });
});

describe("session ids in the database", () => {
  it("are kept only as the SHA-256 of the cookie's id", async () => {
    const user = await createUser({ role: "coordinator" });
    const id = (await sessionCookie(user)).split("=")[1];
    const rows = await rawAll<{ id: string }>(`select id from auth_sessions where user_id = ?`, user.id);
    expect(rows.map((r) => r.id)).toEqual([createHash("sha256").update(id).digest("hex")]);
    expect(await rawAll(`select id from auth_sessions where id = ?`, id)).toHaveLength(0);
  });

  it("cannot be used to sign in: an id read from the database or a backup is not a session", async () => {
    const user = await createUser({ role: "admin" });
    const id = (await sessionCookie(user)).split("=")[1];
    const [stored] = await rawAll<{ id: string }>(`select id from auth_sessions where user_id = ?`, user.id);
    expect(await getSessionUser(makeRequest("/", { cookie: `convene_session=${stored.id}` }))).toBeNull();
    expect((await getSessionUser(makeRequest("/", { cookie: `convene_session=${id}` })))?.user.id).toBe(user.id);
  });

  it("are ended by the cookie's id (sign out) and all at once (password change)", async () => {
    const user = await createUser({ role: "participant" });
    const first = (await sessionCookie(user)).split("=")[1];
    const second = (await sessionCookie(user)).split("=")[1];
    await lucia().invalidateSession(first);
    expect(await rawAll(`select id from auth_sessions where user_id = ?`, user.id)).toEqual([{ id: storedSessionId(second) }]);
    await lucia().invalidateUserSessions(user.id);
    expect(await rawAll(`select id from auth_sessions where user_id = ?`, user.id)).toHaveLength(0);
  });
});
