/**
 * CSRF defence: a state-changing request must come from our own origin. Browsers send `Origin` on
 * every cross-origin POST and on same-origin POSTs too; a missing Origin is refused as well.
 *
 * One exception, and only one: the one-click unsubscribe of RFC 8058. A mail client (or its
 * provider) POSTs `List-Unsubscribe=One-Click` to the URL in a reminder's List-Unsubscribe header,
 * with no session and a foreign Origin or none. That endpoint is authenticated by the token in
 * its URL alone, uses no cookie, and can only turn reminder emails off
 * (app/routes/email-preferences_.unsubscribe.ts), so a forged cross-site POST gains nothing.
 * The exception is for POST to that exact path; any other method or path is checked as usual.
 *
 * The API (/api/v1/…) is not a browser's: it authenticates with a bearer token alone and never
 * reads the session cookie, so a forged cross-site request carries no credential there (and a
 * browser cannot add an Authorization header across sites without a CORS preflight, which Convene
 * never grants). Its writes come from scripts without an Origin. The path must be plain segments
 * (letters, digits, `-`, `_`): no dot segment or percent-encoding could make the router, which
 * resolves them, land on a page while this check saw an API path.
 */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** The path of the one-click unsubscribe endpoint (also in app/models/email-preferences.server.ts). */
export const ONE_CLICK_UNSUBSCRIBE_PATH = "/email-preferences/unsubscribe";

/** An API address, written so that it cannot resolve to anything else. */
const API_WRITE_PATH = /^\/api\/v1(?:\/[A-Za-z0-9_-]+)+$/;

export function isAllowedOrigin(method: string, originHeader: string | null | undefined, appOrigin: string, path?: string) {
  if (SAFE_METHODS.has(method.toUpperCase())) return true;
  if (method.toUpperCase() === "POST" && path === ONE_CLICK_UNSUBSCRIBE_PATH) return true;
  if (path !== undefined && API_WRITE_PATH.test(path)) return true;
  if (!originHeader) return false;
  return originHeader === appOrigin;
}
