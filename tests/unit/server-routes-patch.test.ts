import fs from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";

/**
 * patches/@remix-run+react+*.patch and patches/react-router-dom+*.patch (applied by `npm install`):
 * Remix builds the server routes of a build once, not on every request, and React Router converts
 * that routes array to data routes once. The same array also lets the route-matching patch keep
 * its ranked branches. Rendering must not change: each page still gets its own matches and data.
 */
const require = createRequire(import.meta.url);
const React = require("react") as typeof import("react");
const { renderToString } = require("react-dom/server") as typeof import("react-dom/server");
const remix = require("@remix-run/react") as typeof import("@remix-run/react");
const routerServer = require("react-router-dom/server") as typeof import("react-router-dom/server") & Record<string, unknown>;
const { createStaticHandler } = require("@remix-run/router") as typeof import("@remix-run/router");
const h = React.createElement;

type Manifest = Record<string, { id: string; parentId?: string; path?: string; index?: boolean; hasLoader: boolean }>;
function app() {
  const manifest: Manifest = {
    root: { id: "root", path: "", hasLoader: true },
    "routes/events": { id: "routes/events", parentId: "root", path: "events", hasLoader: true },
    "routes/event": { id: "routes/event", parentId: "root", path: "events/:eventId", hasLoader: true },
  };
  const modules = {
    root: {
      default: () => h("main", null, `signed in as ${(remix.useLoaderData() as { user: string }).user}: `, h(remix.Outlet)),
    },
    "routes/events": { default: () => h("p", null, `${(remix.useLoaderData() as { n: number }).n} events`) },
    "routes/event": {
      default: () => {
        const { title } = remix.useLoaderData() as { title: string };
        return h("h1", null, `${title} (${remix.useParams().eventId})`);
      },
    },
  };
  // what the server runtime runs: the same ids, with loaders
  const handler = createStaticHandler([
    {
      id: "root",
      path: "",
      loader: () => ({ user: "Marguerite" }),
      children: [
        { id: "routes/events", path: "events", loader: () => ({ n: 2000 }) },
        { id: "routes/event", path: "events/:eventId", loader: ({ params }) => ({ title: `Training ${params.eventId}` }) },
      ],
    },
  ]);
  const assets = { routes: manifest, entry: { module: "/entry.js", imports: [] }, url: "/manifest.js", version: "test" };
  return { assets, modules, handler };
}

async function render(build: ReturnType<typeof app>, url: string) {
  const context = await build.handler.query(new Request(`http://convene.test${url}`));
  if (context instanceof Response) throw new Error(`unexpected response ${context.status}`);
  const entryContext = {
    manifest: build.assets,
    // a new object for every request, as the server runtime makes it
    routeModules: { ...build.modules },
    staticHandlerContext: context,
    future: { v3_fetcherPersist: false, v3_relativeSplatPath: false, v3_throwAbortReason: false, v3_routeConfig: false, v3_singleFetch: false, v3_lazyRouteDiscovery: false, unstable_optimizeDeps: false },
    isSpaMode: false,
    serverHandoffString: "{}",
    criticalCss: undefined,
    serializeError: (error: Error) => ({ message: error.message }),
  };
  return renderToString(h(remix.RemixServer, { context: entryContext as never, url: `http://convene.test${url}` }));
}

describe("server routes (patched @remix-run/react and react-router-dom)", () => {
  it("are the patched builds", () => {
    expect(fs.readFileSync(require.resolve("@remix-run/react/dist/server.js"), "utf8")).toContain("Convene (patches/@remix-run+react");
    expect(fs.readFileSync(require.resolve("react-router-dom/server.js"), "utf8")).toContain("Convene (patches/react-router-dom");
  });

  it("are built once per build, and every page still renders its own matches and data", async () => {
    const seen: unknown[] = [];
    const dataRoutes: unknown[] = [];
    const original = routerServer.createStaticRouter;
    routerServer.createStaticRouter = ((routes, context, opts) => {
      const router = original(routes, context, opts);
      seen.push(routes);
      dataRoutes.push(router.routes);
      return router;
    }) as typeof original;
    try {
      const build = app();
      expect(await render(build, "/events")).toContain("<main>signed in as Marguerite: <p>2000 events</p></main>");
      expect(await render(build, "/events/17")).toContain("<h1>Training 17 (17)</h1>");
      expect(await render(build, "/events/42")).toContain("<h1>Training 42 (42)</h1>");
      expect(await render(build, "/events")).not.toContain("<h1>");
      expect(seen).toHaveLength(4);
      expect(new Set(seen).size).toBe(1);
      expect(new Set(dataRoutes).size).toBe(1);

      // another build (a rebuilt app) gets routes of its own
      const rebuilt = app();
      expect(await render(rebuilt, "/events/5")).toContain("<h1>Training 5 (5)</h1>");
      expect(new Set(seen).size).toBe(2);
      expect(new Set(dataRoutes).size).toBe(2);
    } finally {
      routerServer.createStaticRouter = original;
    }
  });
});
