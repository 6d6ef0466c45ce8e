import { expect, test } from "./fixtures";
import { signIn } from "./sign-in";

/**
 * The API through the real server (server/app.ts: its Origin check, body limits and headers): a
 * coordinator makes a read-write token on /account/tokens, a script without a browser (no cookie,
 * no Origin) lists events and adds a person to a roster with it, and the person is on the roster
 * page. The description of the API is a page anyone can read.
 */

test("a coordinator's token adds a person to a roster through the API, who then shows on the roster page", async ({ page, playwright, baseURL }) => {
  await signIn(page, "coordinator@example.org");
  await page.goto("/account/tokens");
  await page.getByLabel("Name").fill("Roster sync (e2e)");
  await page.locator("select[name=access]").selectOption("write");
  await page.locator("form[method=post]").filter({ has: page.locator("input[name=name]") }).locator("button[type=submit]").click();
  const secret = (await page.getByText(/cvn_[A-Za-z0-9_-]{43}/).first().textContent())!.match(/cvn_[A-Za-z0-9_-]{43}/)![0];

  // a script: its own HTTP client, no cookie, no Origin header
  const script = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { Authorization: `Bearer ${secret}` } });
  const events = await script.get("/api/v1/events?limit=100&country=BS");
  expect(events.status()).toBe(200);
  expect(events.headers()["ratelimit-policy"]).toBe('"token";q=600;w=60');
  const list = (await events.json()) as { data: { id: number; title: string }[] };
  const event = list.data.find((e) => e.title.startsWith("Identification and Protection of Victims"))!;
  const added = await script.post(`/api/v1/events/${event.id}/registrations`, {
    data: { givenName: "Lavern", familyName: "E2e-Rahming", sex: "female", roleCategory: "immigration_officer" },
    headers: { "Idempotency-Key": `e2e-${Date.now()}-roster-sync` },
  });
  expect(added.status()).toBe(201);
  expect(await added.json()).toMatchObject({ familyName: "E2e-Rahming", status: "confirmed" });
  // the server's own refusals are problem documents too: a form body, a body over the API's limit
  const form = await script.post(`/api/v1/events/${event.id}/registrations`, { form: { givenName: "x" } });
  expect(form.status()).toBe(415);
  expect(form.headers()["content-type"]).toBe("application/problem+json");
  const huge = await script.post(`/api/v1/events/${event.id}/registrations`, { data: { givenName: "x", position: "y".repeat(400_000) } });
  expect(huge.status()).toBe(413);
  expect(huge.headers()["content-type"]).toMatch(/^application\/problem\+json/);
  // the Origin exception is for the API's plain paths only: a page reached through dot segments is refused
  const sneaky = await script.post("/api/v1/%2e%2e/%2e%2e/logout");
  expect(sneaky.status()).toBe(403);
  await script.dispose();

  await page.goto(`/events/${event.id}/roster?q=E2e-Rahming`);
  await expect(page.getByRole("link", { name: "Lavern E2e-Rahming" })).toBeVisible();
});

test("the API's description is a page: every operation, in English inside an Arabic page", async ({ page, browser }) => {
  const arabic = await browser.newContext({ locale: "ar" });
  const ar = await arabic.newPage();
  await ar.goto("/api/docs");
  await expect(ar.locator("html")).toHaveAttribute("dir", "rtl");
  await expect(ar.getByRole("heading", { level: 2, name: "PATCH /api/v1/follow-ups/{requestId}" })).toBeVisible();
  await ar.setViewportSize({ width: 360, height: 800 });
  // an operation with a body, in view
  await ar.getByRole("heading", { level: 2, name: "POST /api/v1/events/{eventId}/registrations", exact: true }).scrollIntoViewIfNeeded();
  await ar.screenshot({ path: "test-results/api-docs-ar-360.png", fullPage: false });
  await ar.setViewportSize({ width: 1280, height: 900 });
  await ar.screenshot({ path: "test-results/api-docs-ar-1280.png" });
  await arabic.close();
  await page.goto("/api/docs");
  await expect(page.getByRole("heading", { level: 2, name: "POST /api/v1/events/{eventId}/registrations" })).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: "GET /api/v1/reports/summary" })).toBeVisible();
  await page.setViewportSize({ width: 360, height: 800 });
  await page.getByRole("heading", { level: 2, name: "POST /api/v1/events/{eventId}/sessions", exact: true }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: "test-results/api-docs-360.png" });
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: "test-results/api-docs-1280.png" });
});
