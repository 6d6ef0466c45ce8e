import { chromium } from "@playwright/test";
const [,, base, email, path, out, width] = process.argv;
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless","--no-sandbox","--disable-gpu","--disable-background-networking","--disable-component-update"] });
const page = await browser.newPage({ viewport: { width: Number(width||1280), height: 800 } });
if (email !== "-") {
  await page.goto(base + "/login");
  await page.fill("#email", email); await page.fill("#password", "demo-password");
  await page.click("button[type=submit]"); await page.waitForURL(u => !u.pathname.startsWith("/login"));
}
await page.goto(base + path);
await page.screenshot({ path: out, fullPage: true });
await browser.close();
