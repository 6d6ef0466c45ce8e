import { createCookie } from "@remix-run/node";
import { RemixI18Next } from "remix-i18next/server";
import { fallbackLocale, i18nConfig, isSupportedLocale, supportedLocales, translator } from "./i18n";

/** Remembers the language a visitor chose before (or without) signing in. */
export const localeCookie = createCookie("convene_lang", { path: "/", sameSite: "lax", httpOnly: true, maxAge: 365 * 24 * 3600 });

/** Language: the user's profile, else the chosen-language cookie, else Accept-Language, else English. */
export const remixI18n = new RemixI18Next({
  detection: {
    supportedLanguages: [...supportedLocales],
    fallbackLanguage: fallbackLocale,
    cookie: localeCookie,
    order: ["cookie", "header"],
  },
  i18next: i18nConfig,
});

export function pickLocale(profileLocale: string | null | undefined, fromRequest: string): string {
  if (isSupportedLocale(profileLocale)) return profileLocale;
  return isSupportedLocale(fromRequest) ? fromRequest : fallbackLocale;
}

/** A translator for a recipient's language (emails, PDFs, CSV headers). */
export const translatorFor = translator;
