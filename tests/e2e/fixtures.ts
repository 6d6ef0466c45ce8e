import AxeBuilder from "@axe-core/playwright";
import { test as base, type BrowserContext, type Locator, type Page, type TestInfo } from "@playwright/test";
import axe from "axe-core";

export { expect } from "@playwright/test";

/**
 * Every spec imports `test` from here: each page state a test reaches (a page it navigated to, by
 * `page.goto` or by a click, a form sent, a history step) is checked by axe-core against WCAG 2.0,
 * 2.1 and 2.2 A/AA, and the test fails listing each violation with its rule, element and address.
 *
 * When a page is scanned: after a main-frame navigation (a new document or an in-page one), at the
 * test's next action on that page (a click, a fill, a goto, a close…) and at the end of the test:
 * the page as the test last saw it, once it has checked what it expected there, with its filled-in
 * forms and error messages. Nothing is guessed or waited for: the action waits for the scan, and a
 * scan never races a navigation (a browser holding a navigation does not run scripts, so a scan
 * started then would hang, and one overtaken by a navigation would be lost). Pages of contexts the
 * test opens itself (`browser.newContext`, `browser.newPage`) are watched too, and scanned before
 * the test closes them.
 */

export const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

export type Violation = { url: string; rule: string; impact: string; help: string; targets: string[]; summary: string };

/** The actions after which the page may show something new: each first waits for the pending scan. */
const PAGE_ACTIONS = ["goto", "reload", "goBack", "goForward", "click", "dblclick", "tap", "fill", "press", "type", "check", "uncheck", "selectOption", "setInputFiles", "setContent"] as const;
const LOCATOR_ACTIONS = ["click", "dblclick", "tap", "fill", "clear", "press", "pressSequentially", "type", "check", "uncheck", "setChecked", "selectOption", "setInputFiles", "dispatchEvent", "dragTo"] as const;

/** The watch of each page, for the actions patched once per worker. */
const watches = new WeakMap<Page, AccessibilityWatch>();

function hookActions(prototype: object, methods: readonly string[], pageOf: (self: unknown) => Page) {
  const target = prototype as Record<string, unknown>;
  for (const method of methods) {
    const original = target[method] as ((...args: unknown[]) => Promise<unknown>) | undefined;
    if (typeof original !== "function") continue;
    target[method] = async function (this: unknown, ...args: unknown[]) {
      const page = pageOf(this);
      await watches.get(page)?.scan(page);
      return original.apply(this, args);
    };
  }
}

let hooked = false;
function hookActionsOnce(page: Page) {
  if (hooked) return;
  hooked = true;
  hookActions(Object.getPrototypeOf(page), PAGE_ACTIONS, (self) => self as Page);
  hookActions(Object.getPrototypeOf(page.locator("html")), LOCATOR_ACTIONS, (self) => (self as Locator).page());
}

class AccessibilityWatch {
  readonly violations: Violation[] = [];
  readonly errors: string[] = [];
  private readonly toScan = new Set<Page>();
  private readonly queue = new Map<Page, Promise<void>>();
  private readonly scanned = new WeakMap<Page, string>();
  private readonly watched = new WeakSet<BrowserContext>();

  constructor(private readonly testInfo: TestInfo) {}

  watchContext(context: BrowserContext) {
    if (this.watched.has(context)) return;
    this.watched.add(context);
    context.on("page", (page) => this.watchPage(page));
    for (const page of context.pages()) this.watchPage(page);
    const close = context.close.bind(context);
    context.close = async (options) => {
      await this.scanAll(context.pages());
      return close(options);
    };
  }

  private watchPage(page: Page) {
    hookActionsOnce(page);
    watches.set(page, this);
    page.on("framenavigated", (frame) => {
      if (frame === page.mainFrame()) this.toScan.add(page);
    });
    page.on("close", () => this.toScan.delete(page));
    if (page.url() !== "about:blank") this.toScan.add(page);
    const close = page.close.bind(page);
    page.close = async (options) => {
      await this.scan(page);
      return close(options);
    };
  }

  async scanAll(pages: Page[]) {
    for (const page of pages) await this.scan(page);
  }

  /** Scans the page's current state if it has not been scanned since it last navigated (one scan at a time per page). */
  scan(page: Page): Promise<void> {
    const next = (this.queue.get(page) ?? Promise.resolve()).then(async () => await this.scanOnce(page));
    this.queue.set(page, next);
    return next;
  }

