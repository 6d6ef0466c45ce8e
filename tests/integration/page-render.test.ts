import { createElement, Suspense } from "react";
import { describe, expect, it } from "vitest";
import { renderToResponse } from "~/entry.server";

const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === "Timeout").length;

/**
 * Every page is rendered through renderToResponse, with a timer that aborts a render still
 * unfinished after 5 s. A finished page must release that timer (and the render it holds) at once:
 * a busy server otherwise kept the last five seconds of pages in memory.
 */
describe("rendering a page", () => {
  it("leaves no timer behind once the page is written", async () => {
    const before = timers();
    const responses = await Promise.all(
      Array.from({ length: 20 }, async (_, i) =>
        await renderToResponse(createElement("main", null, createElement("p", null, `page ${i}`)), {
          status: 200,
          headers: new Headers(),
          readyEvent: "onShellReady",
        }),
      ),
    );
    const pages = await Promise.all(responses.map((r) => r.text()));
    expect(pages[7]).toContain("page 7");
    expect(responses[0].headers.get("Content-Type")).toBe("text/html; charset=utf-8");
    expect(timers()).toBe(before);
  });

  it("keeps the timer of a render that has not finished (it is what aborts it)", async () => {
    const never = new Promise<string>(() => {});
    function Pending(): never {
      throw never; // suspends for ever
    }
    const before = timers();
    const response = await renderToResponse(
      createElement("main", null, createElement(Suspense, { fallback: createElement("em", null, "loading") }, createElement(Pending))),
      { status: 200, headers: new Headers(), readyEvent: "onShellReady" },
    );
    // the shell is out; the pending part keeps the abort timer alive until it fires
    expect(timers()).toBe(before + 1);
    expect(response.status).toBe(200);
  });
});
