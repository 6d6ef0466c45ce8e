import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_ADDRESSES, apiAddressOf } from "~/api/addresses.server";
import { createApiToken } from "~/models/api-tokens.server";
import * as apiRoute from "~/routes/api.v1.$";
import { createUser } from "../setup/helpers";
import { startRouteServer } from "../setup/route-server";

/**
 * The API's addresses are answered by one route (app/routes/api.v1.$.ts, "api/v1/*"), which finds
 * the address module in app/api/addresses.server.ts: every module is listed at the address its
 * flat-route name says; over real HTTP an address answers as a route of its own did (any case, a
 * trailing slash), and an address the API does not have gets problem details, never an HTML page.
 * (Each address's rights, through this route: tests/integration/authorization-matrix.test.ts.)
 */

let base: string;
let close: () => Promise<void>;
let token: string;

beforeAll(async () => {
  ({ base, close } = await startRouteServer({ "api/v1/*": apiRoute }));
  const coordinator = await createUser({ role: "coordinator" });
  token = (await createApiToken({ user: { ...coordinator, name: "Addresses", locale: "en" }, ip: null }, { name: "addresses", access: "write", lifetimeDays: 7 })).secret;
});
afterAll(async () => await close());

const ask = (path: string, init: RequestInit & { token?: string | null } = {}) =>
  fetch(`${base}${path}`, { ...init, headers: { ...(init.token === null ? {} : { Authorization: `Bearer ${init.token ?? token}` }), ...(init.headers ?? {}) } });

/** The address a flat route file's name says (app/api/api.v1.events_.$eventId.ts → events/:eventId). */
function addressOfFile(file: string) {
  return file
    .replace(/\.ts$/, "")
    .replace(/^api\.v1\./, "")
    .split(/\.(?![^[]*\])/)
    .map((segment) => segment.replace(/\[([^\]]*)\]/g, "$1").replace(/_$/, "").replace(/^\$/, ":"))
    .join("/");
}

describe("the API's addresses", () => {
  it("list every address module of app/api at the address its name says, once", () => {
    const files = fs.readdirSync("app/api").filter((f) => f.startsWith("api.v1.")).sort();
    expect(files).toHaveLength(19);
    expect(API_ADDRESSES.map((a) => a.path).sort()).toEqual(files.map(addressOfFile).sort());
    expect(addressOfFile("api.v1.events_.$eventId_.sessions_.$sessionId_.attendance.ts")).toBe("events/:eventId/sessions/:sessionId/attendance");
    expect(addressOfFile("api.v1.openapi[.]json.ts")).toBe("openapi.json");
    expect(new Set(API_ADDRESSES.map((a) => a.module)).size).toBe(API_ADDRESSES.length);
  });

  it("give each address its parameters, and nothing for a path the API does not have", () => {
    expect(apiAddressOf("events/12/sessions/34")?.params).toEqual({ eventId: "12", sessionId: "34" });
    expect(apiAddressOf("events/12/sessions/34")?.module).toBe(API_ADDRESSES.find((a) => a.path === "events/:eventId/sessions/:sessionId")!.module);
    expect(apiAddressOf("reports/summary")).not.toBeNull();
    for (const unknown of ["", "events/12/sessions/34/nothing", "reports", "events/12/../13", "openapi.jsonx", "../events"]) expect(apiAddressOf(unknown), unknown).toBeNull();
  });

  it("answer over HTTP through the one route, in any case and with a trailing slash, as Remix's routes do", async () => {
    const list = await ask("/api/v1/events");
    expect(list.status).toBe(200);
    expect(list.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await list.json()).toMatchObject({ data: expect.any(Array) });
    expect((await ask("/API/V1/Events/")).status).toBe(200);
    const openapi = await ask("/api/v1/openapi.json", { token: null });
    expect(openapi.status).toBe(200);
    expect((await openapi.json()).openapi).toBe("3.1.0");
    // the parameters reach the module: an event that does not exist is its 404
    const missing = await ask("/api/v1/events/999999/sessions");
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  });

  it("answer an address the API does not have with problem details (401 without a token, then 404), never a page", async () => {
    const stranger = await ask("/api/v1/no/such/address", { token: null });
    expect(stranger.status).toBe(401);
    expect(stranger.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    const unknown = await ask("/api/v1/no/such/address");
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(await unknown.json()).toMatchObject({ status: 404, title: "Not found" });
    const written = await ask("/api/v1/events/1/nothing", { method: "POST", headers: { "Content-Type": "application/json", Origin: base }, body: "{}" });
    expect(written.status).toBe(404);
    expect(written.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  });

  it("answers a method an address module does not take with 405 problem details", async () => {
    // (openapi.json is the one address without writes; its dot puts it outside the Origin check's API paths)
    const posted = await ask("/api/v1/openapi.json", { method: "POST", headers: { "Content-Type": "application/json", Origin: base }, body: "{}" });
    expect(posted.status).toBe(405);
    expect(posted.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  });
});
