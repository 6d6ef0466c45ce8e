import { Writable } from "node:stream";
import { createElement, Suspense, type ReactElement } from "react";
import { renderToPipeableStream, renderToString } from "react-dom/server";
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

/** A long table in Arabic with em dashes: multi-byte characters fall on React's 2,048-byte buffer edges. */
function arabicTable(): ReactElement {
  const rows = Array.from({ length: 600 }, (_, i) =>
    createElement("tr", { key: i }, createElement("td", null, `المشارك ${i} — ${"حضر".repeat(i % 7)}`), createElement("td", null, String(i))),
  );
  return createElement("table", null, createElement("tbody", null, rows));
}

/** React's own stream, as bytes. */
function streamed(element: ReactElement): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        parts.push(Buffer.from(chunk));
        callback();
      },
    });
    sink.on("finish", () => resolve(Buffer.concat(parts)));
    const { pipe } = renderToPipeableStream(element, { onAllReady: () => pipe(sink), onShellError: reject });
  });
}

describe("stray NUL bytes of React 18's streaming renderer (react#31134)", () => {
  it("are still written by React itself (when this fails, React is fixed and PageStream's NUL dropping can go)", async () => {
    const bytes = await streamed(arabicTable());
    expect(bytes.includes(0)).toBe(true);
  });

  it("never reach a page: the page's bytes are exactly the HTML React means", async () => {
    const response = await renderToResponse(arabicTable(), { status: 200, headers: new Headers(), readyEvent: "onAllReady" });
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(bytes.includes(0)).toBe(false);
    expect(bytes.toString("utf8")).toBe(renderToString(arabicTable()));
  });
});

/** Reads a response body piece by piece, as the server does. */
async function pieces(response: Response): Promise<Uint8Array[]> {
  const reader = response.body!.getReader();
  const read: Uint8Array[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return read;
    read.push(value);
  }
}

describe("a page's bytes on their way out", () => {
  it("go out in one piece for what React has ready, not in its 2,048-byte buffers (each is compressed and flushed apart)", async () => {
    const page = arabicTable();
    const response = await renderToResponse(page, { status: 200, headers: new Headers(), readyEvent: "onAllReady" });
    const parts = await pieces(response);
    const html = Buffer.concat(parts).toString("utf8");
    expect(html).toBe(renderToString(page));
    expect(Buffer.byteLength(html)).toBeGreaterThan(20 * 2048); // twenty of React's buffers at least
    expect(parts.length).toBe(1);
  });

  it("still stream: the shell goes out while a part of the page waits, the part when it is ready", async () => {
    let finish!: () => void;
    const ready = new Promise<void>((resolve) => (finish = resolve));
    let done = false;
    function Later() {
      if (!done) throw ready.then(() => void (done = true));
      return createElement("p", null, "the part that waited");
    }
    const response = await renderToResponse(
      createElement("main", null, createElement("h1", null, "shell"), createElement(Suspense, { fallback: createElement("em", null, "loading") }, createElement(Later))),
      { status: 200, headers: new Headers(), readyEvent: "onShellReady" },
    );
    const reader = response.body!.getReader();
    const first = await reader.read();
    const shell = Buffer.from(first.value!).toString("utf8");
    expect(shell).toContain("<h1>shell</h1>");
    expect(shell).not.toContain("the part that waited");
    finish();
    let rest = "";
    for (;;) {
      const { done: end, value } = await reader.read();
      if (end) break;
      rest += Buffer.from(value).toString("utf8");
    }
    expect(rest).toContain("the part that waited");
  });
});
