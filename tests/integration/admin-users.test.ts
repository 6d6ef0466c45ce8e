import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { getDb, firstRow } from "../../db/client";
import { auditLog, authSessions, emailOutbox, users } from "../../db/schema";
import * as usersIndex from "~/routes/admin.users._index";
import * as usersNew from "~/routes/admin.users.new";
import * as userEdit from "~/routes/admin.users.$userId";
import * as reset from "~/routes/reset-password.$token";
import { getSessionUser } from "~/auth/session.server";
import { translator } from "~/i18n";
import { call, createOrganisation, createUser, makeRequest, sessionCookie, unwrap, userRow } from "../setup/helpers";

const prm = await createOrganisation("PRM", "donor", "US");
const immigration = await createOrganisation("Bahamas Department of Immigration", "government_partner", "BS");

async function admin() {
  const user = await createUser({ role: "admin" });
  return { user, cookie: await sessionCookie(user) };
}

async function invite(cookie: string, form: Record<string, string>) {
  return await call(usersNew.action, makeRequest("/admin/users/new", { form: { locale: "en", ...form }, cookie }));
}

describe("admin: users", () => {
  it("is for admins only: anonymous → login, other roles → 403", async () => {
    const anonymous = (await call(usersIndex.loader, makeRequest("/admin/users"))) as Response;
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("Location")).toBe("/login?redirectTo=%2Fadmin%2Fusers");
    for (const role of ["coordinator", "facilitator", "participant"] as const) {
      const cookie = await sessionCookie(await createUser({ role }));
      expect(((await call(usersIndex.loader, makeRequest("/admin/users", { cookie }))) as Response).status).toBe(403);
      const before = (await getDb().select().from(users)).length;
      const refused = (await invite(cookie, { name: "X", email: "x@test.example", role: "admin" })) as Response;
      expect(refused.status).toBe(403);
      expect((await getDb().select().from(users)).length).toBe(before);
    }
  });

  it("invites a partner linked to its agency; the invitation link activates the account", async () => {
    const { cookie } = await admin();
    const response = (await invite(cookie, {
      name: "Grace Focal",
      email: "Grace@Immigration.example",
      role: "partner",
      organisationId: String(immigration.id),
      locale: "fr",
    })) as Response;
    expect(response.status).toBe(302);
    const created = firstRow(await getDb().select().from(users).where(eq(users.email, "grace@immigration.example")).limit(1))!;
    expect(created.role).toBe("partner");
    expect(created.organisationId).toBe(immigration.id);
    expect(created.passwordHash).toBeNull();
    const mail = firstRow(await getDb().select().from(emailOutbox).where(eq(emailOutbox.userId, created.id)).limit(1))!;
    expect(mail.kind).toBe("invitation");
    // written in the language chosen for the invitee, which also becomes their profile's language
    expect(mail.subject).toBe(translator("fr").t("email.invite.subject"));
    expect(mail.subject).not.toBe(translator("en").t("email.invite.subject"));
    expect(mail.html).toContain('lang="fr"');
    expect(created.locale).toBe("fr");
    const token = mail.text.match(/\/reset-password\/([A-Za-z0-9_-]+)/)![1];
    const activated = (await call(
      reset.action,
      makeRequest(`/reset-password/${token}`, { form: { password: "grace's own passphrase", confirmPassword: "grace's own passphrase" } }),
      { token },
    )) as Response;
    expect(activated.status).toBe(302);
    expect((await userRow(created.id))!.passwordHash).toMatch(/^\$argon2id\$/);
    const audit = await getDb().select().from(auditLog).where(eq(auditLog.action, "user.invite"));
    expect(audit.some((a) => a.entityId === created.id)).toBe(true);
  });

  it("refuses bad input with a clear message and changes nothing", async () => {
    const { cookie } = await admin();
    const count = async () => (await getDb().select().from(users)).length;
    const before = await count();
    const unknownRole = unwrap(await invite(cookie, { name: "A", email: "a@test.example", role: "superuser" }));
    expect(unknownRole.status).toBe(400);
    expect(unknownRole.data.errors.role).toBe("errors.choice");
    expect(unknownRole.data.values.name).toBe("A");
    const donorWithoutOrg = unwrap(await invite(cookie, { name: "B", email: "b@test.example", role: "donor" }));
    expect(donorWithoutOrg.data.errors.organisationId).toBe("admin.users.errors.donorNeedsOrg");
    const donorWrongOrg = unwrap(
      await invite(cookie, { name: "B", email: "b@test.example", role: "donor", organisationId: String(immigration.id) }),
    );
    expect(donorWrongOrg.data.errors.organisationId).toBe("admin.users.errors.wrongOrgKind");
    const malformed = unwrap(await invite(cookie, { name: "C", email: "c@", role: "participant" }));
    expect(malformed.data.errors.email).toBe("errors.email");
    const empty = unwrap(await invite(cookie, { name: "", email: "", role: "participant" }));
    expect(empty.data.errors.name).toBe("errors.required");
    const huge = unwrap(await invite(cookie, { name: "N".repeat(10 * 1024 * 1024), email: "d@test.example", role: "participant" }));
    expect(huge.data.errors.name).toBe("errors.tooLong|max=120");
    await createUser({ role: "participant", email: "taken@test.example" });
    const taken = unwrap(await invite(cookie, { name: "E", email: "taken@test.example", role: "participant" }));
    expect(taken.data.errors.email).toBe("admin.users.errors.emailTaken");
    expect(await count()).toBe(before + 1); // only the createUser above
  });

  it("links a donor to its donor organisation and changes roles, ending the user's sessions", async () => {
    const { cookie } = await admin();
    const target = await createUser({ role: "participant" });
    const targetCookie = await sessionCookie(target);
    const response = (await call(
      userEdit.action,
      makeRequest(`/admin/users/${target.id}`, {
        form: { intent: "update", name: "Dana Donor", role: "donor", organisationId: String(prm.id) },
        cookie,
      }),
      { userId: target.id },
    )) as Response;
    expect(response.status).toBe(302);
    const row = (await userRow(target.id))!;
    expect(row.role).toBe("donor");
    expect(row.organisationId).toBe(prm.id);
    expect(await getSessionUser(makeRequest("/", { cookie: targetCookie }))).toBeNull();
  });

  it("disables an account, which ends its sessions at once, and can enable it again", async () => {
    const { cookie } = await admin();
    const target = await createUser({ role: "facilitator" });
    const targetCookie = await sessionCookie(target);
    expect(await getSessionUser(makeRequest("/", { cookie: targetCookie }))).not.toBeNull();
    const disabled = (await call(
      userEdit.action,
      makeRequest(`/admin/users/${target.id}`, { form: { intent: "disable" }, cookie }),
      { userId: target.id },
    )) as Response;
    expect(disabled.status).toBe(302);
    expect((await userRow(target.id))!.disabledAt).not.toBeNull();
    expect(await getDb().select().from(authSessions).where(eq(authSessions.userId, target.id))).toHaveLength(0);
    expect(await getSessionUser(makeRequest("/", { cookie: targetCookie }))).toBeNull();
    await call(userEdit.action, makeRequest(`/admin/users/${target.id}`, { form: { intent: "enable" }, cookie }), { userId: target.id });
    expect((await userRow(target.id))!.disabledAt).toBeNull();
  });

  it("does not let an admin lock themselves out", async () => {
    const { user, cookie } = await admin();
    const demote = unwrap(
      await call(
        userEdit.action,
        makeRequest(`/admin/users/${user.id}`, { form: { intent: "update", name: "Me", role: "participant" }, cookie }),
        { userId: user.id },
      ),
    );
    expect(demote.status).toBe(400);
    expect(demote.data.errors.role).toBe("admin.users.errors.cannotDemoteSelf");
    const disable = unwrap(
      await call(userEdit.action, makeRequest(`/admin/users/${user.id}`, { form: { intent: "disable" }, cookie }), { userId: user.id }),
    );
    expect(disable.status).toBe(400);
    expect((await userRow(user.id))!.role).toBe("admin");
    expect((await userRow(user.id))!.disabledAt).toBeNull();
  });

  it("answers 404 for an unknown user", async () => {
    const { cookie } = await admin();
    const result = (await call(userEdit.loader, makeRequest("/admin/users/nope", { cookie }), { userId: "nope" })) as Response;
    expect(result.status).toBe(404);
  });
});
