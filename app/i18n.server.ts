import { createInstance, type TFunction } from "i18next";
import { RemixI18Next } from "remix-i18next/server";
import { directionOf, fallbackLocale, i18nConfig, supportedLocales } from "./i18n";

/** Language: the user's profile, else the browser's Accept-Language, else English. */
export const remixI18n = new RemixI18Next({
  detection: { supportedLanguages: [...supportedLocales], fallbackLanguage: fallbackLocale },
  i18next: i18nConfig,
});

export function pickLocale(profileLocale: string | null | undefined, fromRequest: string): string {
  if (profileLocale && (supportedLocales as readonly string[]).includes(profileLocale)) return profileLocale;
  return fromRequest;
}

const translators = new Map<string, TFunction>();
/** A translator for a recipient's language (emails, PDFs, CSV headers). */
export function translatorFor(locale: string | null | undefined): { t: TFunction; lang: string; dir: "ltr" | "rtl" } {
  const lang = locale && (supportedLocales as readonly string[]).includes(locale) ? locale : fallbackLocale;
  let t = translators.get(lang);
  if (!t) {
    const instance = createInstance();
    instance.init({ ...i18nConfig, lng: lang, initImmediate: false });
    t = instance.t;
    translators.set(lang, t);
  }
  return { t, lang, dir: directionOf(lang) };
}
