import crypto from "node:crypto";
import Database from "better-sqlite3";
import type { Page } from "@playwright/test";
import { DEMO_EVENTS } from "../../db/seed/demo";
import { expect, test } from "./fixtures";
import { signIn } from "./sign-in";

// The journey changes the demo (a feedback form, answers, the participant's language): undo it for other specs.
test.afterEach(() => {
  const db = new Database("data/e2e.db");
  db.prepare("update users set locale = null").run();
  db.prepare("delete from feedback_forms").run();
  db.close();
});

function currentEvent() {
  const db = new Database("data/e2e.db", { readonly: true });
  try {
    return (db.prepare("select id from events where title = ?").get(DEMO_EVENTS.current) as { id: number }).id;
  } finally {
    db.close();
  }
}

/** Five more answers from other confirmed participants, as the model writes them: who apart from what. */
function fiveMoreAnswers(eventId: number) {
  const db = new Database("data/e2e.db");
  try {
    const form = db.prepare("select id from feedback_forms where event_id = ? and session_id is null").get(eventId) as { id: number };
    const others = db
      .prepare(
        `select r.person_id as personId from registrations r where r.event_id = ? and r.event_role = 'participant' and r.status = 'confirmed'
         and r.person_id not in (select person_id from feedback_respondents where form_id = ?) order by r.id limit 5`,
      )
      .all(eventId, form.id) as { personId: number }[];
    const comments = ["The role plays with interpreters were very useful.", null, "Too much content for one afternoon.", "نحتاج إلى مزيد من الحالات العملية.", null];
    db.transaction(() => {
      others.forEach((o, i) => {
        db.prepare("insert into feedback_respondents (form_id, person_id) values (?, ?)").run(form.id, o.personId);
        db.prepare(
          "insert into feedback_answers (id, form_id, rating_overall, rating_content, rating_facilitators, rating_relevance, rating_confidence, comment) values (?, ?, ?, ?, ?, ?, ?, ?)",
        ).run(crypto.randomBytes(16).toString("hex"), form.id, 5 - (i % 3), 4, 5 - (i % 2), 3 + (i % 3), 2 + (i % 4), comments[i]);
      });
    })();
  } finally {
    db.close();
  }
}

async function switchTo(page: Page, label: string) {
  const select = page.locator("header select[name=locale]").first();
  if (!(await select.isVisible())) await page.locator("header summary").first().click();
  await page.locator("header select[name=locale]:visible").selectOption({ label });
}

test("the coordinator opens the feedback form, a participant answers on a phone, the results show once closed", async ({ page, browser }) => {
  test.setTimeout(90_000);
  const eventId = currentEvent();

  // the coordinator at a desk opens the form
  await page.setViewportSize({ width: 1280, height: 900 });
  await signIn(page, "coordinator@example.org");
  await page.goto(`/events/${eventId}/feedback`);
  await expect(page.getByRole("heading", { level: 2, name: "Feedback" })).toBeVisible();
  await page.screenshot({ path: "test-results/feedback-en-1280-not-opened.png", fullPage: true });
  await page.getByRole("button", { name: "Open the feedback form now" }).click();
  await expect(page.getByText("The feedback form is open: participants find it on their page.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Send one reminder" })).toBeVisible();
  await page.screenshot({ path: "test-results/feedback-en-1280-open.png", fullPage: true });
  await switchTo(page, "العربية");
  await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
  await page.screenshot({ path: "test-results/feedback-ar-1280-open.png", fullPage: true });
  await switchTo(page, "English");
  await expect(page.locator("html")).toHaveAttribute("dir", "ltr");

  // the participant, on a phone, in Arabic
  const phone = await browser.newContext({ viewport: { width: 360, height: 780 }, isMobile: true, hasTouch: true });
  const p = await phone.newPage();
  await signIn(p, "participant@example.org");
  await switchTo(p, "العربية");
  await expect(p.locator("html")).toHaveAttribute("dir", "rtl");
  await p.goto("/me");
  await p.getByRole("link", { name: "إبداء رأيي" }).click();
  await expect(p.getByRole("heading", { level: 1, name: "رأيك في التدريب" })).toBeVisible();
  await p.screenshot({ path: "test-results/feedback-ar-360-form.png", fullPage: true });
  await p.getByRole("button", { name: "إرسال إجاباتي" }).click();
  await expect(p.getByRole("alert").first()).toContainText("اختر تقييمًا من 1 إلى 5.");
  await p.screenshot({ path: "test-results/feedback-ar-360-errors.png", fullPage: true });

  // back to English, answers, and cannot answer twice
  await switchTo(p, "English");
  await expect(p.locator("html")).toHaveAttribute("dir", "ltr");
  await p.goto(`/me/feedback/${eventId}`);
  for (const [question, value] of [["overall", 5], ["content", 4], ["facilitators", 5], ["relevance", 4], ["confidence", 3]] as const) {
    await p.locator(`fieldset#${question} label`).nth(value - 1).click();
  }
  await p.locator("#comment").fill("The interview practice with real case files was the best part.");
  await p.screenshot({ path: "test-results/feedback-en-360-filled.png", fullPage: true });
  await p.getByRole("button", { name: "Send my answers" }).click();
  await expect(p.getByText("Thank you: your answers are recorded, anonymously.")).toBeVisible();
  await expect(p.getByRole("button", { name: "Send my answers" })).toHaveCount(0);
  await p.screenshot({ path: "test-results/feedback-en-360-thanks.png", fullPage: true });
  await p.goto("/me");
  await expect(p.getByText("Answered — thank you")).toBeVisible();
  await phone.close();

  // five more people answer; the coordinator sees who has not, then closes the form and reads the results
  fiveMoreAnswers(eventId);
  await page.reload();
  await expect(page.getByTestId("feedback-response-rate")).toContainText("6 of");
  await page.getByText("Close the form now…").click();
  await page.getByRole("button", { name: "Close the form", exact: true }).click();
  await expect(page.getByText("The feedback form is closed.")).toBeVisible();
  await expect(page.getByTestId("feedback-question-overall")).toContainText("Mean");
  await expect(page.getByTestId("feedback-comments")).toContainText("The interview practice with real case files was the best part.");
  await page.screenshot({ path: "test-results/feedback-en-1280-results.png", fullPage: true });

  await switchTo(page, "العربية");
  await page.setViewportSize({ width: 360, height: 780 });
  await page.goto(`/events/${eventId}/feedback`);
  await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
  await expect(page.getByTestId("feedback-comments")).toBeVisible();
  await page.screenshot({ path: "test-results/feedback-ar-360-results.png", fullPage: true });
  await page.screenshot({ path: "test-results/feedback-ar-360-results-top.png" });
  await page.getByTestId("feedback-non-respondents").screenshot({ path: "test-results/feedback-ar-360-non-respondents.png" });
  await page.getByTestId("feedback-question-overall").screenshot({ path: "test-results/feedback-ar-360-question.png" });
  await page.getByTestId("feedback-comments").screenshot({ path: "test-results/feedback-ar-360-comments.png" });
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: "test-results/feedback-ar-1280-results.png", fullPage: true });
});

