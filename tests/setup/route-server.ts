import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { ServerBuild } from "@remix-run/node";
import * as entry from "~/entry.server";
import { createApp } from "../../server/app";
import type { Turns } from "../../server/turns";

type RouteModule = { loader?: unknown; action?: unknown };

/**
 * The real HTTP layer (server/app.ts: headers, Origin check, client address, audit of refusals)
 * and the real entry module in front of real route loaders and actions, served as resource routes
 * (no page to render: what is tested is what the server does with the request). `routes` maps a
 * URL pattern ("events/:eventId/attendance") to the route module. Listens on 127.0.0.1; the
 * app's Origin is that address, so POSTs must send `Origin: base`.
 */
export async function startRouteServer(
  routes: Record<string, RouteModule>,
  options: { trustProxy?: false | number | string[]; readTurns?: Turns } = {},
): Promise<{ base: string; server: Server; close: () => Promise<void> }> {
  const manifest: Record<string, unknown> = { root: { id: "root", path: "", module: {} } };
  for (const [path, module] of Object.entries(routes)) {
    const id = `routes/${path}`;
    manifest[id] = { id, parentId: "root", path, module: { loader: module.loader, action: module.action } };
  }
  const build = {
    mode: "production",
    entry: { module: entry },
    routes: manifest,
    assets: { entry: { module: "/entry.js", imports: [] }, routes: {}, url: "/manifest.js", version: "test" },
    publicPath: "/",
    assetsBuildDirectory: "build/client",
    future: { v3_singleFetch: true },
    isSpaMode: false,
  } as unknown as ServerBuild;
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  server.on("request", createApp({ build, appOrigin: base, secure: false, production: true, trustProxy: options.trustProxy, readTurns: options.readTurns }));
  return { base, server, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
