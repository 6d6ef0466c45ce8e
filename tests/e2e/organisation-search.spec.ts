import path from "node:path";
import { signIn } from "./sign-in";
import Database from "better-sqlite3";
import { expect, test } from "./fixtures";

/**
 * A global organisation works with thousands of agencies: past ORGANISATION_LIST_LIMIT (500) a
 * form's organisation field searches the server instead of listing them all. The specs share
 * data/e2e.db, so this one adds its 520 agencies and removes them (and its person) afterwards.
 */
const DB = path.resolve("data/e2e.db");
const EMAIL = "kendra.pinder@port.example";


test.beforeAll(() => {
  const db = new Database(DB);
  try {
    const add = db.prepare("insert into organisations (name, acronym, kind, country) values (?, ?, 'government_partner', 'BS')");
    db.transaction(() => {
      for (let i = 1; i <= 520; i++) add.run(`Search Test Agency ${String(i).padStart(3, "0")}`, null);
      add.run("Grand Bahama Port Authority", "GBPA");
    })();
  } finally {
    db.close();
  }
});

test.afterAll(() => {
  const db = new Database(DB);
  try {
    db.prepare("delete from people where email = ?").run(EMAIL);
    db.prepare("delete from event_partners where organisation_id in (select id from organisations where name like 'Search Test Agency %' or name = 'Grand Bahama Port Authority')").run();
    db.prepare("delete from organisations where name like 'Search Test Agency %' or name = 'Grand Bahama Port Authority'").run();
  } finally {
    db.close();
  }
});

test("with 500+ organisations, a new person's agency is found by searching, then kept on the person's page", async ({ page }) => {
  await signIn(page, "coordinator@example.org");
  await page.goto("/people/new");
  await page.locator("#givenName").fill("Kendra");
  await page.locator("#familyName").fill("Pinder");
  await page.locator("#email").fill(EMAIL);
  const organisation = page.locator("#organisationId");
  // no list of 500+ options: only "no organisation" until a search
  await expect(organisation.locator("option")).toHaveCount(1);
  const search = page.getByRole("searchbox", { name: "Find the organisation" });
  await search.fill("gbpa");
  await search.press("Enter"); // chooses from the list, does not send the form
  await expect(page.getByRole("status").filter({ hasText: "1 organisation matches" })).toBeVisible();
  await expect(page).toHaveURL(/\/people\/new$/);
  await organisation.selectOption({ label: "Grand Bahama Port Authority (GBPA)" });
  // a second search keeps the choice in the list
  await search.fill("agency 52");
  await expect(page.getByRole("status").filter({ hasText: "organisations match" })).toBeVisible();
  await expect(organisation).toHaveValue(/\d+/);
  await expect(organisation.locator("option:checked")).toHaveText("Grand Bahama Port Authority (GBPA)");
  // none, the choice kept, and agencies 052, 152, 252, 352, 452 and 520
  await expect(organisation.locator("option")).toHaveCount(1 + 1 + 6);
  await page.getByRole("button", { name: "Add the person" }).click();
  await expect(page).toHaveURL(/\/people\/\d+$/);
  await expect(page.getByText("Grand Bahama Port Authority").first()).toBeVisible();
  // the person's form shows the current agency without a search
  await expect(page.locator("#organisationId option:checked")).toHaveText("Grand Bahama Port Authority (GBPA)");
});

test("with 500+ organisations, the public registration page searches the agencies too", async ({ page }) => {
  await page.context().clearCookies();
  await signIn(page, "coordinator@example.org");
  await page.goto("/events?status=open");
  await page.getByRole("link", { name: /Follow-up Training, Grand Bahama/ }).click();
  const registerHref = await page.getByRole("link", { name: /Registration page/ }).getAttribute("href");
  await page.context().clearCookies();
  await page.goto(registerHref!);
  const organisation = page.locator("#organisationId");
  await expect(organisation.locator("option")).toHaveCount(1);
  await page.getByRole("searchbox", { name: "Find the organisation" }).fill("port auth");
  await expect(page.getByRole("status").filter({ hasText: "1 organisation matches" })).toBeVisible();
  await organisation.selectOption({ label: "Grand Bahama Port Authority" });
  await expect(organisation).not.toHaveValue("");
  await page.getByRole("searchbox", { name: "Find the organisation" }).fill("zzzz");
  await expect(page.getByRole("status").filter({ hasText: "No organisation matches “zzzz”." })).toBeVisible();
  await expect(organisation.locator("option:checked")).toHaveText("Grand Bahama Port Authority");
});

test("with 500+ organisations, an event's partner agencies are found by searching; the ones ticked stay ticked", async ({ page }) => {
  await signIn(page, "coordinator@example.org");
  await page.goto("/events?status=open");
  await page.getByRole("link", { name: /Follow-up Training, Grand Bahama/ }).click();
  await expect(page).toHaveURL(/\/events\/\d+$/);
  const eventUrl = page.url();
  await page.goto(`${eventUrl}/edit`);
  const partners = page.locator("#partnerIds");
  // only the event's partners so far (ticked), no list of 500+ agencies
  const before = await partners.locator("input:checked").count();
  await expect(partners.locator("input[type=checkbox]")).toHaveCount(before);
  const search = page.getByRole("searchbox", { name: "Find the organisation" });
  await search.fill("gbpa");
  await expect(page.getByRole("status").filter({ hasText: "1 organisation matches" })).toBeVisible();
  await page.getByRole("checkbox", { name: /Grand Bahama Port Authority/ }).check();
  // another search: the agency ticked stays listed and ticked, beside the new matches
  await search.fill("agency 52");
  await expect(page.getByRole("status").filter({ hasText: "6 organisations match" })).toBeVisible();
  await expect(page.getByRole("checkbox", { name: /Grand Bahama Port Authority/ })).toBeChecked();
  await expect(partners.locator("input[type=checkbox]")).toHaveCount(before + 1 + 6);
  await page.getByRole("checkbox", { name: /Search Test Agency 520/ }).check();
  await page.getByRole("checkbox", { name: /Search Test Agency 520/ }).uncheck();
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page).toHaveURL(eventUrl);
  const listed = page.locator("dt", { hasText: "Partner organisations" }).locator("xpath=following-sibling::dd[1]");
  await expect(listed).toContainText("Grand Bahama Port Authority");
  await expect(listed).not.toContainText("Search Test Agency");
  // the form shows it, ticked, without a search
  await page.goto(`${eventUrl}/edit`);
  await expect(page.getByRole("checkbox", { name: /Grand Bahama Port Authority/ })).toBeChecked();
  await expect(partners.locator("input[type=checkbox]")).toHaveCount(before + 1);
});
