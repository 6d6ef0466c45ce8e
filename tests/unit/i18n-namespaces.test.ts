import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { COMMON_NAMESPACES, routeNamespaces } from "~/i18n";
import { LOCALES_DIR } from "~/i18n.server";
import { codeReachedBy, declaredNamespaces, namespacesUsedBy, pageRouteFiles, parentRouteFiles } from "../setup/translation-usage";

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

  it("no route declares a namespace that neither its page nor a page inside it uses (each one is sent to the browser)", () => {
    const pages = pageRouteFiles();
    const used = new Map(pages.map((file) => [file, namespacesUsedBy(file, known)]));
    const problems: string[] = [];
    for (const file of pages) {
      const within = pages.filter((p) => p === file || parentRouteFiles(p).includes(file));
      const needed = new Set(within.flatMap((p) => used.get(p) ?? []));
      for (const ns of declaredNamespaces(file) ?? []) if (!needed.has(ns)) problems.push(`${relative(file)}: "${ns}" is not used, remove it from handle.i18n`);
    }
    expect(problems).toEqual([]);
  });

  it("the check sees keys in components and in the models a route calls", () => {
    const roster = namespacesUsedBy("app/routes/events.$eventId.roster.tsx", known);
    // the route's own keys, a component's (pagination), and a model's message (registrations.server)
    expect(roster).toEqual(expect.arrayContaining(["roster", "pagination", "registration"]));
    expect(parentRouteFiles(path.resolve("app/routes/events.$eventId.roster.tsx")).map(relative)).toEqual(["app/routes/events.$eventId.tsx"]);
    expect(parentRouteFiles(path.resolve("app/routes/events_.$eventId.register.tsx"))).toEqual([]);
  });

  it("a page gets the namespace of a message its action returns from a model it calls", () => {
    // /me's action shows the FieldError of cancelOwnRegistration (registrations.server.ts)
    const model = fs.readFileSync("app/models/registrations.server.ts", "utf8");
    expect(model).toMatch(/new FieldError\("form", "registration\.errors\.notActive"\)/);
    expect(fs.readFileSync("app/routes/me.tsx", "utf8")).toMatch(/error instanceof FieldError\) return data\(\{ error: error\.messageKey \}/);
    expect(codeReachedBy("app/routes/me.tsx").literals).toContain("registration.errors.notActive");
    expect(namespacesUsedBy("app/routes/me.tsx", known)).toContain("registration");
  });

  it("key-like strings of server code a page never runs do not pull a namespace in", () => {
    const me = codeReachedBy("app/routes/me.tsx");
    // /me enters these models (it calls functions of theirs) …
    expect(me.files.map(relative)).toEqual(expect.arrayContaining(["app/models/registrations.server.ts", "app/models/outbox.server.ts"]));
    // … which hold audit actions and the messages of functions /me never calls
    expect(fs.readFileSync("app/models/outbox.server.ts", "utf8")).toContain('action: "outbox.retry"');
    expect(fs.readFileSync("app/models/registrations.server.ts", "utf8")).toContain('action: "roster.import"');
    expect(fs.readFileSync("app/models/registrations.server.ts", "utf8")).toContain('"rosterImport.cell.required"');
    const used = namespacesUsedBy("app/routes/me.tsx", known);
    for (const ns of ["outbox", "rosterImport", "roster"]) expect(used, ns).not.toContain(ns);
  });

  it("of a component module, only the parts a page renders count", () => {
    // the overview shows CheckInSchedule (event.*) from components/action-plans.tsx, not the plans
    expect(fs.readFileSync("app/routes/events.$eventId._index.tsx", "utf8")).toMatch(/import \{ CheckInSchedule \} from "~\/components\/action-plans"/);
    expect(fs.readFileSync("app/components/action-plans.tsx", "utf8")).toContain('t("actionPlans.overdue")');
    const overview = namespacesUsedBy("app/routes/events.$eventId._index.tsx", known);
    expect(overview).toContain("event");
    expect(overview).not.toContain("actionPlans");
  });

  it("a key a server module translates itself (an email) stays on the server", () => {
    // /forgot-password calls requestPasswordReset, whose email says how long the link lasts
    expect(fs.readFileSync("app/models/accounts.server.ts", "utf8")).toContain('validFor: t("email.oneHour")');
    const forgot = codeReachedBy("app/routes/forgot-password.tsx");
    expect(forgot.files.map(relative)).toContain("app/models/accounts.server.ts");
    expect(forgot.literals).not.toContain("email.oneHour");
    expect(namespacesUsedBy("app/routes/forgot-password.tsx", known)).not.toContain("email");
  });

  it("a page asks for its namespaces in one order, whatever the order of its routes", () => {
    const a = routeNamespaces([{ handle: { i18n: ["roster", "event"] } }, { handle: undefined }]);
    const b = routeNamespaces([{ handle: { i18n: ["event"] } }, { handle: { i18n: ["roster", "event"] } }]);
    expect(a).toEqual(b);
    expect(a).toEqual([...COMMON_NAMESPACES, "event", "roster"].sort());
  });
});
