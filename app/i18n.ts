import i18next, { type InitOptions, type TFunction } from "i18next";
import type { Locale } from "./lib/domain";
import type { Catalogue } from "./locales/catalogue";

/**
 * The one translation layer (i18next). The catalogues are i18next JSON files, one per language
 * and namespace: app/locales/<lng>/<namespace>.json, English the reference and the fallback.
 *
 * A namespace is the first part of a key: `t("roster.title")` reads `title` from roster.json
 * (`nsSeparator` and `keySeparator` are both "."; i18next takes the first part as the namespace
 * when it is one it knows). The server has every namespace of every language
 * (app/i18n.server.ts); a browser gets only its page's language, and only the namespaces its
 * routes declare in `handle.i18n` (the root's are the ones every page uses).
 */
export const supportedLocales = ["en", "fr", "es", "ar"] as const satisfies readonly Locale[];
export const fallbackLocale = "en";

/** Each language named in itself, for the language switcher. */
export const LANGUAGE_NAMES: Record<Locale, string> = {
  en: "English",
  fr: "Français",
  es: "Español",
  ar: "العربية",
};

export function isSupportedLocale(value: unknown): value is Locale {
  return typeof value === "string" && (supportedLocales as readonly string[]).includes(value);
}

export const RTL_LOCALES = new Set(["ar"]);
export function directionOf(locale: string): "ltr" | "rtl" {
  return RTL_LOCALES.has(locale) ? "rtl" : "ltr";
}

/**
 * The namespaces of every page: the shell (navigation, language, errors) and what the root route
 * shows. tests/unit/i18n-namespaces.test.ts checks that each route declares the rest of what it uses.
 */
export const COMMON_NAMESPACES = ["errorPage", "flash", "layout", "nav", "roles"];

/** Options shared by the server and the browser. */
export const i18nConfig = {
  supportedLngs: [...supportedLocales],
  fallbackLng: fallbackLocale,
  // always loaded (COMMON_NAMESPACES): what `useTranslation()` waits for; every key names its own
  defaultNS: "layout",
  nsSeparator: ".",
  keySeparator: ".",
  interpolation: { escapeValue: false },
  react: { useSuspense: false },
} satisfies InitOptions;

/** What a route module exports to say which namespaces its page uses (besides the common ones). */
export type TranslationHandle = { i18n?: readonly string[] };

/** The namespaces of the routes on screen, sorted (so the same page asks for the same URL). */
export function routeNamespaces(matches: readonly { handle?: unknown }[]): string[] {
  const namespaces = new Set<string>(COMMON_NAMESPACES);
  for (const match of matches) {
    const declared = (match.handle as TranslationHandle | undefined)?.i18n;
    if (declared) for (const ns of declared) namespaces.add(ns);
  }
  return [...namespaces].sort();
}

/**
 * Where a browser gets namespaces of one language (app/routes/locales.$lng.ts). `version` is a hash
 * of that language's catalogue: the response is cached for good under this URL.
 */
export function translationsUrl(lng: string, namespaces: readonly string[], version: string): string {
  return `/locales/${lng}?ns=${namespaces.join(",")}&v=${version}`;
}

/**
 * A translator for a given language, usable outside components (page titles, emails, exports).
 * It reads the process's i18next instance: on the server it holds every catalogue
 * (app/i18n.server.ts), in the browser the page's language (app/entry.client.tsx).
 */
export function translator(locale: string | null | undefined): { t: TFunction; lang: Locale; dir: "ltr" | "rtl" } {
  const lang = isSupportedLocale(locale) ? locale : fallbackLocale;
  return { t: i18next.getFixedT(lang), lang, dir: directionOf(lang) };
}

// `t` accepts exactly the keys of the English catalogue ("roster.title"): for the type checker the
// catalogue is one namespace, whose first level is what i18next uses as namespaces at run time.
declare module "i18next" {
  interface CustomTypeOptions {
    defaultNS: "translation";
    resources: { translation: Catalogue };
  }
}
