import fs from "node:fs";
import { createRequire } from "node:module";
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
});
