import { appCookie } from "./cookies.server";

/**
 * The personal link or code opened on this device (knowledge tests and feedback without an
 * account). The link's token travels once in a URL (/take/<token>), is moved here and the browser
 * is sent on to /take: later requests (every autosave) carry it in this HttpOnly cookie, never in
 * an address that a proxy's log, the history or a Referer could keep. The token has its own MAC,
 * so the cookie needs no signature; one access per device (a new link or code replaces it).
 */
const cookie = appCookie("convene_take", {});

export async function readEvaluationAccess(request: Request): Promise<string | null> {
  const value = await cookie.parse(request.headers.get("Cookie"));
  return typeof value === "string" ? value : null;
}

export async function keepEvaluationAccess(token: string, expiresAt: number): Promise<string> {
  return await cookie.serialize(token, { expires: new Date(expiresAt) });
}

export async function forgetEvaluationAccess(): Promise<string> {
  return await cookie.serialize("", { maxAge: 0 });
}
