import path from "node:path";
import Database from "better-sqlite3";
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { signIn } from "./sign-in";

/**
 * The knowledge test in a browser: the coordinator writes three questions on the training in
 * progress (reordering them without JavaScript) and opens the pre-test; the participant takes it on
 * a phone from /me — an answer saved as it is chosen survives a reload — and submits; the results
 * page shows the score. Screenshots of each page at 1280 and 360 px, in English and Arabic, land in
 * test-results/knowledge-tests/.
 */

const TRAINING = "Trauma-Informed Interviewing of Victims of Trafficking";
const PHONE = { width: 360, height: 780 };
const SHOTS = path.resolve("test-results/knowledge-tests");

function openDb() {
  const db = new Database(path.resolve("data/e2e.db"));
  db.pragma("busy_timeout = 5000");
  db.pragma("foreign_keys = ON");
  return db;
}

function trainingId(title = TRAINING) {
  const db = openDb();
  const row = db.prepare("select id from events where title = ?").get(title) as { id: number };
  db.close();
  return row.id;
}

// the demo gives the training a test (pre-test done, post-test open): this journey builds one from scratch
test.beforeAll(() => {
  const db = openDb();
  db.prepare("delete from knowledge_tests where event_id = ?").run(trainingId());
  db.close();
});

// the spec leaves no test on the training and no language chosen
test.afterAll(() => {
  const db = openDb();
  db.prepare("delete from knowledge_tests where event_id = ?").run(trainingId());
  db.prepare("update users set locale = null").run();
  db.close();
});

/** The whole page; on a phone also in screen-high parts (a tall full page is unreadable once scaled down). */
async function shot(page: Page, name: string) {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
  const viewport = page.viewportSize()!;
  if (viewport.width > 500) return;
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  for (let part = 0; part * viewport.height < height && part < 6; part++) {
    const clip = { x: 0, y: part * viewport.height, width: viewport.width, height: Math.min(viewport.height, height - part * viewport.height) };
    await page.screenshot({ path: path.join(SHOTS, `${name}-part${part + 1}.png`), fullPage: true, clip });
  }
}

/** The account's language, as its profile would say (the phone's menu hides the language choice). */
function chooseLanguage(email: string, locale: string) {
  const db = openDb();
  db.prepare("update users set locale = ? where email = ?").run(locale, email);
  db.close();
}

async function addQuestion(page: Page, base: string, fill: (page: Page) => Promise<void>) {
  await page.goto(`${base}/questions/new`);
  await fill(page);
  await page.getByRole("button", { name: "Save the question" }).click();
  await expect(page.getByText("The question is saved.")).toBeVisible();
}

