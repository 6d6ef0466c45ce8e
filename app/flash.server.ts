import { redirect } from "@remix-run/node";
import { appCookie } from "~/auth/cookies.server";

/**
 * The short confirmation shown after an action ("Invitation sent"). Only a message key travels in
 * the cookie; the page shows it translated, and only keys under `flash.` are accepted.
 */
const flashCookie = appCookie("convene_flash", { maxAge: 60 });

export async function redirectWithFlash(to: string, messageKey: `flash.${string}`, init: { headers?: HeadersInit } = {}) {
  const headers = new Headers(init.headers);
  headers.append("Set-Cookie", await flashCookie.serialize(messageKey));
  return redirect(to, { headers });
}

/** Read (and clear) the flash message of this request. */
export async function readFlash(request: Request): Promise<{ message: string | null; setCookie: string | null }> {
  const value = await flashCookie.parse(request.headers.get("Cookie"));
  if (typeof value !== "string" || !value.startsWith("flash.")) return { message: null, setCookie: null };
  return { message: value, setCookie: await flashCookie.serialize("", { maxAge: 0 }) };
}
