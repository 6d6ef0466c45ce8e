import { describe, expect, it } from "vitest";
import { safeRedirect } from "~/auth/session.server";

/**
 * Every redirect target taken from a request goes through safeRedirect. A browser resolves the
 * answer's `Location` against this site: whatever comes out must be a path here, never a way to
 * another host (`//evil.example`, `/\evil.example`, a scheme). Each input below is resolved the
 * way Chromium resolves a Location header (WHATWG URL) to check the claim, not only compared.
 */
const ATTACKS = [
  "//evil.example",
  "//evil.example/x",
  "/.//evil.example",
  "/./%2F/evil.example",
  "/..//evil.example",
  "/../..//evil.example",
  "/a/../..//evil.example",
  "/\\evil.example",
  "/\\/evil.example",
  "\\\\evil.example",
  "/%2F/evil.example",
  "/%2f/evil.example",
  "/%5C/evil.example",
  "/%5c/evil.example",
  "/\t/evil.example",
  "/\n/evil.example",
  "/\r\n/evil.example",
  "/ /evil.example",
  "/\u0000/evil.example",
  "https:evil.example",
  "https://evil.example",
  "http:/evil.example",
  "javascript:alert(1)",
  "JAVASCRIPT:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "evil.example",
  "///evil.example",
  "////evil.example",
  " //evil.example",
  "\t//evil.example",
  "//\u200eevil.example",
  "/" + "a".repeat(3000),
];

const KEPT: [string, string][] = [
  ["/events", "/events"],
  ["/events?when=past", "/events?when=past"],
  ["/events/5/roster?status=confirmed#top", "/events/5/roster?status=confirmed#top"],
  ["/events/../people", "/people"],
  ["/events/./5", "/events/5"],
  ["/people?q=Bain%20Theron", "/people?q=Bain%20Theron"],
  ["/events?q=%D8%AA%D8%AF%D8%B1%D9%8A%D8%A8", "/events?q=%D8%AA%D8%AF%D8%B1%D9%8A%D8%A8"],
  ["/events?q=تدريب", "/events?q=%D8%AA%D8%AF%D8%B1%D9%8A%D8%A8"],
  ["/a%2Fb", "/a%2Fb"],
];

/** Odd but harmless: paths of this site (a browser keeps these characters, encoded, in the path). */
const ODD_PATHS: [string, string][] = [
  ["/\u00a0/evil.example", "/%C2%A0/evil.example"],
  ["/\u3000/evil.example", "/%E3%80%80/evil.example"],
  ["/%09/evil.example", "/%09/evil.example"],
  ["/\u202Eelpmaxe.live", "/%E2%80%AEelpmaxe.live"],
];

/** Where a browser on https://convene.example.org goes with this Location. */
function landsOn(location: string) {
  return new URL(location, "https://convene.example.org/some/page").host;
}

describe("safeRedirect", () => {
  it.each(ATTACKS)("refuses %j", (input) => {
    expect(safeRedirect(input)).toBe("/");
    expect(safeRedirect(input, "/me")).toBe("/me");
  });

  it.each([...KEPT, ...ODD_PATHS])("keeps the path %j", (input, expected) => {
    const out = safeRedirect(input);
    expect(out).toBe(expected);
    expect(landsOn(out)).toBe("convene.example.org");
  });

  it("refuses what is not text, and nothing", () => {
    expect(safeRedirect(null)).toBe("/");
    expect(safeRedirect(undefined)).toBe("/");
    expect(safeRedirect("")).toBe("/");
    expect(safeRedirect(new File(["/events"], "x.txt"))).toBe("/");
  });

  it("never answers a target that a browser would take to another host", () => {
    // every attack, and each with a prefix and suffix, stays on this site whatever comes back
    for (const attack of [...ATTACKS, ...ODD_PATHS.map(([input]) => input)]) {
      for (const variant of [attack, `${attack}?x=1`, `${attack}#y`, `/ok/..${attack}`]) {
        expect(landsOn(safeRedirect(variant))).toBe("convene.example.org");
      }
    }
  });
});
