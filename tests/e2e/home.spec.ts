import Database from "better-sqlite3";
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { signIn } from "./sign-in";

/**
 * Each role's home says what waits for it now. The coordinator at 1280 and 360 px sees the counts
 * of the demo data, each linking to the events list filtered to exactly the events counted; the
 * facilitator on a phone (in English and in Arabic) sees today's session first and reaches its
 * attendance in one tap, the list to mark right under a short header. The menu stays within the
 * screen; axe-core checks every page state reached (./fixtures).
 */

const PHONE = { width: 360, height: 740 };
const DESK = { width: 1280, height: 800 };
const CURRENT = "Trauma-Informed Interviewing of Victims of Trafficking";

// Switching language is saved in the demo accounts' profiles: put them back for other specs.
test.afterEach(() => {
  const db = new Database("data/e2e.db");
  db.prepare("update users set locale = null").run();
  db.close();
});

async function expectWithinWidth(page: Page, selector: string, what: string) {
  const width = page.viewportSize()!.width;
  for (const element of await page.locator(selector).all()) {
    const box = await element.boundingBox();
    if (!box) continue;
    expect(box.x, `${what}: left edge`).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width, `${what}: right edge`).toBeLessThanOrEqual(width + 0.5);
  }
}

/** The counts the demo data gives (the same numbers the integration tests check against the database). */
function expectedCounts() {
  const db = new Database("data/e2e.db", { readonly: true });
  try {
    const one = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    return {
      approvals: one(`select count(*) as n from events e where e.status in ('open','in_progress')
                      and exists (select 1 from registrations r where r.event_id = e.id and r.status in ('applied','nominated'))`),
      followUps: one("select count(*) as n from follow_up_requests where status = 'received'"),
      emails: one("select count(*) as n from email_outbox where status = 'failed'"),
    };
  } finally {
    db.close();
  }
}

async function tileCount(page: Page, testId: string) {
  return Number((await page.getByTestId(testId).locator("[data-count]").innerText()).replace(/\D/g, ""));
}

for (const viewport of [DESK, PHONE]) {
  test(`the coordinator's home shows what needs them at ${viewport.width} px, each count landing on its list`, async ({ page }) => {
    test.setTimeout(90_000);
    await page.setViewportSize(viewport);
    await signIn(page, "coordinator@example.org");
    await page.goto("/");
    await expect(page.getByRole("heading", { name: "Needs you now" })).toBeVisible();
    const expected = expectedCounts();
    expect(await tileCount(page, "need-approvals")).toBe(expected.approvals);
    expect(await tileCount(page, "need-follow-ups")).toBe(expected.followUps);
    expect(await tileCount(page, "need-emails")).toBe(expected.emails);
    // the demo: the follow-up training has an application and two nominations waiting; the training
    // that ended a month ago has certificates to issue, plans to review and check-ins due
    await expect(page.getByTestId("need-approvals")).toContainText("3 people waiting");
    expect(await tileCount(page, "need-certificates")).toBe(1);
    expect(await tileCount(page, "need-check-ins")).toBe(1);
    expect(await tileCount(page, "need-plans")).toBe(2);
    await expectWithinWidth(page, "main li", "a tile");
    await page.screenshot({ path: `test-results/home-coordinator-${viewport.width}.png`, fullPage: true });

    // each count is a link to the events list filtered to exactly the events counted
    for (const [testId, need] of [
      ["need-approvals", "approvals"],
      ["need-certificates", "certificates"],
      ["need-check-ins", "checkIns"],
      ["need-plans", "plansToReview"],
    ] as const) {
      await page.goto("/");
      const count = await tileCount(page, testId);
      await page.getByTestId(testId).getByRole("link").click();
      await expect(page).toHaveURL(new RegExp(`/events\\?needs=${need}$`));
      await expect(page.getByTestId("needs-filter")).toBeVisible();
      await expect(page.locator("main table tbody tr")).toHaveCount(count);
    }
    await page.screenshot({ path: `test-results/home-coordinator-list-${viewport.width}.png`, fullPage: true });
    // the row leads to where the need is dealt with
    await page.getByRole("link", { name: "Review the action plans" }).first().click();
    await expect(page).toHaveURL(/\/events\/\d+\/action-plans$/);
  });
}

