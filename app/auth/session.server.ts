import { redirect } from "@remix-run/node";
import type { Session, User } from "lucia";
import { absoluteTimeoutFor, lucia, recordSessionUse } from "./lucia.server";
import { nowMs } from "~/lib/clock";
import { readOncePerPageView } from "~/lib/page-view.server";
import type { Role, SessionRestriction } from "~/lib/domain";

/** A User-Agent kept for the list of sessions is cut to this length (a browser's is 100–300). */
const MAX_USER_AGENT = 400;

export type SessionUser = {
  id: string;
  email: string;
  name: string;
  role: Role;
  organisationId: number | null;
  locale: string | null;
};

/** Who is acting, and from where: what models need to check rights and write the audit log. */
export type Actor = { user: SessionUser; ip: string | null };

/** The client's address, set by the server (server/app.ts) from the socket; never trusted from the client. */
export function clientIp(request: Request): string | null {
  return request.headers.get("x-convene-client-ip");
}

function toSessionUser(user: User): SessionUser {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    organisationId: user.organisationId,
    locale: user.locale,
  };
}

function readSessionId(request: Request): string | null {
  return lucia().readSessionCookie(request.headers.get("Cookie") ?? "");
}

/** A session's "last used" moves at most this often: a write every few minutes, not every page. */
export const LAST_USED_EVERY_MS = 5 * 60 * 1000;

/**
 * The logged-in user, or null. Ends sessions that are past their absolute limit or whose user is disabled.
 * A page view (a GET: no action runs) looks its session up once for all its loaders (app/lib/page-view.server.ts).
 */
export function getSessionUser(request: Request): Promise<{ user: SessionUser; session: Session } | null> {
  if (request.method !== "GET" && request.method !== "HEAD") return readSessionUser(request);
  return readOncePerPageView(`session ${request.headers.get("Cookie") ?? ""}`, () => readSessionUser(request));
}

async function readSessionUser(request: Request): Promise<{ user: SessionUser; session: Session } | null> {
  const sessionId = readSessionId(request);
  if (!sessionId) return null;
  const { session, user } = await lucia().validateSession(sessionId);
  if (!session || !user) return null;
  const at = nowMs();
  if (session.absoluteExpiresAt <= at || user.disabledAt) {
    await lucia().invalidateSession(session.id);
    return null;
  }
  if (session.lastUsedAt === null || at - session.lastUsedAt >= LAST_USED_EVERY_MS) {
    await recordSessionUse(session.id, at, clientIp(request));
    session.lastUsedAt = at;
  }
  return { user: toSessionUser(user), session };
}

export function loginRedirect(request: Request) {
  const url = new URL(request.url);
  const redirectTo = url.pathname + url.search;
  const target = redirectTo === "/" ? "/login" : `/login?${new URLSearchParams({ redirectTo })}`;
  return redirect(target, { headers: { "Cache-Control": "no-store" } });
}

/** The one page a restricted session may reach: the one that lifts its restriction. */
export const RESTRICTION_PAGES: Record<SessionRestriction, string> = {
  password_change: "/account/password",
  second_factor_enrolment: "/account/two-factor",
};

/**
 * A signed-in user whose session is a full one. A restricted session (a password to change, a
 * second factor to enrol) is sent to the page that lifts its restriction, from every page.
 */
export async function requireSession(request: Request): Promise<{ user: SessionUser; session: Session }> {
  const found = await getSessionUser(request);
  if (!found) throw loginRedirect(request);
  if (found.session.restriction) throw redirect(RESTRICTION_PAGES[found.session.restriction], { headers: { "Cache-Control": "no-store" } });
  return found;
}

/**
 * For the pages that lift a restriction: the signed-in user whose session is full or has exactly
 * this restriction (any other restriction is sent to its own page first).
 */
