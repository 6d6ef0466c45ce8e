import { createInstance, type TFunction } from "i18next";
import en from "./locales/en";
import fr from "./locales/fr";
import es from "./locales/es";
import ar from "./locales/ar";
import type { Locale } from "./lib/domain";

/**
 * The one translation layer (i18next). Catalogues are bundled modules of app/locales; English is
 * the reference and the fallback.
 */
export const supportedLocales = ["en", "fr", "es", "ar"] as const satisfies readonly Locale[];
export const fallbackLocale = "en";
export const defaultNS = "translation";

/** Each language named in itself, for the language switcher. */
export const LANGUAGE_NAMES: Record<Locale, string> = {
  en: "English",
  fr: "Français",
  es: "Español",
  ar: "العربية",
};

export const resources = {
  en: { translation: en },
  fr: { translation: fr },
  es: { translation: es },
  ar: { translation: ar },
} as const;

export function isSupportedLocale(value: unknown): value is Locale {
  return typeof value === "string" && (supportedLocales as readonly string[]).includes(value);
}

export const RTL_LOCALES = new Set(["ar"]);
export function directionOf(locale: string): "ltr" | "rtl" {
  return RTL_LOCALES.has(locale) ? "rtl" : "ltr";
}

export const i18nConfig = {
  supportedLngs: [...supportedLocales],
  fallbackLng: fallbackLocale,
  defaultNS,
  resources,
  interpolation: { escapeValue: false },
  react: { useSuspense: false },
};

const shared = createInstance();
void shared.init({ ...i18nConfig, lng: fallbackLocale, initImmediate: false });

/** A translator for a given language, usable anywhere (meta titles, emails, exports). */
export function translator(locale: string | null | undefined): { t: TFunction; lang: Locale; dir: "ltr" | "rtl" } {
  const lang = isSupportedLocale(locale) ? locale : fallbackLocale;
  return { t: shared.getFixedT(lang), lang, dir: directionOf(lang) };
}

declare module "i18next" {
  interface CustomTypeOptions {
    defaultNS: "translation";
    resources: { translation: typeof en };
  }
}
