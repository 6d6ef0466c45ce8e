import fs from "node:fs";
import { expect, test } from "./fixtures";
import { passSecondFactor } from "./sign-in";

const TITLE = "Victim Identification Workshop — New Providence (e2e)";

test("a coordinator enters a two-day training with its sessions, finds it, exports it and gets its calendar", async ({ page }) => {
  await page.goto("/login");
  await page.locator("#email").fill("coordinator@example.org");
  await page.locator("#password").fill("demo-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await passSecondFactor(page, "coordinator@example.org");
  await expect(page).toHaveURL(/\/$/);

  await page.goto("/events");
  await page.getByRole("link", { name: "New event" }).click();
  await page.locator("#title").fill(TITLE);
  await page.locator("#programmeId").selectOption({ label: "Western Hemisphere Program" });
  await page.locator("#country").selectOption("BS");
  await page.getByLabel("Locality (island or city)").fill("New Providence");
  await page.locator("#venue").fill("Harbour View Hotel");
  await page.getByLabel("First day").fill("2027-08-09");
  await page.getByRole("textbox", { name: "Last day (required)" }).fill("2027-08-10");
  await page.getByLabel("Capacity (participants)").fill("25");
  await page.getByLabel("Bahamas Department of Immigration").check();
  await page.getByLabel("Immigration officer").check();
  for (const n of [7, 10, 11]) await page.locator(`input[name=gcmObjectiveIds][value="${n}"]`).check();
  await page.getByRole("button", { name: "Create the event" }).click();

  await expect(page.getByRole("heading", { level: 1 })).toHaveText(TITLE);
  await expect(page.getByText("Nassau (EDT)").first()).toBeVisible();
  const eventUrl = page.url();

  const sessions: [string, string, string, string][] = [
    ["Key concepts", "Monday, August 9, 2027", "09:00", "10:30"],
    ["Indicators of trafficking", "Monday, August 9, 2027", "10:45", "12:15"],
    ["Trauma-informed interviews", "Tuesday, August 10, 2027", "09:00", "10:30"],
    ["Referral mechanism", "Tuesday, August 10, 2027", "10:45", "12:15"],
  ];
  for (const [title, day, start, end] of sessions) {
    await page.goto(`${eventUrl}/sessions/new`);
    await page.locator("#title").fill(title);
    await page.locator("#day").selectOption({ label: day });
    await page.getByLabel("Starts at").fill(start);
    await page.getByLabel("Ends at").fill(end);
    await page.locator("#room").fill("Conference Room A");
    await page.getByRole("button", { name: "Add the session" }).click();
    await expect(page).toHaveURL(/\/sessions$/);
  }
  // a clash in the same room is refused with a message that names the other session
  await page.goto(`${eventUrl}/sessions/new`);
  await page.locator("#title").fill("Clash");
  await page.locator("#day").selectOption({ label: "Monday, August 9, 2027" });
  await page.getByLabel("Starts at").fill("10:00");
  await page.getByLabel("Ends at").fill("11:00");
  await page.locator("#room").fill("conference room a");
  await page.getByRole("button", { name: "Add the session" }).click();
  await expect(page.getByText(/Key concepts/).first()).toBeVisible();
  await expect(page.locator("#title")).toHaveValue("Clash");

  await page.goto(`${eventUrl}/sessions`);
  await expect(page.getByText("Trauma-informed interviews", { exact: true })).toBeVisible();
  await page.screenshot({ path: "test-results/timetable.png", fullPage: true });

  // the list finds it
  await page.goto("/events?q=e2e");
  await expect(page.getByRole("link", { name: TITLE })).toBeVisible();

  // export
  const csvDownload = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export these events (CSV)" }).click();
  const csv = fs.readFileSync(await (await csvDownload).path()!, "utf8");
  expect(csv).toContain(TITLE);
  expect(csv).toContain("America/Nassau,2027-08-09,2027-08-10,draft,Bahamas Department of Immigration,7; 10; 11");

  // calendar: 09:00 in Nassau in August (EDT, UTC-4) is 13:00 UTC
  await page.goto(eventUrl);
  const icsDownload = page.waitForEvent("download");
  await page.getByRole("link", { name: "Add to my calendar (.ics)" }).click();
  const ics = fs.readFileSync(await (await icsDownload).path()!, "utf8");
  expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(4);
  expect(ics).toContain("DTSTART:20270809T130000Z");
  expect(ics).toContain("DTSTART:20270810T144500Z");
});
