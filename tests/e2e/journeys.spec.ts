import type { Browser, Page, TestInfo } from "@playwright/test";
import { expect, test } from "./fixtures";
import { signIn } from "./sign-in";
import {
  confirmationPath,
  DESK,
  exactly,
  expectEventTabsReachable,
  expectNavigationOnScreen,
  type Lang,
  openDb,
  PHONE,
  setLanguage,
  shot,
  tr,
  type Viewport,
} from "./journey-helpers";

/**
 * Each role's day, as its person would go through it, at a phone's 360 px and a desk's 1280 px,
 * one of the two in Arabic (right-to-left): what they read (in their language, from the app's
 * catalogues), that the menu and the event's tabs stay on screen at every step, and a screenshot
 * of each step in test-results/journeys/. axe-core checks every page on the way (./fixtures).
 *
 * The specs share data/e2e.db: the journeys add their own events (an open training and one in
 * progress today, per run) and remove them, and every event the coordinator creates, afterwards.
 */

// a journey is a dozen pages, each checked by axe-core (whose time is added to the test's by ./fixtures)
test.describe.configure({ timeout: 60_000 });

const PLAN = "Bringing victim identification into port operations";
const TAG = `journey ${process.pid}`;
type Run = { name: string; viewport: Viewport; lang: Lang };

const runs = (arabicOn: "phone" | "desk"): Run[] => [
  { name: "phone", viewport: PHONE, lang: arabicOn === "phone" ? "ar" : "en" },
  { name: "desk", viewport: DESK, lang: arabicOn === "desk" ? "ar" : "en" },
];

type Fixture = { openEventId: number; openTitle: string; todayEventId: number; todayTitle: string; sessionTitle: string; officers: string[]; doneItem: string };
const fixtures = new Map<string, Fixture>();
const emails = ["coordinator", "facilitator", "participant", "partner", "donor"].map((r) => `${r}@example.org`);

test.beforeAll(() => {
  const db = openDb();
  try {
    const now = Date.now();
    const day = (offset: number) => new Date(now + offset * 86_400_000).toISOString().slice(0, 10);
    const facilitator = db.prepare("select id from users where email = 'facilitator@example.org'").get() as { id: string };
    const agency = (db.prepare("select organisation_id as id from users where email = 'partner@example.org'").get() as { id: number }).id;
    const plan = (db.prepare("select id from action_plans where title = ?").get(PLAN) as { id: number }).id;
    const officers = db
      .prepare("select id, given_name || ' ' || family_name as name from people where organisation_id = ? and email <> 'participant@example.org' order by id limit 2")
      .all(agency) as { id: number; name: string }[];
    const addEvent = db.prepare(
      `insert into events (title, type, country, locality, venue, time_zone, start_date, end_date, status, registration_opens_at, registration_closes_at, description)
       values (?, 'training', 'BS', 'New Providence', 'Harbour View Hotel', 'America/Nassau', ?, ?, ?, ?, ?, ?)`,
    );
    const addSession = db.prepare(`insert into event_sessions (event_id, title, kind, starts_at, ends_at, room) values (?, ?, 'presentation', ?, ?, 'Hall A')`);
    db.transaction(() => {
      for (const name of ["phone", "desk"]) {
        const openTitle = `Referral pathways for port officers (${TAG} ${name})`;
        const openEventId = Number(
          addEvent.run(openTitle, day(20), day(21), "open", now - 86_400_000, now + 15 * 86_400_000, "Two days on the national referral mechanism, for port and airport officers.").lastInsertRowid,
        );
        addSession.run(openEventId, "Key concepts", now + 20 * 86_400_000, now + 20 * 86_400_000 + 90 * 60_000);
        db.prepare("insert into event_partners (event_id, organisation_id) values (?, ?)").run(openEventId, agency);

        const todayTitle = `Victim identification in practice (${TAG} ${name})`;
        const todayEventId = Number(addEvent.run(todayTitle, day(-1), day(1), "in_progress", null, null, null).lastInsertRowid);
        const sessionTitle = "Interviewing with care";
        const sessionId = Number(addSession.run(todayEventId, sessionTitle, now - 30 * 60_000, now + 60 * 60_000).lastInsertRowid);
        db.prepare("insert into session_facilitators (session_id, user_id) values (?, ?)").run(sessionId, facilitator.id);
        for (const officer of officers) {
          db.prepare(`insert into registrations (event_id, person_id, event_role, status, status_changed_at) values (?, ?, 'participant', 'confirmed', ?)`).run(todayEventId, officer.id, now);
        }

        // a done item of the officer's plan, for her agency's focal point to validate
        const doneItem = `Share the referral contacts with the night shift (${TAG} ${name})`;
        db.prepare(`insert into action_plan_items (plan_id, position, action, status) values (?, (select coalesce(max(position), 0) + 1 from action_plan_items where plan_id = ?), ?, 'done')`).run(plan, plan, doneItem);
        fixtures.set(name, { openEventId, openTitle, todayEventId, todayTitle, sessionTitle, officers: officers.map((o) => o.name), doneItem });
      }
    })();
  } finally {
    db.close();
  }
});

