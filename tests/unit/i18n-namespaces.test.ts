import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { COMMON_NAMESPACES, routeNamespaces } from "~/i18n";
import { LOCALES_DIR } from "~/i18n.server";
import { declaredNamespaces, namespacesUsedBy, pageRouteFiles, parentRouteFiles } from "../setup/translation-usage";

/**
 * A browser gets only the namespaces of the routes on screen (`handle.i18n`, plus the root's
 * common ones): a namespace a page uses but no route declares would show raw keys after a
 * client-side navigation. This reads the code the way a reviewer would.
 */
const known = new Set(
  fs
    .readdirSync(path.join(LOCALES_DIR, "en"))
    .filter((f) => f.endsWith(".json"))
    .map((f) => f.slice(0, -".json".length)),
);
const relative = (file: string) => path.relative(process.cwd(), file);

describe("translation namespaces", () => {
  it("the root declares the common namespaces, which cover the shell and the error page", () => {
    expect(fs.readFileSync("app/root.tsx", "utf8")).toMatch(/^export const handle = \{ i18n: COMMON_NAMESPACES \};$/m);
    expect(COMMON_NAMESPACES.filter((ns) => !known.has(ns))).toEqual([]);
    const missing = namespacesUsedBy("app/root.tsx", known).filter((ns) => !COMMON_NAMESPACES.includes(ns));
    expect(missing).toEqual([]);
  });

  it("every page route declares, with its parents, every namespace its code uses", () => {
    const problems: string[] = [];
    const pages = pageRouteFiles();
    expect(pages.length).toBeGreaterThan(40);
    for (const file of pages) {
      const own = declaredNamespaces(file);
      const available = new Set([...COMMON_NAMESPACES, ...(own ?? []), ...parentRouteFiles(file).flatMap((p) => declaredNamespaces(p) ?? [])]);
      const missing = namespacesUsedBy(file, known).filter((ns) => !available.has(ns));
      if (missing.length) problems.push(`${relative(file)}: add ${missing.map((ns) => `"${ns}"`).join(", ")} to handle.i18n`);
      for (const ns of own ?? []) if (!known.has(ns)) problems.push(`${relative(file)}: "${ns}" is not a namespace (app/locales/en/${ns}.json)`);
    }
    expect(problems).toEqual([]);
  });

  it("the check itself sees keys in components and in the models a route calls", () => {
    const roster = namespacesUsedBy("app/routes/events.$eventId.roster.tsx", known);
    // the route's own keys, a component's (pagination), and a model's message (registrations.server)
    expect(roster).toEqual(expect.arrayContaining(["roster", "pagination", "registration"]));
    expect(parentRouteFiles(path.resolve("app/routes/events.$eventId.roster.tsx")).map(relative)).toEqual(["app/routes/events.$eventId.tsx"]);
    expect(parentRouteFiles(path.resolve("app/routes/events_.$eventId.register.tsx"))).toEqual([]);
  });

  it("a page asks for its namespaces in one order, whatever the order of its routes", () => {
    const a = routeNamespaces([{ handle: { i18n: ["roster", "event"] } }, { handle: undefined }]);
    const b = routeNamespaces([{ handle: { i18n: ["event"] } }, { handle: { i18n: ["roster", "event"] } }]);
    expect(a).toEqual(b);
    expect(a).toEqual([...COMMON_NAMESPACES, "event", "roster"].sort());
  });
});
