import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { Writable } from "node:stream";
import { createElement as h, Suspense, type ReactNode } from "react";
import { describe, expect, it } from "vitest";

/**
 * patches/react-dom+18.3.1.patch (applied by `npm install`): the production server renderer keeps
 * pending HTML as a string and writes it in pieces of 2048 characters or more, instead of encoding
 * every small chunk into a Uint8Array on its own. The development build is left as it was, so it
 * is the oracle: both must stream the same text.
 *
 * Save one difference: when a multi-byte character did not fit at the end of the original's
 * 2048-byte buffer, it sent the whole buffer, unwritten zero bytes included, so a page could carry
 * NUL characters (seen here in the 2,000-row table). The patched build has no buffer to overrun.
 */
const require = createRequire(import.meta.url);
const cjs = path.join(path.dirname(require.resolve("react-dom/package.json")), "cjs");
const productionFile = path.join(cjs, "react-dom-server.node.production.min.js");
type Server = typeof import("react-dom/server");
const patched = require(productionFile) as Server;
const original = require(path.join(cjs, "react-dom-server.node.development.js")) as Server;

/** The whole stream, and the kind of every chunk written to it. */
function render(server: Server, element: ReactNode): Promise<{ html: string; kinds: Set<string> }> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    const kinds = new Set<string>();
    const sink = new Writable({
      decodeStrings: false,
      write(chunk: string | Uint8Array, _encoding, done) {
        kinds.add(typeof chunk === "string" ? "string" : "bytes");
        parts.push(typeof chunk === "string" ? Buffer.from(chunk) : Buffer.from(chunk));
        done();
      },
    });
    sink.on("finish", () => resolve({ html: Buffer.concat(parts).toString("utf8"), kinds }));
    const { pipe } = server.renderToPipeableStream(element, {
      nonce: "n0nce",
      bootstrapScriptContent: "window.started = true",
      onAllReady: () => pipe(sink),
      onError: reject,
    });
  });
}

/** Text that is slow to arrive: a Suspense boundary completed after the shell. */
function later(text: string, ms: number, onArrival?: () => void) {
  let value: string | undefined;
  const promise = new Promise<void>((resolve) => setTimeout(() => ((value = text), resolve()), ms));
  // registered before React's own callback, so it runs before the boundary is rendered
  if (onArrival) void promise.then(onArrival);
  function Later() {
    if (value === undefined) throw promise;
    return h("p", { className: "later" }, value);
  }
  return h(Later);
}

const long = "مرحبا بكم في الدورة التدريبية — Bienvenue à l'atelier 🇧🇸 ".repeat(120); // > 2048 bytes, multi-byte
function page(rows: number, onArrival?: () => void) {
  return h(
    "html",
    { lang: "ar", dir: "rtl" },
    h("head", null, h("title", null, "Convene — ورشة عمل")),
    h(
      "body",
      null,
      h("h1", { "data-x": `<"quoted" & 'apostrophe'>` }, "Roster 👩🏽‍⚖️ ", "« élève »"),
      h("p", null, long),
      h(
        "table",
        null,
        h(
          "tbody",
          null,
          Array.from({ length: rows }, (_, i) =>
            h("tr", { key: i, className: i % 2 ? "odd" : "even" }, h("td", null, `Officer ${i} — ضابط`), h("td", { title: `n°${i}` }, i % 7 === 0 ? "✓ présent" : "")),
          ),
        ),
      ),
      h(Suspense, { fallback: h("p", null, "Loading…") }, later("Arrivé plus tard — وصل لاحقا 🚀", 5, onArrival)),
      h(Suspense, { fallback: h("p", null, "Loading…") }, later(long, 15)),
    ),
  );
}

describe("server rendering (patched react-dom)", () => {
  it("is the patched build", () => {
    expect(fs.readFileSync(productionFile, "utf8")).toContain("Convene (patches/react-dom+18.3.1.patch)");
  });

  it("writes strings to the stream, and the text the original writes, without its stray NULs", async () => {
    for (const rows of [0, 1, 37, 2000]) {
      const [mine, theirs] = await Promise.all([render(patched, page(rows)), render(original, page(rows))]);
      expect(mine.kinds).toEqual(new Set(["string"]));
      expect(theirs.kinds).toEqual(new Set(["bytes"]));
      if (rows === 2000) expect(theirs.html).toContain("\0"); // the original's bug, which the oracle's NULs are dropped for
      expect(mine.html).not.toContain("\0");
      expect(mine.html).toBe(theirs.html.replaceAll("\0", ""));
      expect(mine.html).toContain("Arrivé plus tard — وصل لاحقا 🚀");
      if (rows > 0) expect(mine.html).toContain(`Officer ${rows - 1} — ضابط`);
    }
  });

  it("streams the shell before slow parts complete, as the original does", async () => {
    const seen: string[] = [];
    let shell = "";
    await new Promise<void>((resolve, reject) => {
      const sink = new Writable({
        decodeStrings: false,
        write(chunk: string, _encoding, done) {
          seen.push(String(chunk));
          done();
        },
      });
      sink.on("finish", () => resolve());
      const { pipe } = patched.renderToPipeableStream(page(3, () => (shell = seen.join(""))), { onShellReady: () => pipe(sink), onError: reject });
    });
    // the shell, with its fallbacks, was all written before the first slow part arrived
    expect(shell).toContain("Officer 2 — ضابط");
    expect(shell).toContain("Loading…");
    expect(shell).not.toContain("Arrivé plus tard");
    expect(seen.join("").slice(shell.length)).toContain("Arrivé plus tard — وصل لاحقا 🚀");
  });
});
