import { createInstance, type i18n as I18n, type TFunction } from "i18next";
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

/** Option keys that only say which catalogue to read (set by getFixedT and useTranslation). */
const LOOKUP_OPTIONS = new Set(["lng", "lngs", "ns", "keyPrefix"]);
const MEMO_LIMIT = 20_000;

/**
 * Keeps the result of a plain lookup — a key, in a language, with at most numbers to put in
 * (a count, an objective's number) — so that the same label asked for again (every row of a
 * table, every page) does not go through i18next's key parsing, plural rules and interpolation
 * each time. The catalogues are bundled and never change while the process runs, so a kept result
 * is always what i18next would answer; a lookup with any other value (a name, a date, a
 * defaultValue, a context …) is not kept.
 */
export function memoizeTranslations(instance: I18n): I18n {
  const plain = instance.t.bind(instance) as (key: unknown, options?: unknown) => unknown;
  const memo = new Map<string, unknown>();
  const memoized = (key: unknown, options?: unknown) => {
    if (typeof key !== "string") return plain(key, options);
    let lng = instance.language;
    let values = "";
    if (options !== undefined) {
      if (typeof options !== "object" || options === null) return plain(key, options);
      const o = options as Record<string, unknown>;
      for (const name in o) {
        const value = o[name];
        if (value == null || LOOKUP_OPTIONS.has(name)) continue;
        if (typeof value !== "number") return plain(key, options);
        values += `${name}=${value};`;
      }
      if (o.lngs != null || (o.ns != null && o.ns !== defaultNS) || o.keyPrefix) return plain(key, options);
      if (typeof o.lng === "string") lng = o.lng;
    }
    const memoKey = `${lng}\u0000${values}\u0000${key}`;
    const kept = memo.get(memoKey);
    if (kept !== undefined) return kept;
    const result = plain(key, options);
    if (typeof result === "string") {
      if (memo.size >= MEMO_LIMIT) memo.clear();
      memo.set(memoKey, result);
    }
    return result;
  };
  instance.t = memoized as unknown as I18n["t"];
  return instance;
}

const shared = memoizeTranslations(createInstance());
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
