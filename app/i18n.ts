import en from "./locales/en";
import type { Locale } from "./lib/domain";

/**
 * The one translation layer (i18next). Catalogues are bundled: every language is a module of
 * app/locales, English is the reference and the fallback.
 */
export const supportedLocales = ["en"] as const satisfies readonly Locale[];
export const fallbackLocale = "en";
export const defaultNS = "translation";

export const resources = {
  en: { translation: en },
} as const;

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

declare module "i18next" {
  interface CustomTypeOptions {
    defaultNS: "translation";
    resources: { translation: typeof en };
  }
}
