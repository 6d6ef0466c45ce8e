import { expect, test } from "./fixtures";
import Database from "better-sqlite3";
import { signIn } from "./sign-in";


test("an officer registers for the open follow-up training; the coordinator confirms the seat", async ({ page }) => {
  await page.goto("/events");
  await signIn(page, "coordinator@example.org");
  await page.goto("/events?status=open");
  await page.getByRole("link", { name: /Follow-up Training, Grand Bahama/ }).click();
  await expect(page).toHaveURL(/\/events\/\d+$/);
  const eventUrl = page.url();
  const registerHref = await page.getByRole("link", { name: /Registration page/ }).getAttribute("href");

  await page.context().clearCookies();
  await page.goto(registerHref!);
  await page.locator("#givenName").fill("Latrice");
  await page.locator("#familyName").fill("Cartwright");
  await page.locator("#email").fill("latrice.cartwright@immigration.example");
  await page.locator("#sex").selectOption("female");
  await page.locator("#roleCategory").selectOption("port_specialist");
  await page.getByRole("button", { name: "Register" }).click();
  // consent is required: the form comes back filled in
  await expect(page.getByText("Please give your consent to register").first()).toBeVisible();
  await expect(page.locator("#familyName")).toHaveValue("Cartwright");
  await page.locator("#consent").check();
  await page.getByRole("button", { name: "Register" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Check your email");

  await signIn(page, "coordinator@example.org");
  await page.goto(`${eventUrl}/roster?q=Cartwright`);
  await expect(page.getByRole("cell", { name: "Latrice Cartwright", exact: true })).toBeVisible();
  await page.getByLabel("Select Latrice Cartwright").check();
  await page.locator("#bulk-status").selectOption("confirmed");
  await page.getByRole("button", { name: "Apply", exact: true }).click();
  await expect(page.getByText("The roster is updated.")).toBeVisible();
  await expect(page.getByRole("row", { name: /Latrice Cartwright/ }).getByText("Confirmed")).toBeVisible();
});

test("a partner nominates only officers of its own agency", async ({ page }) => {
  await signIn(page, "partner@example.org");
  await page.goto("/events?status=open");
  await page.getByRole("link", { name: /Follow-up Training, Grand Bahama/ }).click();
  await page.getByRole("link", { name: "Roster" }).click();
  await page.getByRole("link", { name: "Nominate officers" }).click();
  await expect(page.getByRole("heading", { name: "Nominate officers" })).toBeVisible();
  const boxes = page.locator("input[name=personIds]:not([disabled])");
  expect(await boxes.count()).toBeGreaterThan(0);
  await boxes.first().check();
  await page.getByRole("button", { name: "Nominate" }).click();
  await expect(page.getByText("The nominations are sent to the coordinators.")).toBeVisible();
  // the partner's roster shows only the agency's own officers
  const organisations = await page.locator("tbody tr td:nth-child(2)").allTextContents();
  expect(organisations.length).toBeGreaterThan(0);
  expect(new Set(organisations.map((o) => o.trim()))).toEqual(new Set(["Bahamas Department of Immigration"]));
});

/** The path of the newest confirmation link emailed to this address (the e2e server's outbox). */
function confirmationPath(email: string) {
  const db = new Database(process.env.E2E_DATABASE ?? "data/e2e.db", { readonly: true });
  try {
    const mail = db
      .prepare("select text from email_outbox where to_address = ? and kind = 'registration_confirm_request' order by id desc limit 1")
      .get(email) as { text: string } | undefined;
    const path = mail?.text.match(/\/registrations\/confirm\/[A-Za-z0-9_-]+/)?.[0];
    if (!path) throw new Error(`no confirmation link was emailed to ${email}`);
    return path;
  } finally {
    db.close();
  }
}

test("a stranger who types a known officer's email registers no one; the officer confirms from the link in the email", async ({ page }) => {
  await signIn(page, "coordinator@example.org");
  await page.goto("/events?status=open");
  await page.getByRole("link", { name: /Follow-up Training, Grand Bahama/ }).click();
  const registerHref = await page.getByRole("link", { name: /Registration page/ }).getAttribute("href");
  await page.context().clearCookies();

  await page.goto(registerHref!);
  await page.locator("#givenName").fill("Not");
  await page.locator("#familyName").fill("Shavonne");
  await page.locator("#email").fill("participant@example.org");
  await page.locator("#phone").fill("+1 555 0100");
  await page.locator("#consent").check();
  await page.getByRole("button", { name: "Register" }).click();
  // the same words as for any registration: nothing says the address is known
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Check your email");

  await page.goto(confirmationPath("participant@example.org"));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Confirm your registration");
  // the owner sees what the form gave before anything is added to their record
  await expect(page.getByText("+1 555 0100")).toBeVisible();
  await page.getByRole("button", { name: "Confirm my registration" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/You are registered|You are on the waiting list|Registration received/);
  // the link works once
  await page.goBack();
  await page.reload();
  await expect(page.getByText("This confirmation link has expired or has already been used.")).toBeVisible();

  // signed in, the participant registers as themselves: their details filled in, the email theirs
  await signIn(page, "participant@example.org");
  await page.goto(registerHref!);
  await expect(page.getByText("You are registering as Shavonne Rolle (participant@example.org)")).toBeVisible();
  await expect(page.locator("#email")).toHaveValue("participant@example.org");
  await expect(page.locator("#email")).toHaveAttribute("readonly", "");
  await expect(page.locator("#familyName")).toHaveValue("Rolle");
});