test("a coordinator builds and opens a pre-test; a participant takes it on a phone; the results show the score", async ({ page, browser, baseURL }) => {
  // a long journey (three accounts, two languages, two widths), each page also checked by axe
  test.setTimeout(180_000);
  const eventId = trainingId();
  const base = `/events/${eventId}/tests`;
  await page.setViewportSize({ width: 1280, height: 900 });
  await signIn(page, "coordinator@example.org");
  await page.goto(base);
  await expect(page.getByRole("heading", { name: "Knowledge test" })).toBeVisible();
  await expect(page.getByText("No questions yet")).toBeVisible();

  // a single-choice question whose form first comes back with an error, filled in
  await page.goto(`${base}/questions/new`);
  await page.locator("#prompt").fill("Which instrument defines trafficking in persons?");
  await page.getByRole("textbox", { name: "Answer 1" }).fill("The Palermo Protocol");
  await page.getByRole("button", { name: "Save the question" }).click();
  await expect(page.getByText("Write at least two answers.").first()).toBeVisible();
  await expect(page.getByRole("textbox", { name: "Answer 1" })).toHaveValue("The Palermo Protocol");
  await page.getByRole("textbox", { name: "Answer 2" }).fill("The Kyoto Protocol");
  await page.getByRole("textbox", { name: "Answer 3" }).fill("The Geneva Convention");
  await page.getByRole("checkbox", { name: /Correct \(Answer 1\)/ }).check();
  await shot(page, "question-form-en-1280");
  await page.getByRole("button", { name: "Save the question" }).click();
  await expect(page.getByText("The question is saved.")).toBeVisible();

  await addQuestion(page, base, async (p) => {
    await p.getByRole("radio", { name: "True or false", exact: true }).check();
    // with JavaScript the answer rows give way to the true/false choice
    await expect(p.getByRole("textbox", { name: "Answer 1" })).toHaveCount(0);
    await p.locator("#prompt").fill("A victim must have crossed a border.");
    await p.getByRole("radio", { name: "False", exact: true }).check();
    await p.getByLabel("Explanation (optional)").fill("Trafficking can happen within one country.");
  });
  await addQuestion(page, base, async (p) => {
    await p.getByRole("radio", { name: "Multiple choice" }).check();
    await p.locator("#prompt").fill("Which are indicators of trafficking?");
    await p.getByRole("textbox", { name: "Answer 1" }).fill("Confiscated identity documents");
    await p.getByRole("textbox", { name: "Answer 2" }).fill("Debt owed to the recruiter");
    await p.getByRole("textbox", { name: "Answer 3" }).fill("A valid work permit");
    await p.getByRole("checkbox", { name: /Correct \(Answer 1\)/ }).check();
    await p.getByRole("checkbox", { name: /Correct \(Answer 2\)/ }).check();
  });
  await shot(page, "tab-en-1280");

  // reordering works without JavaScript: each up and down button is a plain form, which posts as a browser without scripts would
  const upForm = page.locator("form").filter({ has: page.getByRole("button", { name: "Move question 3 up" }) });
  const fields = Object.fromEntries(await upForm.locator("input[type=hidden]").evaluateAll((inputs) => inputs.map((i) => [(i as HTMLInputElement).name, (i as HTMLInputElement).value])));
  expect(fields).toMatchObject({ intent: "move", direction: "up" });
  const moved = await page.context().request.post(`${baseURL}${base}`, { form: fields, headers: { Origin: baseURL! }, maxRedirects: 0 });
  expect(moved.status()).toBe(302);
  expect(moved.headers().location).toBe(`${base}?done=moved`);
  await page.goto(`${base}?done=moved`);
  await expect(page.getByText("The question has moved.")).toBeVisible();
  await expect(page.locator("[data-questions] > li").nth(1)).toContainText("Which are indicators of trafficking?");

  await page.goto(base);
  await page.getByRole("button", { name: "Open the pre-test now" }).click();
  await expect(page.getByText("The pre-test is open.")).toBeVisible();
  await expect(page.getByText("Open since")).toBeVisible();
  await shot(page, "tab-open-en-1280");
  await page.setViewportSize(PHONE);
  await shot(page, "tab-open-en-360");

  // the participant, on a phone
  const phone = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
  const p = await phone.newPage();
  await signIn(p, "participant@example.org");
  await p.goto("/me");
  await expect(p.getByText("Pre-test open")).toBeVisible();
  await shot(p, "me-en-360");
  await p.getByRole("link", { name: "Take the pre-test" }).click();
  await expect(p.getByRole("heading", { name: "Pre-test" })).toBeVisible();
  await p.getByText("The Palermo Protocol").click();
  await expect(p.locator("[data-autosave]")).toHaveText("Saved");
  // the connection drops, the page is reloaded: the answer is still there
  await p.reload();
  await expect(p.getByRole("radio", { name: "The Palermo Protocol" })).toBeChecked();
  await expect(p.getByText("1 of 3 answered")).toBeVisible();
  await p.getByRole("radio", { name: "False", exact: true }).check();
  await p.getByRole("checkbox", { name: "Confiscated identity documents" }).check();
  await shot(p, "take-en-360");
  // a second tap while the first submission is on its way (held here until then) sends nothing:
  // one submission, the score, no refusal
  const submissions: string[] = [];
  let captured!: () => void;
  const firstCaptured = new Promise<void>((resolve) => (captured = resolve));
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await p.route("**/me/tests/**", async (route) => {
    const request = route.request();
    if (request.method() !== "POST" || !(request.postData() ?? "").includes("intent=submit")) return await route.continue();
    submissions.push(request.url());
    if (submissions.length === 1) {
      captured();
      await released;
    }
    await route.continue().catch(() => undefined); // the browser may have given up on it
  });
  const submit = p.getByRole("button", { name: "Submit my answers" });
  await submit.click();
  await firstCaptured;
  await submit.evaluate((button: HTMLButtonElement) => button.click());
  release();
  await expect(p.getByText("Your score: 2 of 3 correct (66.7%).")).toBeVisible();
  await expect(p.getByText("You have already submitted this test")).toHaveCount(0);
  expect(submissions).toHaveLength(1);
  await p.unroute("**/me/tests/**");
  await shot(p, "submitted-en-360");
  await p.goto("/me");
  await expect(p.getByText("Pre-test open")).toHaveCount(0);

  // in Arabic, right to left
  chooseLanguage("participant@example.org", "ar");
  await p.goto(`/me/tests/${eventId}/pre`);
  await expect(p.locator("html")).toHaveAttribute("dir", "rtl");
  await expect(p.getByText("درجتك")).toBeVisible();
  await shot(p, "submitted-ar-360");
  await phone.close();

  // the results
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${base}/results`);
  await expect(page.getByRole("heading", { name: "Knowledge test results" })).toBeVisible();
  await expect(page.getByRole("row", { name: /66\.7%/ })).toBeVisible();
  await shot(page, "results-en-1280");
  chooseLanguage("coordinator@example.org", "ar");
  await page.goto(`${base}/results`);
  await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
  await shot(page, "results-ar-1280");
  await page.setViewportSize(PHONE);
  await shot(page, "results-ar-360");
  await page.goto(base);
  await shot(page, "tab-ar-360");
  await page.setViewportSize({ width: 1280, height: 900 });
  await shot(page, "tab-ar-1280");
  // the question form in Arabic, on an event whose test has not started (nothing is saved)
  const other = trainingId("Counter-Trafficking Training for Immigration Officials");
  await page.goto(`/events/${other}/tests/questions/new`);
  await expect(page.locator("#prompt")).toBeVisible();
  await shot(page, "question-form-ar-1280");
  await page.setViewportSize(PHONE);
  await shot(page, "question-form-ar-360");
});

test("the Bahamas training's results fit a 360 px phone, in English and in Arabic; a participant's review marks the correct answers without squeezing them", async ({ page }) => {
  const bahamas = trainingId("Identification and Protection of Victims of Trafficking and Migrants in Vulnerable Situations");
  await page.setViewportSize(PHONE);
  await signIn(page, "coordinator@example.org");
  for (const locale of ["en", "ar"]) {
    chooseLanguage("coordinator@example.org", locale);
    await page.goto(`/events/${bahamas}/tests/results`);
    await expect(page.locator("html")).toHaveAttribute("lang", locale);
    const tables = page.locator("[role=region]");
    await expect(tables).toHaveCount(2); // each question; each person
    // nothing to scroll sideways: every column of both tables is on the screen
    for (const [scroll, client] of await tables.evaluateAll((regions) => regions.map((r) => [r.scrollWidth, r.clientWidth]))) expect(scroll).toBeLessThanOrEqual(client);
    // the paper score's link is there, under a name
    await expect(page.getByRole("link", { name: /paper score|درجة ورقية/i }).first()).toBeVisible();
    // the paper-score form offers the same people as those links: a test submitted online cannot be replaced
    const paperLinks = await page.locator("tbody a[href*='person=']:visible").count();
    expect(paperLinks).toBeGreaterThan(0);
    await expect(page.locator("select[name=registrationId] option:not([value=''])")).toHaveCount(paperLinks);
    await shot(page, `results-${locale}-360`);
  }
  chooseLanguage("coordinator@example.org", "en");

  chooseLanguage("participant@example.org", "en");
  await signIn(page, "participant@example.org");
  await page.goto(`/me/tests/${bahamas}/post`);
  const correct = page.getByText("Correct answer").first();
  await expect(correct).toBeVisible();
  // the mark under the option's text, which keeps the width of the option
  const option = page.locator("label", { has: correct }).locator("bdi").first();
  const [text, mark] = [await option.boundingBox(), await correct.boundingBox()];
  expect(mark!.y).toBeGreaterThan(text!.y);
  expect(text!.width).toBeGreaterThan(200);
});
