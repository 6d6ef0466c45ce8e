import { appCookie } from "~/auth/cookies.server";

/**
 * Remembers the language a visitor chose before (or without) signing in. Its own module, light:
 * the HTTP layer (server/plain-pages.ts) reads it too, for the pages it writes itself.
 */
export const localeCookie = appCookie("convene_lang", { maxAge: 365 * 24 * 3600 });
