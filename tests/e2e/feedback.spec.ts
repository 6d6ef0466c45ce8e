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
    const form = db.prepare("select id from feedback_forms where event_id = ?").get(eventId) as { id: number };
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
