import path from "node:path";
import Database from "better-sqlite3";
import type { Browser, Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { passSecondFactor } from "./sign-in";

/**
 * Self check-in on a phone: the coordinator's venue screen shows a rotating code; the participant
 * types it, or opens the QR link and confirms. The specs share data/e2e.db, so this one adds its
 * own event (happening now, with participant@example.org confirmed) and removes it afterwards.
 */

const PHONE = { width: 360, height: 740 };
const PASSWORD = "demo-password";
const SUFFIX = `${process.pid}-${Date.now()}`;
const EVENT_TITLE = `Check-in drill ${SUFFIX}`;
const MANUAL_SESSION = "Victim identification: indicators";
const QR_SESSION = "Referral pathways: group work";

let eventId: number;
let manualSessionId: number;
let qrSessionId: number;
let registrationId: number;

function openDb() {
  const db = new Database(path.resolve("data/e2e.db"));
  db.pragma("journal_mode = WAL");
  db.pragma("foreign_keys = ON");
  db.pragma("busy_timeout = 5000");
  return db;
}

test.use({ viewport: PHONE });

test.beforeAll(() => {
  const db = openDb();
  try {
    const now = Date.now();
    const day = (offset: number) => new Date(now + offset * 86_400_000).toISOString().slice(0, 10);
    db.transaction(() => {
      eventId = Number(
        db
          .prepare(
            `insert into events (title, type, country, locality, time_zone, start_date, end_date, status, check_in_grace_minutes)
             values (?, 'training', 'BS', 'New Providence', 'America/Nassau', ?, ?, 'in_progress', 15)`,
          )
          .run(EVENT_TITLE, day(-1), day(1)).lastInsertRowid,
      );
      const session = db.prepare(`insert into event_sessions (event_id, title, kind, starts_at, ends_at, room) values (?, ?, 'presentation', ?, ?, ?)`);
      manualSessionId = Number(session.run(eventId, MANUAL_SESSION, now - 30 * 60_000, now + 60 * 60_000, "Hall A").lastInsertRowid);
      qrSessionId = Number(session.run(eventId, QR_SESSION, now - 30 * 60_000, now + 60 * 60_000, "Hall B").lastInsertRowid);
      const person = db.prepare(`select id from people where email = 'participant@example.org'`).get() as { id: number };
      registrationId = Number(
        db
          .prepare(`insert into registrations (event_id, person_id, event_role, status, status_changed_at) values (?, ?, 'participant', 'confirmed', ?)`)
          .run(eventId, person.id, now).lastInsertRowid,
      );
    })();
  } finally {
    db.close();
  }
});

test.afterAll(() => {
  const db = openDb();
  try {
    // sessions, the registration and its attendance go with the event (ON DELETE CASCADE)
    db.prepare(`delete from events where id = ?`).run(eventId);
  } finally {
    db.close();
  }
});

async function signIn(page: Page, email: string) {
  await page.locator("#email").fill(email);
  await page.locator("#password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await passSecondFactor(page, email);
}

async function phone(browser: Browser) {
  return browser.newContext({ viewport: PHONE, baseURL: test.info().project.use.baseURL });
}

function attendanceRows() {
  const db = openDb();
  try {
    return db
      .prepare(`select session_id as sessionId, status, method from attendance where registration_id = ? order by session_id`)
      .all(registrationId) as { sessionId: number; status: string; method: string }[];
  } finally {
    db.close();
  }
}

test("a participant checks in with the code on the venue screen, and with its QR link", async ({ page, browser }) => {
  // the coordinator opens the venue screen of the session happening now
  await page.goto("/login");
  await signIn(page, "coordinator@example.org");
  await page.goto(`/events/${eventId}/sessions/${manualSessionId}/check-in`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(MANUAL_SESSION);
  await expect(page.getByRole("img", { name: "QR code for checking in to this session" }).locator("svg")).toBeVisible();
  await expect(page.getByTestId("check-in-countdown")).toHaveText(/New code in \d+ seconds?/);
  const manualCode = (await page.getByTestId("check-in-code").textContent())?.trim() ?? "";
  expect(manualCode).toMatch(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}$/);

  // the participant, on their own phone, types it
  const participantContext = await phone(browser);
  const participant = await participantContext.newPage();
  await participant.goto("/check-in");
  await expect(participant).toHaveURL(/\/login\?redirectTo=%2Fcheck-in/);
  await signIn(participant, "participant@example.org");
  await expect(participant).toHaveURL(/\/check-in$/);
  expect(await participant.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);

  // a wrong code says so, and the form keeps what was typed
  const wrong = manualCode === "ZZZZZZ" ? "YYYYYY" : "ZZZZZZ";
  await participant.getByLabel("Check-in code").fill(wrong);
  await participant.getByRole("button", { name: "Check in", exact: true }).click();
  await expect(participant.getByText("This code is wrong or has expired.")).toBeVisible();
  await expect(participant.getByLabel("Check-in code")).toHaveValue(wrong);

  await participant.getByLabel("Check-in code").fill(manualCode.toLowerCase());
  await participant.getByRole("button", { name: "Check in", exact: true }).click();
  await expect(participant.getByRole("heading", { level: 1 })).toHaveText("You are checked in");
  await expect(participant.getByText(`You are checked in to “${MANUAL_SESSION}”.`)).toBeVisible();

  // the QR link of the other session: opening it shows a confirm button; only confirming checks in
  await page.goto(`/events/${eventId}/sessions/${qrSessionId}/check-in`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(QR_SESSION);
  const qrCode = (await page.getByTestId("check-in-code").textContent())?.trim() ?? "";
  await participant.goto(`/check-in?c=${qrSessionId}-${qrCode}`);
  await expect(participant.getByText(QR_SESSION)).toBeVisible();
  expect(attendanceRows().map((r) => r.sessionId)).toEqual([manualSessionId]);
  await participant.getByRole("button", { name: "Yes, check me in" }).click();
  await expect(participant.getByText(`You are checked in to “${QR_SESSION}”.`)).toBeVisible();

  expect(attendanceRows()).toEqual([
    { sessionId: manualSessionId, status: "present", method: "code" },
    { sessionId: qrSessionId, status: "present", method: "qr" },
  ]);
  await participantContext.close();
});

test("the venue screen reloads itself without JavaScript, and is closed to participants", async ({ page, browser }) => {
  await page.goto("/login");
  await signIn(page, "coordinator@example.org");
  const html = await (await page.request.get(`/events/${eventId}/sessions/${manualSessionId}/check-in`)).text();
  expect(html).toMatch(/<noscript><meta http-equiv="refresh" content="15"\/?><\/noscript>/);

  const participantContext = await phone(browser);
  const participant = await participantContext.newPage();
  await participant.goto("/login");
  await signIn(participant, "participant@example.org");
  const response = await participant.goto(`/events/${eventId}/sessions/${manualSessionId}/check-in`);
  expect(response?.status()).toBe(403);
  await expect(participant.getByText("Only the coordinators and this session’s facilitators can show its check-in screen.")).toBeVisible();
  await participantContext.close();
});