  private async scanOnce(page: Page) {
    for (let attempt = 1; ; attempt++) {
      if (!this.toScan.has(page) || page.isClosed()) return;
      this.toScan.delete(page);
      const url = page.url();
      try {
        await page.waitForLoadState("load");
        const state = await page.evaluate(() => {
          if (document.contentType !== "text/html" || document.body === null) return null;
          // what axe-core reads: the document, the address and the viewport
          const text = `${location.href} ${innerWidth}x${innerHeight} ${document.documentElement.outerHTML}`;
          let hash = 2166136261;
          for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619);
          return `${text.length}:${hash >>> 0}`;
        });
        if (state === null) return; // a PDF or a file shown by the browser: nothing of ours to check
        // the same state again (a history entry rewritten by hydration, a form sent back unchanged)
        if (this.scanned.get(page) === state) return;
        this.scanned.set(page, state);
        const started = Date.now();
        // axe-core's 600 kB are sent once per document (AxeBuilder alone sends them twice a scan)
        if (!(await page.evaluate(() => typeof (window as { axe?: { run?: unknown } }).axe?.run === "function"))) await page.evaluate(axe.source);
        const results = await new AxeBuilder({ page, axeSource: "/* axe-core is already in the page */" }).withTags(WCAG_TAGS).setLegacyMode().analyze();
        // the test's time is for its own steps: the scans get theirs on top
        const took = Date.now() - started;
        if (this.testInfo.timeout > 0) this.testInfo.setTimeout(this.testInfo.timeout + took);
        if (process.env.AXE_LOG) console.log(`axe: ${results.violations.length} violation(s) in ${took} ms on ${results.url}`);
        for (const v of results.violations) {
          this.violations.push({
            url: results.url,
            rule: v.id,
            impact: v.impact ?? "",
            help: v.help,
            targets: v.nodes.map((n) => n.target.join(" ")),
            summary: v.nodes[0]?.failureSummary?.replace(/\s+/g, " ") ?? "",
          });
        }
        return;
      } catch (error) {
        if (page.isClosed()) return;
        // the page navigated by itself while it was scanned (a redirect from a script): scan where it is now
        if (attempt < 3 && /context was destroyed|navigat/i.test(String(error))) {
          this.toScan.add(page);
          continue;
        }
        this.errors.push(`${url}: ${String(error).split("\n")[0]}`);
        return;
      }
    }
  }

  /** The violations found so far, forgotten here (for a test that causes some on purpose). */
  take() {
    return this.violations.splice(0);
  }

  report() {
    const byRule = new Map<string, Violation[]>();
    for (const v of this.violations) byRule.set(v.rule, [...(byRule.get(v.rule) ?? []), v]);
    const lines: string[] = [];
    for (const [rule, found] of byRule) {
      lines.push(`${rule} (${found[0].impact}): ${found[0].help}`);
      for (const v of found) {
        const where = new URL(v.url);
        for (const target of v.targets) lines.push(`  ${target}  — on ${where.pathname}${where.search}`);
      }
      lines.push(`  ${found[0].summary}`);
    }
    return lines.join("\n");
  }
}

export const test = base.extend<{ accessibility: AccessibilityWatch }>({
  accessibility: [
    async ({ context, browser }, use, testInfo) => {
      const watch = new AccessibilityWatch(testInfo);
      watch.watchContext(context);
      // contexts and pages the test opens itself are watched too, and closed after the test
      const opened: BrowserContext[] = [];
      const newContext = browser.newContext;
      browser.newContext = async (options) => {
        const created = await newContext.call(browser, options);
        opened.push(created);
        watch.watchContext(created);
        return created;
      };
      try {
        await use(watch);
        if (testInfo.status === testInfo.expectedStatus) {
          // the last state of every page still open (the test's own failure says more otherwise)
          for (const open of [context, ...opened]) await watch.scanAll(open.pages());
        }
      } finally {
        browser.newContext = newContext;
        for (const created of opened) await created.close().catch(() => {});
      }
      if (testInfo.status !== testInfo.expectedStatus) return;
      if (watch.errors.length > 0) throw new Error(`axe-core could not scan:\n${watch.errors.join("\n")}`);
      if (watch.violations.length > 0) {
        throw new Error(`axe-core found ${watch.violations.length} WCAG 2.2 A/AA violation(s):\n${watch.report()}`);
      }
    },
    { auto: true },
  ],
});
