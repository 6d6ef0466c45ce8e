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
 */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** The path of the one-click unsubscribe endpoint (also in app/models/email-preferences.server.ts). */
export const ONE_CLICK_UNSUBSCRIBE_PATH = "/email-preferences/unsubscribe";

export function isAllowedOrigin(method: string, originHeader: string | null | undefined, appOrigin: string, path?: string) {
  if (SAFE_METHODS.has(method.toUpperCase())) return true;
  if (method.toUpperCase() === "POST" && path === ONE_CLICK_UNSUBSCRIBE_PATH) return true;
  if (!originHeader) return false;
  return originHeader === appOrigin;
}
