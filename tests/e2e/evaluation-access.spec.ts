import crypto from "node:crypto";
import path from "node:path";
import Database from "better-sqlite3";
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { signIn } from "./sign-in";

/**
 * A person on the roster without an account opens the personal link from their email on a phone
 * (360 px) and takes the pre-test: no sign-in, no navigation into the app, the token gone from the
 * address bar, no Referer, an answer that survives a reload, one submission. Then the code slips
 * and the venue screen as the facilitator sees them, and the entry page in Arabic. Then a session's
 * feedback form answered through a personal link on a phone, in English and Arabic, and its card
 * on the links and codes tab. Screenshots land in test-results/evaluation-access/.
 */

const TRAINING = "Trauma-Informed Interviewing of Victims of Trafficking";
const PHONE = { width: 360, height: 780 };
const SHOTS = path.resolve("test-results/evaluation-access");

function openDb() {
  const db = new Database(path.resolve("data/e2e.db"));
  db.pragma("busy_timeout = 5000");
  db.pragma("foreign_keys = ON");
  return db;
}

let eventId = 0;
let registrationId = 0;
let personId = 0;

/** The training's pre-test, open, with two questions; a person without an account on its roster. */
test.beforeAll(() => {
  const db = openDb();
  const now = Date.now();
  eventId = (db.prepare("select id from events where title = ?").get(TRAINING) as { id: number }).id;
  db.prepare("delete from knowledge_tests where event_id = ?").run(eventId);
  const testId = Number(
    db.prepare("insert into knowledge_tests (event_id, pre_opens_at, created_at, updated_at) values (?, ?, ?, ?)").run(eventId, now - 3_600_000, now, now).lastInsertRowid,
  );
  const questions = [
    ["Who decides whether a person is a victim of trafficking?", ["The competent authority after identification", "The first officer who meets them", "Their employer"]],
    ["What comes first when you meet a presumed victim?", ["Their safety and immediate needs", "Their written statement", "Their travel documents"]],
  ] as const;
  questions.forEach(([prompt, options], i) => {
    const questionId = Number(
      db.prepare("insert into knowledge_test_questions (test_id, position, kind, prompt, created_at, updated_at) values (?, ?, 'single', ?, ?, ?)").run(testId, i + 1, prompt, now, now).lastInsertRowid,
    );
    options.forEach((label, k) => {
      db.prepare("insert into knowledge_test_options (question_id, position, label, is_correct) values (?, ?, ?, ?)").run(questionId, k + 1, label, k === 0 ? 1 : 0);
    });
  });
  personId = Number(db.prepare("insert into people (given_name, family_name, email, created_at, updated_at) values ('Kendra', 'Rolle', 'kendra.rolle@immigration.example', ?, ?)").run(now, now).lastInsertRowid);
  registrationId = Number(
    db
      .prepare("insert into registrations (event_id, person_id, event_role, status, status_changed_at, created_at, updated_at) values (?, ?, 'participant', 'confirmed', ?, ?, ?)")
      .run(eventId, personId, now, now, now).lastInsertRowid,
  );
  db.close();
});

// the spec leaves the demo as it found it
test.afterAll(() => {
  const db = openDb();
  db.prepare("delete from knowledge_tests where event_id = ?").run(eventId);
  db.prepare("delete from registrations where id = ?").run(registrationId);
  db.prepare("delete from people where id = ?").run(personId);
  db.close();
});

/** The link the coordinator's email would carry (the same HMAC as the server's, with its secret). */
function personalLink(target: "pre" | "post" | "feedback" | `session-${number}`, expiresAtMs = Date.now() + 3_600_000) {
  const db = openDb();
  db.prepare("insert into app_settings (key, value) values ('evaluation_access_secret', ?) on conflict do nothing").run(crypto.randomBytes(32).toString("hex"));
  const secret = Buffer.from((db.prepare("select value from app_settings where key = 'evaluation_access_secret'").get() as { value: string }).value, "hex");
  db.close();
  const expires = Math.floor(expiresAtMs / 1000);
  const mac = crypto.createHmac("sha256", secret).update(`evaluation-access:${registrationId}:${target}:${expires}:l`).digest("base64url");
  return `/take/${registrationId}.${target}.${expires}.l.${mac}`;
}

