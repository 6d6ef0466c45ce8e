import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { statementCount } from "../../db/client";
import { getSessionUser, requireUser } from "~/auth/session.server";
import { lucia } from "~/auth/lucia.server";
import { inPageView } from "~/lib/page-view.server";
import { createUser, makeRequest, sessionCookie } from "../setup/helpers";
import { startRouteServer } from "../setup/route-server";

/**
 * A page view (a GET or HEAD through the HTTP layer) looks its session up once for all its loaders
 * (app/lib/page-view.server.ts): Remix gives each loader its own copy of the request, and the root,
 * the event layout and the page each check the session. What is read once is never another
 * request's: each request has its own page view, and an action reads the session anew each time.
 */

let base = "";
let close: () => Promise<void>;
let coordinatorCookie = "";
let partnerCookie = "";

/** Three loaders' worth of session checks on copies of the request, as Remix calls them; what each saw and how many statements ran. */
async function threeLoaders(request: Request) {
  const before = statementCount();
  const seen = [];
  for (let i = 0; i < 3; i++) seen.push((await requireUser(new Request(request.url, { method: request.method, headers: request.headers })).catch(() => null))?.email ?? null);
  return { seen, statements: statementCount() - before };
}

const sessionRoute = {
  loader: async ({ request }: { request: Request }) => Response.json(await threeLoaders(request)),
  action: async ({ request }: { request: Request }) => Response.json(await threeLoaders(request)),
};

beforeAll(async () => {
  const coordinator = await createUser({ role: "coordinator", email: "viewer-coordinator@example.test" });
  const partner = await createUser({ role: "partner", email: "viewer-partner@example.test" });
  coordinatorCookie = await sessionCookie(coordinator);
  partnerCookie = await sessionCookie(partner);
  ({ base, close } = await startRouteServer({ "who-am-i": sessionRoute }));
});
afterAll(async () => await close());

const get = async (cookie: string) => (await (await fetch(`${base}/who-am-i`, { headers: { Cookie: cookie } })).json()) as Awaited<ReturnType<typeof threeLoaders>>;

describe("one page view", () => {
  it("looks its session up once for all its loaders", async () => {
    const answer = await get(coordinatorCookie);
    expect(answer.seen).toEqual(Array(3).fill("viewer-coordinator@example.test"));
    expect(answer.statements).toBe(1);
  });

  it("never shares it with another request: two people asking at once each get themselves", async () => {
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => get(i % 2 ? partnerCookie : coordinatorCookie)));
    answers.forEach((answer, i) => expect(answer.seen).toEqual(Array(3).fill(i % 2 ? "viewer-partner@example.test" : "viewer-coordinator@example.test")));
  });

  it("sees a session ended since the last page view: the next page view is signed out", async () => {
    const user = await createUser({ role: "coordinator" });
    const cookie = await sessionCookie(user);
    expect((await get(cookie)).seen[0]).toBe(user.email);
    await lucia().invalidateUserSessions(user.id);
    expect((await get(cookie)).seen).toEqual([null, null, null]);
  });

  it("is not an action: a POST reads the session for each check", async () => {
    const response = await fetch(`${base}/who-am-i`, { method: "POST", headers: { Cookie: coordinatorCookie, Origin: base, "Content-Type": "application/x-www-form-urlencoded" }, body: "x=1" });
    const answer = (await response.json()) as Awaited<ReturnType<typeof threeLoaders>>;
    expect(answer.seen).toEqual(Array(3).fill("viewer-coordinator@example.test"));
    expect(answer.statements).toBe(3);
  });

  it("is only what the HTTP layer opens: a loader called on its own reads each time", async () => {
    expect((await threeLoaders(makeRequest("/who-am-i", { cookie: coordinatorCookie }))).statements).toBe(3);
  });

  it("keeps different cookies apart even within one view", async () => {
    await inPageView(async () => {
      const a = await getSessionUser(makeRequest("/", { cookie: coordinatorCookie }));
      const b = await getSessionUser(makeRequest("/", { cookie: partnerCookie }));
      const none = await getSessionUser(makeRequest("/"));
      expect(a?.user.email).toBe("viewer-coordinator@example.test");
      expect(b?.user.email).toBe("viewer-partner@example.test");
      expect(none).toBeNull();
    });
  });
});
