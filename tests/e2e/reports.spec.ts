import type { Page, TestInfo } from "@playwright/test";
import { expect, test } from "./fixtures";
import { DESK, expectNavigationOnScreen, openDb, PHONE, setLanguage, tr, type Lang, type Viewport } from "./journey-helpers";
import { signIn } from "./sign-in";

/**
 * The activity summary shows a page of its events table (the figures and charts count them all)
 * and says where the rest are: the next pages, and the events' CSV. The specs share data/e2e.db,
 * so this one adds its own programme with 25 events in 2024 and removes them afterwards.
 */

const SUFFIX = `${process.pid}-${Date.now()}`;
const PROGRAMME = `Paging drill programme ${SUFFIX}`;
const EVENTS = 25;
const PAGE_SIZE = 20;
const COORDINATOR = "coordinator@example.org";

let programmeId = 0;

test.beforeAll(() => {
  const db = openDb();
  try {
    db.transaction(() => {
      programmeId = Number(db.prepare("insert into programmes (name) values (?)").run(PROGRAMME).lastInsertRowid);
      const event = db.prepare(
        `insert into events (title, type, programme_id, country, locality, time_zone, start_date, end_date, status)
         values (?, 'workshop', ?, 'BS', 'Nassau', 'America/Nassau', ?, ?, 'completed')`,
      );
      for (let i = 0; i < EVENTS; i++) {
        const day = `2024-${String(1 + Math.floor(i / 3)).padStart(2, "0")}-${["05", "15", "25"][i % 3]}`;
        event.run(`Paging drill ${String(i + 1).padStart(2, "0")} ${SUFFIX}`, programmeId, day, day);
      }
    })();
  } finally {
    db.close();
  }
});

test.afterAll(() => {
  setLanguage(COORDINATOR, null);
  const db = openDb();
  try {
    db.transaction(() => {
      db.prepare("delete from events where programme_id = ?").run(programmeId);
      db.prepare("delete from programmes where id = ?").run(programmeId);
    })();
  } finally {
    db.close();
  }
});

const query = () => `programmeId=${programmeId}&from=2024-01-01&to=2024-12-31`;
const eventRows = (page: Page) => page.locator("section[aria-labelledby=report-table] tbody tr");

async function look(page: Page, testInfo: TestInfo, name: string) {
  await page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
}

test("the events table shows 20 events a page, says how many there are, and leads to the rest", async ({ page }, testInfo) => {
  await page.setViewportSize(DESK);
  setLanguage(COORDINATOR, "en");
  await signIn(page, COORDINATOR);
  await page.goto(`/reports?${query()}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(tr("en", "reports.title"));
  // the figures count every event, the table shows the first page of them
  await expect(page.locator("dl").getByText(String(EVENTS), { exact: true }).first()).toBeVisible();
  await expect(eventRows(page)).toHaveCount(PAGE_SIZE);
  await expect(eventRows(page).first()).toContainText(`Paging drill 01 ${SUFFIX}`);
  const table = page.locator("section[aria-labelledby=report-table]");
  await expect(table.getByText(tr("en", "reports.table.pageRows", { from: 1, to: PAGE_SIZE, total: EVENTS }))).toBeVisible();
  // every event, in a file: the export link beside the count carries the filters
  const csvLink = table.getByRole("link", { name: tr("en", "reports.export.eventsCsv") });
  await expect(csvLink).toHaveAttribute("href", `/reports/events.csv?${query()}`);
  const csv = await page.request.get(`/reports/events.csv?${query()}`);
  expect(csv.status()).toBe(200);
  const text = await csv.text();
  for (let i = 1; i <= EVENTS; i++) expect(text).toContain(`Paging drill ${String(i).padStart(2, "0")} ${SUFFIX}`);
  await look(page, testInfo, "reports-1280-en-page-1");

  // the next page: the last five
  await table.getByRole("link", { name: tr("en", "pagination.next") }).click();
  await expect(page).toHaveURL(/[?&]page=2/);
  await expect(eventRows(page)).toHaveCount(EVENTS - PAGE_SIZE);
  await expect(eventRows(page).first()).toContainText(`Paging drill 21 ${SUFFIX}`);
  await expect(table.getByText(tr("en", "reports.table.pageRows", { from: PAGE_SIZE + 1, to: EVENTS, total: EVENTS }))).toBeVisible();
  await expect(table.getByRole("link", { name: tr("en", "pagination.previous") })).toBeVisible();
});

test("every filter is still offered, countries in the reader's alphabetical order", async ({ page }) => {
  await page.setViewportSize(DESK);
  setLanguage(COORDINATOR, "en");
  await signIn(page, COORDINATOR);
  await page.goto(`/reports?${query()}`);
  const form = page.locator("form[aria-labelledby=report-filters]");
  await expect(form.locator("select#programmeId option", { hasText: PROGRAMME })).toHaveCount(1);
  await expect(form.locator("select#programmeId")).toHaveValue(String(programmeId));
  expect(await form.locator("select#donorId option").count()).toBeGreaterThan(1);
  expect(await form.locator("select#partnerId option").count()).toBeGreaterThan(1);
  await expect(form.locator("select#gcmObjectiveId option")).toHaveCount(24);
  await expect(form.locator("input#from")).toHaveValue("2024-01-01");
  await expect(form.locator("input#to")).toHaveValue("2024-12-31");
  const countries = await form.locator("select#country option").allTextContents();
  expect(countries.length).toBeGreaterThan(2);
  const named = countries.slice(1);
  expect(named).toEqual([...named].sort((a, b) => a.localeCompare(b, "en")));
});

const LOOKS: { viewport: Viewport; lang: Lang }[] = [
  { viewport: DESK, lang: "ar" },
  { viewport: PHONE, lang: "en" },
  { viewport: PHONE, lang: "ar" },
];

for (const { viewport, lang } of LOOKS) {
  test(`the summary at ${viewport.width} px in ${lang}: a page of events, the way to the rest, nothing off screen`, async ({ page }, testInfo) => {
    await page.setViewportSize(viewport);
    setLanguage(COORDINATOR, lang);
    await signIn(page, COORDINATOR);
    await page.goto(`/reports?${query()}`);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(tr(lang, "reports.title"));
    await expect(eventRows(page)).toHaveCount(PAGE_SIZE);
    const table = page.locator("section[aria-labelledby=report-table]");
    await expect(table.getByRole("link", { name: tr(lang, "reports.export.eventsCsv") })).toBeVisible();
    await expect(table.getByRole("link", { name: tr(lang, "pagination.next") })).toBeVisible();
    await expectNavigationOnScreen(page, `reports ${viewport.width} px ${lang}`);
    await look(page, testInfo, `reports-${viewport.width}-${lang}`);
  });
}