/** The first session of the event, in timetable order. */
function firstSession(eventId: number) {
  const db = new Database("data/e2e.db", { readonly: true });
  try {
    return db.prepare("select id, title from event_sessions where event_id = ? order by starts_at, id limit 1").get(eventId) as { id: number; title: string };
  } finally {
    db.close();
  }
}

/** Five more answers to a session's form (three ratings), as the model writes them. */
function fiveMoreSessionAnswers(eventId: number, sessionId: number) {
  const db = new Database("data/e2e.db");
  try {
    const form = db.prepare("select id from feedback_forms where session_id = ?").get(sessionId) as { id: number };
    const others = db
      .prepare(
        `select r.person_id as personId from registrations r where r.event_id = ? and r.event_role = 'participant' and r.status = 'confirmed'
         and r.person_id not in (select person_id from feedback_respondents where form_id = ?) order by r.id limit 5`,
      )
      .all(eventId, form.id) as { personId: number }[];
    const comments = ["Clear examples from our own ports.", null, "The indicators list should be handed out on paper.", "الجلسة كانت قصيرة جدا.", null];
    db.transaction(() => {
      others.forEach((o, i) => {
        db.prepare("insert into feedback_respondents (form_id, person_id) values (?, ?)").run(form.id, o.personId);
        db.prepare("insert into feedback_answers (id, form_id, rating_content, rating_facilitators, rating_relevance, comment) values (?, ?, ?, ?, ?, ?)").run(
          crypto.randomBytes(16).toString("hex"), form.id, 5 - (i % 3), 4 + (i % 2), 3 + (i % 3), comments[i],
        );
      });
    })();
  } finally {
    db.close();
  }
}

