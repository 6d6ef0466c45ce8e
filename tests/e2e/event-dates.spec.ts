import path from "node:path";
import Database from "better-sqlite3";
import { expect, test } from "./fixtures";
import { signIn } from "./sign-in";

/**
 * Dates that make sense: an open training next month cannot take attendance yet, and starting it
 * early asks for a reason first. The specs share data/e2e.db, so this one adds its own event and
 * removes it afterwards.
 */

const EVENT_TITLE = `Training next month ${process.pid}-${Date.now()}`;
let eventId: number;

function openDb() {
  const db = new Database(path.resolve("data/e2e.db"));
  db.pragma("journal_mode = WAL");
  db.pragma("foreign_keys = ON");
  db.pragma("busy_timeout = 5000");
  return db;
}

test.beforeAll(() => {
  const db = openDb();
  try {
    const now = Date.now();
    const day = (offset: number) => new Date(now + offset * 86_400_000).toISOString().slice(0, 10);
    eventId = Number(
      db
        .prepare(
          `insert into events (title, type, country, locality, time_zone, start_date, end_date, status)
           values (?, 'training', 'BS', 'Bimini', 'America/Nassau', ?, ?, 'open')`,
        )
        .run(EVENT_TITLE, day(30), day(31)).lastInsertRowid,
    );
    db.prepare(`insert into event_sessions (event_id, title, kind, starts_at, ends_at) values (?, 'Key concepts', 'presentation', ?, ?)`).run(
      eventId,
      now + 30 * 86_400_000,
      now + 30 * 86_400_000 + 90 * 60_000,
    );
  } finally {
    db.close();
  }
});

test.afterAll(() => {
  const db = openDb();
  try {
    db.prepare(`delete from events where id = ?`).run(eventId);
  } finally {
    db.close();
  }
});

test("a session next month is not open for attendance, and starting the event early asks for a reason", async ({ page }) => {
  await signIn(page, "coordinator@example.org");
  await page.goto(`/events/${eventId}/attendance`);
  await expect(page.getByText("Not yet open")).toBeVisible();

  await page.goto(`/events/${eventId}`);
  await page.getByRole("button", { name: "Start the event" }).click();
  const warning = page.getByRole("alert").filter({ hasText: "This change contradicts the event's dates" });
  await expect(warning).toContainText("The event has not started yet: it starts");
  await expect(warning).toContainText("Nassau");
  // blanks are no reason: the server refuses them (the browser already asks for the field)
  await warning.getByLabel("Reason").fill("   ");
  await warning.getByRole("button", { name: "Yes, change the status" }).click();
  await expect(page.getByText("Give the reason for this change").first()).toBeVisible();
  await page.getByLabel("Reason").fill("The pre-training module starts online today.");
  await page.getByRole("button", { name: "Yes, change the status" }).click();
  await expect(page.getByText("The event's status has changed.")).toBeVisible();
  await expect(page.getByText("Reason: The pre-training module starts online today.")).toBeVisible();
});