export async function requireSessionAllowing(request: Request, restriction: SessionRestriction) {
  const found = await getSessionUser(request);
  if (!found) throw loginRedirect(request);
  const current = found.session.restriction;
  if (current && current !== restriction) throw redirect(RESTRICTION_PAGES[current], { headers: { "Cache-Control": "no-store" } });
  return { ...found, actor: { user: found.user, ip: clientIp(request) } as Actor };
}

/** Every loader and action that needs a login calls this (a parent route's check does not protect children). */
export async function requireUser(request: Request): Promise<SessionUser> {
  return (await requireSession(request)).user;
}

export function forbidden(message = "You do not have access to this page."): Response {
  return new Response(message, { status: 403, statusText: "Forbidden" });
}

export function notFound(message = "Not found"): Response {
  return new Response(message, { status: 404, statusText: "Not Found" });
}

/** A logged-in user with one of the given roles; anyone else logged in gets 403. */
export async function requireRole(request: Request, roles: readonly Role[]): Promise<SessionUser> {
  const user = await requireUser(request);
  if (!roles.includes(user.role)) throw forbidden();
  return user;
}

export async function requireActor(request: Request, roles?: readonly Role[]): Promise<Actor> {
  const user = roles ? await requireRole(request, roles) : await requireUser(request);
  return { user, ip: clientIp(request) };
}

/**
 * Start a new session (always a new id at login) and return its Set-Cookie header. `from`: the
 * sign-in request, whose browser and address the user's list of sessions shows. `restriction`:
 * what the sign-in found still to do (restrictionAtSignIn), null for a full session.
 */
export async function createLoginSession(
  user: { id: string; role: Role },
  from?: Request,
  restriction: SessionRestriction | null = null,
): Promise<string> {
  const created = nowMs();
  const absoluteExpiresAt = created + absoluteTimeoutFor(user.role);
  const session = await lucia().createSession(user.id, {
    absoluteExpiresAt,
    createdAt: created,
    userAgent: from?.headers.get("user-agent")?.slice(0, MAX_USER_AGENT) || null,
    ip: from ? clientIp(from) : null,
    lastUsedAt: created,
    restriction,
  });
  const cookie = lucia().createSessionCookie(session.id);
  // The browser keeps the cookie until the absolute limit; the server enforces the idle limit.
  cookie.attributes.maxAge = Math.floor((absoluteExpiresAt - created) / 1000);
  cookie.attributes.httpOnly = true;
  return cookie.serialize();
}

/** End the current session; returns the Set-Cookie header that clears the cookie. */
export async function endSession(request: Request): Promise<string> {
  const sessionId = readSessionId(request);
  if (sessionId) await lucia().invalidateSession(sessionId);
  return lucia().createBlankSessionCookie().serialize();
}

/** End every session of a user (password change, disabled account, role change, "sign out everywhere"). */
export async function endAllSessions(userId: string) {
  await lucia().invalidateUserSessions(userId);
}

/**
 * The one check for every redirect target that comes from a request (`redirectTo`, a form's way
 * back): only a path of this site survives, after the URL normalisation a browser applies to a
 * `Location` header; anything else becomes `fallback`. Browsers drop tabs and newlines inside URLs,
 * read `\` as `/` and resolve `..`, so each of those could turn a path into `//other.site`: the
 * input is refused when it holds a control character, a space or a backslash, and the normalised
 * result must still start with exactly one `/` (not `//`, nor an encoded slash or backslash).
 */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (!to || typeof to !== "string" || to.length > 2000) return fallback;
  if (!to.startsWith("/") || /[\u0000-\u0020\u007f-\u009f\\]/.test(to)) return fallback;
  let url: URL;
  try {
    url = new URL(to, "http://convene.invalid");
  } catch {
    return fallback;
  }
  if (url.origin !== "http://convene.invalid") return fallback;
  // percent-encoded by the URL parser: what a Location header cannot carry (Arabic, RTL marks…)
  const path = `${url.pathname}${url.search}${url.hash}`;
  if (/^\/(\/|%2f|%5c)/i.test(path)) return fallback;
  return path;
}
