import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { getDb, firstRow } from "../../db/client";
import { emailOutbox, users } from "../../db/schema";
import * as root from "~/root";
import * as language from "~/routes/settings.language";
import { translator } from "~/i18n";
import { requestPasswordReset } from "~/models/accounts.server";
import { call, createUser, makeRequest, sessionCookie, unwrap, userRow } from "../setup/helpers";

async function rootLocale(init: { cookie?: string; headers?: Record<string, string> }) {
  return unwrap(await call(root.loader, makeRequest("/", init))).data.locale as string;
}

describe("choosing the language", () => {
  it("follows the browser's Accept-Language, else English", async () => {
    expect(await rootLocale({ headers: { "Accept-Language": "fr-FR,fr;q=0.9,en;q=0.8" } })).toBe("fr");
    expect(await rootLocale({ headers: { "Accept-Language": "es-CO" } })).toBe("es");
    expect(await rootLocale({ headers: { "Accept-Language": "ar-BH,ar;q=0.9" } })).toBe("ar");
    expect(await rootLocale({ headers: { "Accept-Language": "de-DE" } })).toBe("en");
    expect(await rootLocale({})).toBe("en");
  });

  it("prefers the user's profile over the browser", async () => {
    const user = await createUser({ role: "coordinator" });
    await getDb().update(users).set({ locale: "ar" }).where(eq(users.id, user.id));
    const cookie = await sessionCookie(user);
    expect(await rootLocale({ cookie, headers: { "Accept-Language": "fr" } })).toBe("ar");
  });

  it("switches from any page: saved in the profile and a cookie, then back to the same page", async () => {
    const user = await createUser({ role: "partner" });
    const cookie = await sessionCookie(user);
    const response = (await call(
      language.action,
      makeRequest("/settings/language", { form: { locale: "es", redirectTo: "/events?when=past" }, cookie }),
    )) as Response;
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/events?when=past");
    expect((await userRow(user.id))!.locale).toBe("es");
    const langCookie = response.headers.get("Set-Cookie")!.split(";")[0];
    expect(langCookie).toMatch(/^convene_lang=/);
    // an anonymous visitor with that cookie gets Spanish even though the browser asks for French
    expect(await rootLocale({ cookie: langCookie, headers: { "Accept-Language": "fr" } })).toBe("es");
  });

  it("ignores an unknown language and a foreign redirect", async () => {
    const user = await createUser({ role: "participant" });
    const cookie = await sessionCookie(user);
    const response = (await call(
      language.action,
      makeRequest("/settings/language", { form: { locale: "xx", redirectTo: "https://evil.example/" }, cookie }),
    )) as Response;
    expect(response.headers.get("Location")).toBe("/");
    expect(response.headers.get("Set-Cookie")).toBeNull();
    expect((await userRow(user.id))!.locale).toBeNull();
    // a known language with a way back that a browser would normalise into another host
    const normalised = (await call(
      language.action,
      makeRequest("/settings/language", { form: { locale: "fr", redirectTo: "/.//evil.example" }, cookie }),
    )) as Response;
    expect(normalised.headers.get("Location")).toBe("/");
  });

  it("writes emails in the recipient's language, right-to-left for Arabic", async () => {
    const user = await createUser({ role: "participant", email: "rtl@test.example" });
    await getDb().update(users).set({ locale: "ar" }).where(eq(users.id, user.id));
    await requestPasswordReset("rtl@test.example", "http://localhost:3000", null);
    const mail = firstRow(await getDb().select().from(emailOutbox).where(eq(emailOutbox.toAddress, "rtl@test.example")).limit(1))!;
    expect(mail.subject).toBe(translator("ar").t("email.reset.subject"));
    expect(mail.subject).toMatch(/\p{Script=Arabic}/u);
    expect(mail.html).toContain('dir="rtl"');
    expect(mail.html).toContain('lang="ar"');
  });
});