test.afterAll(() => {
  const db = openDb();
  try {
    // sessions, registrations and attendance go with their event (ON DELETE CASCADE)
    db.prepare("delete from events where title like ?").run(`%(${TAG} %`);
    db.prepare("delete from action_plan_items where action like ?").run(`%(${TAG} %`);
    db.prepare("update users set locale = null").run();
  } finally {
    db.close();
  }
});

/** The run's browser (its width, and its language for the pages seen before signing in) and the account's saved language. */
async function begin(browser: Browser, run: Run, email: string) {
  setLanguage(email, run.lang);
  const context = await browser.newContext({ viewport: run.viewport, locale: run.lang === "ar" ? "ar" : "en-GB", baseURL: test.info().project.use.baseURL });
  return context.newPage();
}

async function signInAs(page: Page, run: Run, email: string) {
  await signIn(page, email, tr(run.lang, "login.submit"));
  await expect(page.locator("html")).toHaveAttribute("dir", run.lang === "ar" ? "rtl" : "ltr");
}

/** Follows a link of the main navigation: in the phone menu, or in the top bar. */
async function openFromMenu(page: Page, label: string) {
  const summary = page.locator("header details summary");
  if (await summary.isVisible()) await summary.click();
  await page.locator("header nav:visible").getByRole("link", { name: exactly(label) }).click();
}

async function step(page: Page, testInfo: TestInfo, name: string, onEventPage = false) {
  await shot(page, testInfo, name); // as the page opened, before the checks scroll the tabs
  await expectNavigationOnScreen(page, name);
  if (onEventPage) await expectEventTabsReachable(page, name);
}

const eventTab = (page: Page, lang: Lang, tab: "overview" | "sessions" | "roster" | "attendance") =>
  page.locator("nav[data-event-tabs]").getByRole("link", { name: exactly(tr(lang, `eventTabs.${tab}`)) });