test("the coordinator opens a session's form, a participant answers it on a phone, its results show once closed", async ({ page, browser }) => {
  test.setTimeout(90_000);
  const eventId = currentEvent();
  const session = firstSession(eventId);

  // the coordinator opens the first session's form; the end-of-event form stays as it is
  await page.setViewportSize({ width: 1280, height: 900 });
  await signIn(page, "coordinator@example.org");
  await page.goto(`/events/${eventId}/feedback`);
  await expect(page.getByRole("heading", { level: 2, name: "Session forms (optional)" })).toBeVisible();
  await expect(page.getByText("This end-of-event form is the one a certificate can require")).toBeVisible();
  await page.locator(`#session-${session.id}`).getByRole("button", { name: "Open a form for this session" }).click();
  await expect(page.getByText("The session’s feedback form is open: participants find it on their page.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Open the feedback form now" })).toBeVisible();
  await expect(page.locator(`#session-${session.id}`)).toContainText("Open");
  await page.screenshot({ path: "test-results/session-feedback-en-1280-tab-open.png", fullPage: true });
  await switchTo(page, "العربية");
  await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
  await page.screenshot({ path: "test-results/session-feedback-ar-1280-tab-open.png", fullPage: true });
  await switchTo(page, "English");

  // the participant, on a phone, in Arabic: the form is on their page
  const phone = await browser.newContext({ viewport: { width: 360, height: 780 }, isMobile: true, hasTouch: true });
  const p = await phone.newPage();
  await signIn(p, "participant@example.org");
  await switchTo(p, "العربية");
  await expect(p.locator("html")).toHaveAttribute("dir", "rtl");
  await p.goto("/me");
  await expect(p.getByTestId("my-session-feedback-forms")).toContainText(session.title);
  await p.getByTestId("my-session-feedback-forms").scrollIntoViewIfNeeded();
  await p.screenshot({ path: "test-results/session-feedback-ar-360-me.png" });
  await p.getByRole("link", { name: `إبداء رأيي في «${session.title}»` }).click();
  await expect(p.getByRole("heading", { level: 1, name: "رأيك في جلسة" })).toBeVisible();
  await expect(p.locator("fieldset")).toHaveCount(3);
  await p.screenshot({ path: "test-results/session-feedback-ar-360-form.png", fullPage: true });

  // in English: a missing rating is named, then the answer goes through once
  await switchTo(p, "English");
  await expect(p.locator("html")).toHaveAttribute("dir", "ltr");
  await p.goto(`/me/feedback/${eventId}/sessions/${session.id}`);
  await expect(p.getByText("How useful was the content of this session?")).toBeVisible();
  await p.locator("fieldset#content label").nth(4).click();
  await p.locator("#comment").fill("The case on recruitment through social media was very concrete.");
  await p.getByRole("button", { name: "Send my answers" }).click();
  await expect(p.getByRole("alert").first()).toContainText("Choose a rating from 1 to 5.");
  await expect(p.locator("#comment")).toHaveValue("The case on recruitment through social media was very concrete.");
  await p.screenshot({ path: "test-results/session-feedback-en-360-errors.png", fullPage: true });
  await p.locator("fieldset#facilitators label").nth(3).click();
  await p.locator("fieldset#relevance label").nth(4).click();
  await p.getByRole("button", { name: "Send my answers" }).click();
  await expect(p.getByText("Thank you: your answers are recorded, anonymously.")).toBeVisible();
  await expect(p.getByRole("button", { name: "Send my answers" })).toHaveCount(0);
  await p.goto("/me");
  await expect(p.getByTestId("my-session-feedback-forms")).toContainText("Answered — thank you");
  await p.getByTestId("my-session-feedback-forms").scrollIntoViewIfNeeded();
  await p.screenshot({ path: "test-results/session-feedback-en-360-me.png" });
  await p.setViewportSize({ width: 1280, height: 900 });
  await p.screenshot({ path: "test-results/session-feedback-en-1280-me.png", fullPage: true });
  await switchTo(p, "العربية");
  await p.screenshot({ path: "test-results/session-feedback-ar-1280-me.png", fullPage: true });
  await phone.close();

  // five more answers; the coordinator closes the session's form and reads its results
  fiveMoreSessionAnswers(eventId, session.id);
  await page.reload();
  const card = page.locator(`#session-${session.id}`);
  await expect(card.getByTestId("session-feedback-answered")).toContainText("6 of");
  await card.getByText("Close the form now…").click();
  await card.getByRole("button", { name: "Close the form", exact: true }).click();
  await expect(page.getByText("The session’s feedback form is closed.")).toBeVisible();
  const results = page.getByTestId(`session-feedback-results-${session.id}`);
  await expect(results.getByTestId("feedback-question-content")).toContainText("Mean");
  await expect(results.getByTestId("feedback-question-overall")).toHaveCount(0);
  await expect(results.getByTestId("feedback-comments")).toContainText("The case on recruitment through social media was very concrete.");
  // the end-of-event form was never opened
  await expect(page.getByRole("button", { name: "Open the feedback form now" })).toBeVisible();
  await page.screenshot({ path: "test-results/session-feedback-en-1280-results.png", fullPage: true });

  await switchTo(page, "العربية");
  await page.setViewportSize({ width: 360, height: 780 });
  await page.goto(`/events/${eventId}/feedback`);
  await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
  await page.screenshot({ path: "test-results/session-feedback-ar-360-results.png", fullPage: true });
  await page.locator(`#session-${session.id}`).screenshot({ path: "test-results/session-feedback-ar-360-session.png" });
  await switchTo(page, "English");
  await page.locator(`#session-${session.id}`).screenshot({ path: "test-results/session-feedback-en-360-session.png" });
});
