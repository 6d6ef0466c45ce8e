import { expect, test } from "./fixtures";
import { signIn } from "./sign-in";

/**
 * In the browser: pages and their scripts and styles arrive compressed with Brotli (Chromium
 * accepts it), static files with their immutable caching, and the page still becomes usable
 * (React hydrates it from the decoded HTML and scripts).
 */
test("pages, scripts and styles arrive Brotli-compressed and the page hydrates", async ({ page }) => {
  await signIn(page, "coordinator@example.org");
  const seen: { url: string; type: string; encoding?: string; cacheControl?: string }[] = [];
  page.on("response", (response) => {
    const headers = response.headers();
    seen.push({ url: response.url(), type: response.request().resourceType(), encoding: headers["content-encoding"], cacheControl: headers["cache-control"] });
  });
  await page.goto("/events");
  await expect(page.locator("html[data-hydrated]")).toHaveCount(1);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();

  const documentResponse = seen.find((r) => r.type === "document" && new URL(r.url).pathname === "/events");
  expect(documentResponse?.encoding).toBe("br");
  const assets = seen.filter((r) => new URL(r.url).pathname.startsWith("/assets/"));
  expect(assets.some((r) => r.type === "script")).toBe(true);
  expect(assets.some((r) => r.type === "stylesheet")).toBe(true);
  for (const asset of assets) {
    expect(asset.encoding, asset.url).toBe("br");
    expect(asset.cacheControl, asset.url).toBe("public, max-age=31536000, immutable");
  }

  // a client-side navigation fetches its data compressed too
  const data = page.waitForResponse((r) => new URL(r.url()).pathname.endsWith(".data"));
  await page.getByRole("navigation", { name: "Main navigation" }).getByRole("link", { name: "People" }).click();
  expect((await data).headers()["content-encoding"]).toBe("br");
  await expect(page).toHaveURL(/\/people$/);
});