async function shot(page: Page, name: string) {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

test("a person without an account opens their personal link on a phone and takes the pre-test", async ({ browser, baseURL }) => {
  test.setTimeout(90_000);
  const context = await browser.newContext({ viewport: PHONE, locale: "en-GB" });
  const page = await context.newPage();
  const referers: string[] = [];
  page.on("request", (request) => {
    const referer = request.headers()["referer"];
    if (referer) referers.push(referer);
  });
  const link = personalLink("pre");
  const response = await page.goto(link);
  // the token leaves the address bar at once: the page is /take, its answers carry no Referer
  await expect(page).toHaveURL(`${baseURL}/take`);
  expect(response!.headers()["referrer-policy"]).toBe("no-referrer");
  expect(response!.headers()["cache-control"]).toBe("no-store");
  await expect(page.getByRole("heading", { name: "Pre-test" })).toBeVisible();
  await expect(page.getByText(TRAINING)).toBeVisible();
  // nobody is signed in, and nothing of the app is one tap away
  await expect(page.getByRole("link", { name: /Sign in|Events|My page/ })).toHaveCount(0);
  await shot(page, "take-360-en");

  // an answer chosen is saved at once: a reload (a dropped connection) keeps it
  const first = page.getByRole("radio", { name: "The competent authority after identification" });
  await first.check();
  await expect(page.locator("[data-autosave]")).toHaveText("Saved");
  await page.reload();
  await expect(page.getByRole("radio", { name: "The competent authority after identification" })).toBeChecked();

  // submitting without the second answer: refused, the first one kept
  await page.getByRole("button", { name: "Submit my answers" }).click();
  await expect(page.getByText("Answer question 2 before you submit.", { exact: false })).toBeVisible();
  await expect(page.getByRole("radio", { name: "The competent authority after identification" })).toBeChecked();
  await page.getByRole("radio", { name: "Their safety and immediate needs" }).check();
  await page.getByRole("button", { name: "Submit my answers" }).click();
  await expect(page.getByText("Your score: 2 of 2 correct (100%).")).toBeVisible();
  await expect(page.getByRole("button", { name: "Submit my answers" })).toHaveCount(0);
  await shot(page, "take-360-en-submitted");
  expect(referers.filter((r) => r.includes("/take/"))).toEqual([]);

  // the same link opened again shows the submission, not a second chance
  await page.goto(link);
  await expect(page.getByText("Your score: 2 of 2 correct (100%).")).toBeVisible();

  // closing the page forgets the access on this phone
  await page.getByRole("button", { name: "Close this page on this device" }).click();
  await expect(page.getByRole("heading", { name: "Done" })).toBeVisible();
  await page.goto("/take");
  await expect(page.getByRole("heading", { name: "Nothing is open on this device" })).toBeVisible();

  // a link altered to reach another phase: a clear refusal, not an error
  const altered = await page.goto(link.replace(".pre.", ".post."));
  expect(altered!.status()).toBe(403);
  await expect(page.getByRole("heading", { name: "This link does not work" })).toBeVisible();
  await shot(page, "refused-360-en");
  const expired = await page.goto(personalLink("pre", Date.now() - 1000));
  expect(expired!.status()).toBe(410);
  await expect(page.getByRole("heading", { name: "This link has expired" })).toBeVisible();
  await context.close();
});

test("the facilitator's code slips and venue screen, and the entry page in Arabic on a phone", async ({ page, browser }) => {
  test.setTimeout(90_000);
  // someone has not taken the pre-test yet: their slip is printed
  const db = openDb();
  db.prepare("delete from knowledge_test_attempts where registration_id = ?").run(registrationId);
  db.close();
  await page.setViewportSize({ width: 1280, height: 900 });
  await signIn(page, "facilitator@example.org");
  await page.goto(`/events/${eventId}/evaluation-access`);
  await expect(page.getByRole("heading", { name: "Without an account" })).toBeVisible();
  await shot(page, "tab-1280-en");
  await page.goto(`/events/${eventId}/evaluation/pre/slips`);
  const slip = page.locator("[data-slip]", { hasText: "Kendra Rolle" });
  await expect(slip).toBeVisible();
  const code = (await slip.locator("[data-code]").textContent())!;
  expect(code).toMatch(/^[2-9A-Z]{4}-[2-9A-Z]{4}$/);
  await shot(page, "slips-1280-en");
  await page.goto(`/events/${eventId}/evaluation/pre/screen`);
  await expect(page.getByRole("img", { name: "QR code that opens the page where you type your personal code" })).toBeVisible();
  const entry = (await page.getByTestId("entry-url").textContent())!;
  await shot(page, "screen-1280-en");

  const phone = await browser.newContext({ viewport: PHONE, locale: "ar" });
  const person = await phone.newPage();
  await person.goto(new URL(entry).pathname);
  await expect(person.locator("html")).toHaveAttribute("dir", "rtl");
  await person.getByLabel("الرمز الشخصي").fill("ZZZZ-ZZZZ");
  await person.getByRole("button", { name: "متابعة" }).click();
  await expect(person.getByRole("alert")).toHaveText("هذا الرمز غير صحيح. قارنه بورقتك.");
  await expect(person.getByLabel("الرمز الشخصي")).toHaveValue("ZZZZ-ZZZZ");
  await shot(person, "entry-360-ar-wrong");
  await person.getByLabel("الرمز الشخصي").fill(code.toLowerCase());
  await person.getByRole("button", { name: "متابعة" }).click();
  await expect(person).toHaveURL(/\/take$/);
  await expect(person.getByRole("heading", { name: "الاختبار القبلي" })).toBeVisible();
  await shot(person, "take-360-ar");
  await phone.close();
});

async function switchTo(page: Page, label: string) {
  const select = page.locator("header select[name=locale]").first();
  if (!(await select.isVisible())) await page.locator("header summary").first().click();
  await page.locator("header select[name=locale]:visible").selectOption({ label });
}

test("a person without an account answers a session's feedback form through a personal link on a phone; the tab lists the form", async ({ page, browser, baseURL }) => {
  test.setTimeout(90_000);
  // the coordinator opened a form for the training's first session
  const db = openDb();
  const now = Date.now();
  const session = db.prepare("select id, title from event_sessions where event_id = ? and kind <> 'break' order by starts_at, id limit 1").get(eventId) as { id: number; title: string };
  db.prepare("delete from feedback_forms where session_id = ?").run(session.id);
  const formId = Number(
    db.prepare("insert into feedback_forms (event_id, session_id, opened_at, created_at, updated_at) values (?, ?, ?, ?, ?)").run(eventId, session.id, now, now, now).lastInsertRowid,
  );
  db.close();
  try {
    const link = personalLink(`session-${session.id}`);
    const phone = await browser.newContext({ viewport: PHONE, locale: "en-GB", isMobile: true, hasTouch: true });
    const person = await phone.newPage();
    await person.goto(link);
    await expect(person).toHaveURL(`${baseURL}/take`);
    await expect(person.getByRole("heading", { level: 1, name: "Feedback on a session" })).toBeVisible();
    await expect(person.getByText(session.title)).toBeVisible();
    await expect(person.locator("fieldset")).toHaveCount(3);
    expect(await person.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await shot(person, "session-form-360-en");
    // a rating per question (the fourth of five), and a comment
    for (let i = 0; i < 3; i++) await person.locator("fieldset").nth(i).locator("label").nth(3).click();
    await person.getByLabel("Comment").fill("The role plays helped.");
    await person.getByRole("button", { name: "Send my answers" }).click();
    await expect(person.getByText("Thank you: your answers are recorded, anonymously.")).toBeVisible();
    await expect(person.getByRole("button", { name: "Send my answers" })).toHaveCount(0);
    await shot(person, "session-form-360-en-answered");
    await phone.close();

    // the same link on an Arabic phone: right to left, answered already
    const arabic = await browser.newContext({ viewport: PHONE, locale: "ar", isMobile: true, hasTouch: true });
    const ar = await arabic.newPage();
    await ar.goto(link);
    await expect(ar.locator("html")).toHaveAttribute("dir", "rtl");
    await expect(ar.getByRole("heading", { level: 1, name: "رأيك في جلسة" })).toBeVisible();
    await expect(ar.getByText("شكرًا لك: سُجّلت إجاباتك دون ذكر هويتك.")).toBeVisible();
    expect(await ar.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await shot(ar, "session-form-360-ar-answered");
    await arabic.close();

    // the links and codes tab lists the open session form, with its email button, screen and slips
    await page.setViewportSize({ width: 1280, height: 900 });
    await signIn(page, "coordinator@example.org");
    await page.goto(`/events/${eventId}/evaluation-access`);
    await expect(page.getByRole("heading", { name: "Session feedback forms" })).toBeVisible();
    const card = page.locator("section", { has: page.getByRole("heading", { name: /^Feedback on a session: .+/ }).filter({ hasText: session.title }) });
    await expect(card.getByRole("button", { name: "Email personal links" })).toBeVisible();
    await expect(card.getByRole("link", { name: "Print personal codes" })).toHaveAttribute("href", `/events/${eventId}/evaluation/session-${session.id}/slips`);
    await shot(page, "tab-1280-en-session");
    await page.setViewportSize({ width: 360, height: 780 });
    await switchTo(page, "العربية");
    await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
    await page.goto(`/events/${eventId}/evaluation-access`); // the menu the switch opened, closed
    await expect(page.getByRole("heading", { name: "استمارات الرأي في الجلسات" })).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await shot(page, "tab-360-ar-session");
    await page.setViewportSize({ width: 1280, height: 900 });
    await switchTo(page, "English");
    await expect(page.locator("html")).toHaveAttribute("dir", "ltr");
  } finally {
    const cleanup = openDb();
    cleanup.prepare("delete from feedback_forms where id = ?").run(formId);
    cleanup.close();
  }
});
