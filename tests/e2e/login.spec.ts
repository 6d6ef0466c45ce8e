import { expect, test } from "./fixtures";
import { passSecondFactor } from "./sign-in";

const PASSWORD = "demo-password";

test("a coordinator signs in and sees the events list", async ({ page }) => {
  await page.goto("/events");
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Fevents/);
  await page.getByLabel("Email address").fill("coordinator@example.org");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  // the demo coordinator has a second factor: the code step keeps the page asked for
  await expect(page).toHaveURL(/\/login\/two-factor$/);
  await expect(page.getByRole("heading", { level: 1, name: "Enter your code" })).toBeVisible();
  await passSecondFactor(page, "coordinator@example.org");
  await expect(page).toHaveURL(/\/events$/);
  await expect(page.getByRole("heading", { level: 1, name: "Events" })).toBeVisible();
  await expect(page.getByRole("link", { name: /Identification and Protection of Victims of Trafficking/ })).toBeVisible();
  await expect(page.getByText("Coordinator", { exact: false }).first()).toBeVisible();
  await page.screenshot({ path: "test-results/events-list.png", fullPage: true });

  await page.getByRole("link", { name: /Identification and Protection of Victims of Trafficking/ }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Identification and Protection of Victims");
  await expect(page.getByText(/Nassau \((EDT|GMT-4)\)/).first()).toBeVisible();
  await page.screenshot({ path: "test-results/event-overview.png", fullPage: true });
});

test("a wrong password keeps the email, shows one message and no session", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Email address").fill("coordinator@example.org");
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("The email or password is not correct.")).toBeVisible();
  await expect(page.getByLabel("Email address")).toHaveValue("coordinator@example.org");
  await page.goto("/events");
  await expect(page).toHaveURL(/\/login/);
});

test("each demo account lands on a home page for its role", async ({ page }) => {
  const expectations: [string, RegExp][] = [
    ["admin@example.org", /Accounts/],
    ["coordinator@example.org", /Current and upcoming events/],
    ["facilitator@example.org", /Next sessions/],
    ["participant@example.org", /My action plans/],
    ["partner@example.org", /Bahamas Department of Immigration/],
    ["donor@example.org", /Programmes funded by/],
  ];
  for (const [email, heading] of expectations) {
    await page.context().clearCookies();
    await page.goto("/login");
    await page.getByLabel("Email address").fill(email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await passSecondFactor(page, email);
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByRole("heading", { level: 2, name: heading }).first()).toBeVisible();
  }
});

test("a POST from a foreign origin is refused with 403", async ({ request, baseURL }) => {
  const foreign = await request.post(`${baseURL}/login`, {
    form: { email: "coordinator@example.org", password: PASSWORD },
    headers: { Origin: "https://evil.example" },
    maxRedirects: 0,
  });
  expect(foreign.status()).toBe(403);
  expect(foreign.headers()["set-cookie"]).toBeUndefined();
  const missing = await request.post(`${baseURL}/login`, {
    form: { email: "coordinator@example.org", password: PASSWORD },
    maxRedirects: 0,
  });
  expect(missing.status()).toBe(403);
});

test("health check and security headers", async ({ request, baseURL }) => {
  const health = await request.get(`${baseURL}/healthz`);
  expect(health.status()).toBe(200);
  expect(await health.json()).toEqual({ status: "ok" });
  const page = await request.get(`${baseURL}/login`);
  const headers = page.headers();
  expect(headers["content-security-policy"]).toContain("object-src 'none'");
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(headers["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["cache-control"]).toBe("no-store");
});