test("the facilitator's phone opens on today's session, its attendance one tap away, in English and in Arabic", async ({ page }) => {
  test.setTimeout(90_000);
  await page.setViewportSize(PHONE);
  await signIn(page, "facilitator@example.org");
  for (const lang of ["en", "ar"] as const) {
    if (lang === "ar") {
      await page.locator("header summary").click();
      await page.locator("header select[name=locale]:visible").selectOption({ label: "العربية" });
      await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
    }
    await page.goto("/");
    // today's sessions come first, before anything else of the page's work
    const today = page.getByTestId("sessions-today");
    await expect(today).toBeVisible();
    const first = today.getByRole("link").first();
    await expect(first).toContainText(CURRENT);
    const box = (await first.boundingBox())!;
    expect(box.y, "today's first session is on the first screen").toBeLessThan(PHONE.height);
    await expect(today).not.toContainText("Lunch");
    await expectWithinWidth(page, "header, main a", `the home page (${lang})`);
    await page.screenshot({ path: `test-results/home-facilitator-360-${lang}.png`, fullPage: true });

    // one tap: the session's attendance, the list to mark first under a short header
    await first.click();
    await expect(page).toHaveURL(/\/events\/\d+\/attendance\?session=\d+$/);
    const list = page.locator("#session-title");
    await expect(list).toBeVisible();
    const firstRow = page.locator("main form ul li").first();
    await expect(firstRow).toBeVisible();
    expect((await firstRow.boundingBox())!.y, `the first participant to mark is on the first screen (${lang})`).toBeLessThan(PHONE.height);
    // breaks take no attendance: the other sessions offer no lunch
    await page.getByTestId("other-sessions").locator("summary").click();
    await expect(page.getByTestId("other-sessions")).not.toContainText("Lunch");
    // (the event's tabs scroll sideways on purpose: only the marking and the other sessions are checked)
    await expectWithinWidth(page, "header, main form li, [data-testid=other-sessions] li", `the attendance page (${lang})`);
    await page.screenshot({ path: `test-results/home-facilitator-attendance-360-${lang}.png`, fullPage: true });
  }
});

test("the participant's home: the next training, the forms to fill, the check-ins due", async ({ page }) => {
  await page.setViewportSize(DESK);
  await signIn(page, "participant@example.org");
  await expect(page.getByTestId("next-training")).toContainText(CURRENT);
  await expect(page.getByTestId("forms-to-fill")).toContainText("Finish and submit your action plan");
  await expect(page.getByTestId("check-ins-due")).toContainText("Screening questions at the cruise port arrivals desk");
  await page.screenshot({ path: "test-results/home-participant-1280.png", fullPage: true });
});

test("the partner's home: items awaiting validation, events open for nomination, its requests", async ({ page }) => {
  await page.setViewportSize(PHONE);
  await signIn(page, "partner@example.org");
  // the agency's done items not yet validated (three in the demo; other browser tests may mark more done)
  const db = new Database("data/e2e.db", { readonly: true });
  const awaiting = (
    db
      .prepare(
        `select count(*) as n from action_plan_items i join action_plans p on p.id = i.plan_id
         where p.is_template = 0 and i.status = 'done' and i.validated_at is null
           and p.id in (select m.plan_id from action_plan_members m join people pe on pe.id = m.person_id
                        join users u on u.organisation_id = pe.organisation_id where u.email = 'partner@example.org')`,
      )
      .get() as { n: number }
  ).n;
  db.close();
  expect(awaiting).toBeGreaterThanOrEqual(3);
  expect(await tileCount(page, "need-validation")).toBe(awaiting);
  expect(await tileCount(page, "need-nomination")).toBeGreaterThan(0);
  // its requests by status (the Bimini request may have been accepted by another browser test), each a link to the filtered list
  await expect(page.getByTestId("request-statuses")).toContainText("Scheduled: 1");
  await expect(page.getByTestId("request-statuses").getByRole("link", { name: /Scheduled/ })).toHaveAttribute("href", "/follow-ups?status=scheduled");
  await expectWithinWidth(page, "header, main li", "the partner's home");
  await page.screenshot({ path: "test-results/home-partner-360.png", fullPage: true });
});

test("the donor's home: its programme's figures, protected", async ({ page }) => {
  await page.setViewportSize(DESK);
  await signIn(page, "donor@example.org");
  await expect(page.getByTestId("donor-programme")).toContainText("Western Hemisphere Program");
  await expect(page.getByTestId("figures-protected")).toBeVisible();
  await page.screenshot({ path: "test-results/home-donor-1280.png", fullPage: true });
});

test("the top navigation fits on one line at 1280 px for coordinators and admins, in every language", async ({ page }) => {
  test.setTimeout(90_000);
  await page.setViewportSize(DESK);
  for (const email of ["coordinator@example.org", "admin@example.org"]) {
    await signIn(page, email);
    for (const label of ["English", "Français", "Español", "العربية"]) {
      await page.goto("/");
      await page.locator("header select[name=locale]:visible").selectOption({ label });
      await page.goto("/");
      const tops = new Set<number>();
      for (const link of await page.locator("header nav:visible").getByRole("link").all()) tops.add(Math.round((await link.boundingBox())!.y));
      expect([...tops], `rows of the navigation (${email}, ${label})`).toHaveLength(1);
      await expectWithinWidth(page, "header a, header button, header select", `the header (${email}, ${label})`);
      await page.screenshot({ path: `test-results/home-nav-1280-${email.split("@")[0]}-${label}.png` });
    }
  }
});