for (const run of runs("phone")) {
  test(`coordinator plans an event: sessions, registration opened, roster (${run.viewport.width} px, ${run.lang})`, async ({ browser }, testInfo) => {
    const t = (key: string, values?: Record<string, string | number>) => tr(run.lang, key, values);
    const title = `Victim identification workshop (${TAG} coordinator ${run.name})`;
    const page = await begin(browser, run, "coordinator@example.org");
    await signInAs(page, run, "coordinator@example.org");

    await openFromMenu(page, t("nav.events"));
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(t("events.title"));
    if (run.viewport.width < 640) {
      // on a phone the list starts on the first screen: the filters past "When" wait behind one toggle
      await expect(page.locator("#programmeId")).toBeHidden();
      const firstRow = (await page.getByRole("table").getByRole("row").nth(1).boundingBox())!;
      expect(firstRow.y).toBeLessThan(run.viewport.height);
      await step(page, testInfo, "1-events");
      await page.getByText(t("events.filters.more"), { exact: true }).click();
      await expect(page.locator("#programmeId")).toBeVisible();
      await step(page, testInfo, "1-events-more-filters");
    } else {
      await expect(page.getByText(t("events.filters.more"), { exact: true })).toBeHidden();
      await expect(page.locator("#programmeId")).toBeVisible();
      await step(page, testInfo, "1-events");
    }

    await page.getByRole("link", { name: exactly(t("events.new")) }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(t("events.form.newTitle"));
    await page.locator("#title").fill(title);
    await page.locator("#country").selectOption("BS");
    await page.locator("#locality").fill("Bimini");
    await page.locator("#startDate").fill("2027-10-11");
    await page.locator("#endDate").fill("2027-10-12");
    await step(page, testInfo, "2-new-event-form");
    await page.getByRole("button", { name: t("events.form.create") }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
    await expect(page.getByText(t("event.noSessions"))).toBeVisible();
    await step(page, testInfo, "3-event-created", true);

    await eventTab(page, run.lang, "sessions").click();
    await page.getByRole("link", { name: exactly(t("sessions.add")) }).first().click();
    await expect(page.getByRole("heading", { name: t("sessions.newTitle") })).toBeVisible();
    await page.locator("#title").fill("Indicators of trafficking");
    await page.locator("#day").selectOption("2027-10-12");
    await page.locator("#start").fill("09:00");
    await page.locator("#end").fill("10:30");
    await page.locator("#room").fill("Conference Room A");
    await page.getByRole("button", { name: t("sessions.create") }).click();
    await expect(page).toHaveURL(/\/sessions$/);
    await expect(page.getByText("Indicators of trafficking", { exact: true })).toBeVisible();
    await step(page, testInfo, "4-session-added", true);

    await eventTab(page, run.lang, "overview").click();
    await page.getByRole("button", { name: t("event.moveTo.open") }).click();
    await expect(page.getByText(t("flash.statusChanged"))).toBeVisible();
    await expect(page.getByText(t("eventStatus.open"), { exact: true }).first()).toBeVisible();
    await expect(page.getByRole("link", { name: t("event.registrationPage") })).toBeVisible();
    await step(page, testInfo, "5-registration-open", true);

    await eventTab(page, run.lang, "roster").click();
    await expect(page.getByRole("heading", { level: 2, name: t("roster.title") })).toBeVisible();
    await expect(page.getByText(t("roster.empty"))).toBeVisible();
    await expect(page.getByText(t("roster.breakdown"))).toHaveCount(0); // no breakdown of nobody
    await step(page, testInfo, "6-roster", true);
  });
}

for (const run of runs("desk")) {
  test(`participant registers, signs in, sees her trainings and adds to her action plan (${run.viewport.width} px, ${run.lang})`, async ({ browser }, testInfo) => {
    const t = (key: string, values?: Record<string, string | number>) => tr(run.lang, key, values);
    const { openEventId, openTitle } = fixtures.get(run.name)!;
    const page = await begin(browser, run, "participant@example.org");

    // a stranger's browser on the public registration page, in its own language
    await page.context().clearCookies();
    await page.goto(`/events/${openEventId}/register`);
    await expect(page.getByRole("heading", { level: 1 })).toContainText(openTitle);
    // the coordinator's words keep their own direction in a right-to-left page (the full stop stays at their end)
    await expect(page.locator("main bdi", { hasText: "Two days on the national referral mechanism" })).toBeVisible();
    await page.locator("#givenName").fill("Shavonne");
    await page.locator("#familyName").fill("Rolle");
    await page.locator("#email").fill("participant@example.org");
    await page.locator("#consent").check();
    await step(page, testInfo, "1-registration-form");
    await page.getByRole("button", { name: t("registration.submit") }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(t("registration.done.checkEmail.title"));
    await step(page, testInfo, "2-check-your-email");

    await page.goto(confirmationPath("participant@example.org"));
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(t("registration.confirm.title"));
    await page.getByRole("button", { name: t("registration.confirm.submit") }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(t("registration.done.confirmed.title"));
    await step(page, testInfo, "3-registered");

    await signInAs(page, run, "participant@example.org");
    await openFromMenu(page, t("nav.me"));
    await expect(page.getByRole("heading", { name: t("myTrainings.upcoming") })).toBeVisible();
    await expect(page.getByRole("main").getByRole("link", { name: openTitle })).toBeVisible();
    await step(page, testInfo, "4-my-trainings");

    await page.getByRole("link", { name: PLAN }).first().click();
    await expect(page).toHaveURL(/\/action-plans\/\d+$/);
    const addForm = page.locator("form").filter({ has: page.getByRole("button", { name: t("actionPlans.plan.addItemSubmit") }) });
    const field = (key: string) => addForm.getByLabel(new RegExp(`^${t(key)}`));
    const action = `Brief the airport's arrivals team on the referral form (${TAG} ${run.name})`;
    await field("actionPlans.fields.action").fill(action);
    await field("actionPlans.fields.responsible").fill("Arrivals supervisor");
    await field("actionPlans.fields.indicator").fill("Every shift briefed");
    await step(page, testInfo, "5-action-plan-item-typed");
    await addForm.getByRole("button", { name: t("actionPlans.plan.addItemSubmit") }).click();
    await expect(page.getByText(t("actionPlans.done.itemAdded"))).toBeVisible();
    await expect(page.getByRole("heading", { name: action })).toBeVisible();
    // the form is empty again: a second click adds nothing twice
    for (const key of ["actionPlans.fields.action", "actionPlans.fields.responsible", "actionPlans.fields.indicator"]) await expect(field(key)).toHaveValue("");
    await expect(page.getByRole("heading", { name: action })).toHaveCount(1);
    // the items at a glance, each one's status in view (a phone gets a list: the table cut the status off)
    const atAGlance = run.viewport.width < 640 ? page.locator("[data-items-summary=phone] li").filter({ hasText: action }) : page.getByRole("row").filter({ hasText: action });
    const status = atAGlance.getByText(t("actionItemStatus.planned"), { exact: true });
    await expect(status).toBeVisible();
    const box = (await status.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(run.viewport.width);
    await step(page, testInfo, "6-action-plan-item-added");
  });
}

for (const run of runs("phone")) {
  test(`partner focal point nominates officers and validates a done item (${run.viewport.width} px, ${run.lang})`, async ({ browser }, testInfo) => {
    const t = (key: string, values?: Record<string, string | number>) => tr(run.lang, key, values);
    const { openEventId, openTitle, doneItem } = fixtures.get(run.name)!;
    const page = await begin(browser, run, "partner@example.org");
    await signInAs(page, run, "partner@example.org");
    await step(page, testInfo, "1-home");

    await openFromMenu(page, t("nav.events"));
    await page.getByRole("link", { name: openTitle }).click();
    await expect(page).toHaveURL(new RegExp(`/events/${openEventId}$`));
    await eventTab(page, run.lang, "roster").click();
    await step(page, testInfo, "2-roster", true);
    await page.getByRole("link", { name: exactly(t("roster.nominate")) }).click();
    await expect(page.getByRole("heading", { name: t("nomination.title") })).toBeVisible();
    const boxes = page.locator("input[name=personIds]:not([disabled])");
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await step(page, testInfo, "3-nominate");
    await page.getByRole("button", { name: exactly(t("nomination.submit")) }).click();
    await expect(page.getByText(t("flash.nominated"))).toBeVisible();
    await expect(page.locator("tbody tr").filter({ hasText: t("registrationStatus.nominated") })).toHaveCount(2);
    await step(page, testInfo, "4-nominated", true);

    await openFromMenu(page, t("nav.actionPlans"));
    await page.getByRole("row").filter({ hasText: "Shavonne Rolle" }).getByRole("link", { name: PLAN }).click();
    const card = page.locator("article").filter({ has: page.getByRole("heading", { name: doneItem }) });
    await card.scrollIntoViewIfNeeded();
    await step(page, testInfo, "5-plan-to-validate");
    await card.getByRole("button", { name: t("actionPlans.validate") }).click();
    await expect(page.getByText(t("actionPlans.done.validated"))).toBeVisible();
    await expect(page.locator("article").filter({ has: page.getByRole("heading", { name: doneItem }) }).getByRole("button", { name: t("actionPlans.unvalidate") })).toBeVisible();
    await step(page, testInfo, "6-validated");
  });
}

for (const run of runs("phone")) {
  test(`facilitator takes attendance in the training room (${run.viewport.width} px, ${run.lang})`, async ({ browser }, testInfo) => {
    const t = (key: string, values?: Record<string, string | number>) => tr(run.lang, key, values);
    const { todayEventId, todayTitle, sessionTitle, officers } = fixtures.get(run.name)!;
    const page = await begin(browser, run, "facilitator@example.org");
    await signInAs(page, run, "facilitator@example.org");

    await openFromMenu(page, t("nav.events"));
    // the list, not the home page still on screen (whose today's sessions also name the event)
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(t("events.title"));
    await page.getByRole("link", { name: todayTitle }).click();
    await expect(page).toHaveURL(new RegExp(`/events/${todayEventId}$`));
    await step(page, testInfo, "1-event", true);

    await eventTab(page, run.lang, "attendance").click();
    await page.getByRole("navigation", { name: t("attendance.chooseSession") }).getByRole("link", { name: new RegExp(sessionTitle) }).click();
    await expect(page.getByRole("heading", { name: sessionTitle })).toBeVisible();
    await step(page, testInfo, "2-session", true);

    const [first, second] = officers;
    const row = (name: string) => page.getByRole("group", { name: t("attendance.statusFor", { name }) });
    await row(first).getByText(t("attendanceStatus.present"), { exact: true }).click();
    await expect(row(first).getByRole("radio", { name: t("attendanceStatus.present") })).toBeChecked();
    await row(second).getByText(t("attendanceStatus.late"), { exact: true }).click();
    await expect(row(second).getByRole("radio", { name: t("attendanceStatus.late") })).toBeChecked();
    // saved as each is tapped: still there when the page is opened again
    await expect(page.locator("li").filter({ has: row(second) }).getByText(t("attendance.method.manual"), { exact: false })).toBeVisible();
    await page.reload();
    await expect(row(first).getByRole("radio", { name: t("attendanceStatus.present") })).toBeChecked();
    await expect(row(second).getByRole("radio", { name: t("attendanceStatus.late") })).toBeChecked();
    await step(page, testInfo, "3-marked", true);
  });
}

for (const run of runs("desk")) {
  test(`donor reads the reports and sees no one's personal data (${run.viewport.width} px, ${run.lang})`, async ({ browser }, testInfo) => {
    const t = (key: string, values?: Record<string, string | number>) => tr(run.lang, key, values);
    const page = await begin(browser, run, "donor@example.org");
    await signInAs(page, run, "donor@example.org");
    await step(page, testInfo, "1-home");

    await openFromMenu(page, t("nav.reports"));
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(t("reports.title"));
    await expect(page.getByText(t("reportPrivacy.note"))).toBeVisible();
    await step(page, testInfo, "2-reports");

    // nobody's name or address on the page
    const db = openDb();
    const people = db.prepare("select given_name || ' ' || family_name as name, email from people").all() as { name: string; email: string | null }[];
    db.close();
    const text = await page.locator("body").innerText();
    expect(text).not.toMatch(/[\w.+-]+@[\w-]+\.[\w.]+/);
    expect(people.filter((p) => text.includes(p.name)).map((p) => p.name)).toEqual([]);
    // and the people pages are not the donor's
    const response = await page.goto("/people");
    expect([403, 404]).toContain(response?.status());
    await expect(page.getByText("Shavonne Rolle")).toHaveCount(0);
    await step(page, testInfo, "3-people-refused");
  });
}

test.afterEach(() => {
  for (const email of emails) setLanguage(email, null);
});
