import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";

// the CommonJS build the server uses (the browser bundle keeps the original)
const require = createRequire(import.meta.url);
const routerFile = require.resolve("@remix-run/router");
const { matchRoutes, matchPath } = require("@remix-run/router") as typeof import("@remix-run/router");

type Route = import("@remix-run/router").AgnosticRouteObject;
const routes: Route[] = [
  {
    id: "root",
    path: "",
    children: [
      { id: "home", index: true },
      { id: "events", path: "events" },
      {
        id: "event",
        path: "events/:eventId",
        children: [
          { id: "overview", index: true },
          { id: "roster", path: "roster" },
          { id: "session", path: "sessions/:sessionId?" },
        ],
      },
      { id: "exact", path: "CaseSensitive", caseSensitive: true },
      { id: "files", path: "files/*" },
    ],
  },
];
const ids = (path: string) => matchRoutes(routes, path)?.map((m) => m.route.id) ?? null;

/**
 * patches/@remix-run+router+*.patch (applied by `npm install`): the server flattens and ranks a
 * routes array once and compiles each route pattern once, instead of on every match.
 */
describe("route matching (patched @remix-run/router)", () => {
  it("is the patched build", () => {
    expect(fs.readFileSync(routerFile, "utf8")).toContain("Convene (patches/@remix-run+router");
  });

  it("matches the same routes, again and again, exactly as before", () => {
    for (let round = 0; round < 3; round++) {
      expect(ids("/")).toEqual(["root", "home"]);
      expect(ids("/events")).toEqual(["root", "events"]);
      expect(ids("/events/12")).toEqual(["root", "event", "overview"]);
      expect(ids("/events/12/roster/")).toEqual(["root", "event", "roster"]);
      expect(ids("/events/12/sessions")).toEqual(["root", "event", "session"]);
      expect(ids("/nowhere")).toBeNull();
      expect(ids("/casesensitive")).toBeNull();
      expect(ids("/CaseSensitive")).toEqual(["root", "exact"]);
      const session = matchRoutes(routes, "/events/7/sessions/3")!;
      expect(session.at(-1)!.params).toEqual({ eventId: "7", sessionId: "3" });
      // a caller changing the params it got does not change what the next caller gets
      (session.at(-1)!.params as Record<string, string>).eventId = "changed";
      expect(matchRoutes(routes, "/events/7/sessions/3")!.at(-1)!.params).toEqual({ eventId: "7", sessionId: "3" });
      expect(matchRoutes(routes, "/files/a/b.pdf")!.at(-1)!.params).toEqual({ "*": "a/b.pdf" });
    }
    expect(matchPath({ path: "/events/:eventId", end: false }, "/events/5/roster")?.params).toEqual({ eventId: "5" });
    expect(matchPath({ path: "/events/:eventId", end: true }, "/events/5/roster")).toBeNull();
  });

  it("sees a new routes array (a rebuilt app) afresh", () => {
    const other: Route[] = [{ id: "only", path: "events" }];
    expect(matchRoutes(other, "/events")!.map((m) => m.route.id)).toEqual(["only"]);
    expect(ids("/events")).toEqual(["root", "events"]);
  });

  it("finds exactly what the unpatched router finds, for an app-sized route tree and all kinds of paths", async () => {
    // the ES module build is the browser's, left unpatched: the oracle
    const original = (await import(pathToFileURL(path.join(path.dirname(routerFile), "router.js")).href)) as typeof import("@remix-run/router");
    const app: Route[] = [
      {
        id: "root",
        path: "",
        children: [
          { id: "home", index: true },
          { id: "login", path: "login" },
          { id: "events", path: "events", children: [{ id: "events-index", index: true }, { id: "events-new", path: "new" }] },
          {
            id: "event",
            path: "events/:eventId",
            children: [
              { id: "overview", index: true },
              { id: "roster", path: "roster" },
              { id: "roster-csv", path: "roster.csv" },
              { id: "session", path: "sessions/:sessionId?" },
              { id: "attendance", path: "attendance/*" },
            ],
          },
          { id: "reports", path: "reports", children: [{ id: "reports-index", index: true }] },
          { id: "reports-csv", path: "reports.csv" },
          { id: "lang", path: ":lang?/about" },
          { id: "static-optional", path: "help?/faq" },
          { id: "exact", path: "Admin/Audit", caseSensitive: true },
          { id: "people", path: "people/:personId" },
          { id: "layout", children: [{ id: "me", path: "me" }, { id: "me-plans", path: "me/plans/:planId" }] },
          { id: "verify", path: "/verify/:code" },
          { id: "files", path: "files/*" },
          { id: "catch-all", path: "*" },
        ],
      },
    ];
    const paths = [
      "/", "", "/login", "/LOGIN", "/login/", "//login", "/events", "/events/", "/events/new", "/Events/New", "/events/889",
      "/events/889/", "/events/889/roster", "/events/889/roster.csv", "/events/889/sessions", "/events/889/sessions/3",
      "/events/889/attendance", "/events/889/attendance/a/b", "/events/%E2%9C%93", "/reports", "/reports.csv",
      "/reportsXcsv", "/about", "/fr/about", "/faq", "/help/faq", "/admin/audit", "/Admin/Audit", "/people/7", "/people",
      "/me", "/me/plans/4", "/ME", "/verify/abc", "/files", "/files/x.pdf", "/nowhere", "/nowhere/at/all", "/%20events",
      "/évènements", "/events%2F889",
    ];
    const summary = (m: ReturnType<typeof matchRoutes>) => m?.map((x) => [x.route.id, x.pathname, x.pathnameBase, x.params]) ?? null;
    for (const basename of [undefined, "/app"]) {
      for (const p of paths) {
        const location = basename ? `/app${p}` : p;
        expect(summary(matchRoutes(app, location, basename)), `${basename ?? ""} ${p}`).toEqual(summary(original.matchRoutes(app, location, basename)));
      }
    }
  });
});

