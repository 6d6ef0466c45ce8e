import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { type Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { passSecondFactor } from "./sign-in";

/**
 * The browser gets the texts of its language only, and only the namespaces of the pages it shows
 * (app/locales/<lng>/<namespace>.json, served by /locales/<lng>); a page reached without reloading
 * fetches the namespaces it lacks before it shows. Server and browser render the same texts: no
 * hydration error, no raw key on screen.
 */

// the language chosen here is saved in the demo coordinator's profile: put it back for other specs
test.afterEach(() => {
  const db = new Database("data/e2e.db");
  db.prepare("update users set locale = null").run();
  db.close();
});

const NAMESPACES = fs
  .readdirSync(path.resolve("app/locales/en"))
  .filter((f) => f.endsWith(".json"))
  .map((f) => f.slice(0, -".json".length));
/** `roster.summaryWomen` on screen: a key shown instead of its text (file names like roster.csv are fine). */
const RAW_KEY = new RegExp(`\\b(?:${NAMESPACES.join("|")})\\.(?!csv\\b|xlsx\\b|pdf\\b|ics\\b)[a-z][A-Za-z]+`);
const texts = (lng: string, ns: string) => JSON.parse(fs.readFileSync(path.resolve(`app/locales/${lng}/${ns}.json`), "utf8")) as Record<string, string>;

/** Console errors (a hydration mismatch is one) and failed requests, for the whole test. */
function watch(page: Page) {
  const problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("response", (r) => {
    if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`);
  });
  const translations: URL[] = [];
  page.on("request", (r) => {
    if (new URL(r.url()).pathname.startsWith("/locales/")) translations.push(new URL(r.url()));
  });
  return { problems, translations };
}

async function expectNoRawKeys(page: Page) {
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  const text = await page.locator("body").innerText();
  expect(text.match(RAW_KEY)?.[0] ?? null).toBeNull();
}

async function signIn(page: Page, email: string) {
  await page.goto("/login");
  await page.locator("#email").fill(email);
  await page.locator("#password").fill("demo-password");
  await page.locator("form[method=post] button[type=submit]").last().click();
  await passSecondFactor(page, email);
}

test("the login page loads one language's texts, and only the namespaces it shows", async ({ browser }) => {
  const context = await browser.newContext({ locale: "ar", extraHTTPHeaders: { "Accept-Language": "ar" } });
  const page = await context.newPage();
  const { problems, translations } = watch(page);
  const scripts: string[] = [];
  page.on("response", async (r) => {
    if (r.request().resourceType() === "script") scripts.push(await r.text());
  });
  await page.goto("/login", { waitUntil: "networkidle" });
  await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(texts("ar", "login").title);
  await expectNoRawKeys(page);

  expect(translations).toHaveLength(1);
  expect(translations[0].pathname).toBe("/locales/ar");
  const namespaces = translations[0].searchParams.get("ns")!.split(",");
  expect(namespaces).toEqual(expect.arrayContaining(["layout", "nav", "login"]));
  expect(namespaces).not.toContain("roster");
  expect(namespaces).not.toContain("reports");
  // no script carries a catalogue: not this language's, not another's
  expect(scripts.length).toBeGreaterThan(3);
  for (const text of [texts("en", "nav").signOut, texts("fr", "nav").signOut, texts("ar", "nav").signOut, texts("en", "roster").breakdown]) {
    expect(scripts.filter((s) => s.includes(text)), text).toEqual([]);
  }
  expect(problems).toEqual([]);
  await context.close();
});

test("pages reached without reloading fetch the namespaces they lack, in Arabic and in French", async ({ page }) => {
  test.setTimeout(60_000);
  const { problems, translations } = watch(page);
  await signIn(page, "coordinator@example.org");
  for (const lng of ["ar", "fr"] as const) {
    // the profile's language, set through the switcher like a user would
    await page.goto("/events");
    await page.locator("header select[name=locale]:visible").selectOption(lng);
    await expect(page.locator("html")).toHaveAttribute("lang", lng);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(texts(lng, "events").title);
    await expectNoRawKeys(page);
    await page.reload();
    await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
    const before = translations.length;

    await page.getByRole("link", { name: /Identification and Protection of Victims/ }).first().click();
    await expect(page).toHaveURL(/\/events\/\d+$/);
    await expectNoRawKeys(page);
    const tabs = texts(lng, "eventTabs");
    for (const [tab, url] of [
      [tabs.roster, /\/roster$/],
      [tabs.attendance, /\/attendance$/],
      [tabs.sessions, /\/sessions$/],
      [tabs.actionPlans, /\/action-plans$/],
      [tabs.certificates, /\/certificates$/],
      [tabs.followUps, /\/follow-ups$/],
    ] as const) {
      await page.getByRole("navigation", { name: tabs.label }).getByRole("link", { name: tab, exact: true }).click();
      await expect(page).toHaveURL(url);
      await expectNoRawKeys(page);
    }
    for (const item of ["people", "reports", "followUps", "actionPlans"] as const) {
      await page.getByRole("navigation", { name: texts(lng, "layout").mainNavigation }).getByRole("link", { name: texts(lng, "nav")[item] }).first().click();
      await expectNoRawKeys(page);
    }
    expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
    // the namespaces came in this language, each page's in one request
    const fetched = translations.slice(before);
    expect(fetched.length).toBeGreaterThan(0);
    for (const url of fetched) expect(url.pathname).toBe(`/locales/${lng}`);
  }
  expect(problems).toEqual([]);
});

test("Arabic counts take the language's plural forms, and a switch of language applies at once", async ({ page }) => {
  const { problems } = watch(page);
  await signIn(page, "coordinator@example.org");
  await page.goto("/events");
  await page.getByRole("link", { name: /Identification and Protection of Victims/ }).first().click();
  await page.getByRole("navigation", { name: "Event pages" }).getByRole("link", { name: "Roster", exact: true }).click();
  await expect(page).toHaveURL(/\/roster$/);
  await expect(page.getByRole("heading", { name: "Roster", exact: true })).toBeVisible();
  const english = await page.locator("main").innerText();
  const counts = /(\d+) participants? · (\d+) wom[ae]n · (\d+) m[ae]n/.exec(english)!;
  expect(counts).not.toBeNull();

  await page.locator("header select[name=locale]:visible").selectOption("ar");
  await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
  const roster = texts("ar", "roster");
  await expect(page.getByRole("heading", { name: roster.title, exact: true })).toBeVisible();
  const plural = new Intl.PluralRules("ar");
  const number = new Intl.NumberFormat("ar");
  const [participants, women, men] = counts.slice(1).map(Number);
  for (const [key, n] of [
    ["summaryParticipants", participants],
    ["summaryWomen", women],
    ["summaryMen", men],
  ] as const) {
    const expected = roster[`${key}_${plural.select(n)}`].replace("{{formatted}}", number.format(n));
    await expect(page.locator("main")).toContainText(expected);
  }
  await expectNoRawKeys(page);
  await page.screenshot({ path: "test-results/translations-ar-roster.png", fullPage: true });
  await page.setViewportSize({ width: 360, height: 800 });
  await page.screenshot({ path: "test-results/translations-ar-roster-360.png" });
  await page.setViewportSize({ width: 1280, height: 800 });

  await page.locator("header select[name=locale]:visible").selectOption("fr");
  await expect(page.locator("html")).toHaveAttribute("dir", "ltr");
  await expect(page.getByRole("heading", { name: texts("fr", "roster").title, exact: true })).toBeVisible();
  await expectNoRawKeys(page);
  await page.screenshot({ path: "test-results/translations-fr-roster.png", fullPage: true });
  await page.locator("header select[name=locale]:visible").selectOption("en");
  await expect(page.getByRole("heading", { name: "Roster", exact: true })).toBeVisible();
  expect(problems).toEqual([]);
});

test("the heaviest pages, opened afresh in each language, render every text they show, as the server did", async ({ browser }) => {
  test.setTimeout(120_000);
  // the four languages side by side, each in its own browser contexts; the coordinator's sign-ins one
  // at a time (each takes the next unused second-factor code)
  let signingIn = Promise.resolve();
  const signInAlone = (page: Page, email: string) => {
    const done = signingIn.then(() => signIn(page, email));
    signingIn = done.catch(() => undefined);
    return done;
  };
  await Promise.all(
    (["en", "fr", "es", "ar"] as const).map(async (lng) => {
      const context = await browser.newContext({ locale: lng, extraHTTPHeaders: { "Accept-Language": lng } });
      const page = await context.newPage();
      const { problems, translations } = watch(page);
      await signInAlone(page, "coordinator@example.org");
      await page.goto("/events");
      const event = (await page.getByRole("link", { name: /Identification and Protection of Victims/ }).first().getAttribute("href"))!;
      expect(event).toMatch(/^\/events\/\d+$/);
      for (const path of [event, `${event}/roster`, "/reports"]) {
        const before = translations.length;
        // a new document each time: the texts are those the page preloads, nothing fetched later
        await page.goto(path, { waitUntil: "networkidle" });
        await expect(page.locator("html")).toHaveAttribute("data-hydrated", "");
        await expect(page.locator("html")).toHaveAttribute("lang", lng);
        await expectNoRawKeys(page);
        // the preload and the fetch that reads it: one address, no namespace asked for afterwards
        expect([...new Set(translations.slice(before).map((u) => u.pathname + u.search))]).toEqual([expect.stringMatching(new RegExp(`^/locales/${lng}\\?ns=`))]);
      }
      await context.close();

      const participant = await browser.newContext({ locale: lng, extraHTTPHeaders: { "Accept-Language": lng } });
      const mine = await participant.newPage();
      const watched = watch(mine);
      await signInAlone(mine, "participant@example.org");
      await mine.goto("/me", { waitUntil: "networkidle" });
      await expect(mine.locator("html")).toHaveAttribute("data-hydrated", "");
      await expect(mine.getByRole("heading", { level: 2, name: texts(lng, "myTrainings").upcoming })).toBeVisible();
      await expectNoRawKeys(mine);
      await participant.close();
      expect([...problems, ...watched.problems]).toEqual([]);
    }),
  );
});
