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
/** `{{name}}`: a value put in as it is (escapeValue is off), the only placeholder the fast path fills. */
const PLACEHOLDER = /{{\s*([A-Za-z_]\w*)\s*}}/g;

/** A translation split around its placeholders: parts[0] names[0] parts[1] … */
type Template = { parts: string[]; names: string[]; known: Set<string> };

function templateOf(text: unknown): Template | null {
  if (typeof text !== "string" || text.includes("$t(")) return null;
  const parts: string[] = [];
  const names: string[] = [];
  let last = 0;
  for (const match of text.matchAll(PLACEHOLDER)) {
    parts.push(text.slice(last, match.index));
    names.push(match[1]);
    last = match.index + match[0].length;
  }
  parts.push(text.slice(last));
  // anything else between braces (formats, unescaped or nested values) is left to i18next
  if (parts.some((part) => part.includes("{{"))) return null;
  return { parts, names, known: new Set(names) };
}

/**
 * Keeps each translation, per key, language and plural form, split around its `{{name}}`
 * placeholders, so that the same label asked for again (every row of a table, every page) is the
 * kept text with the given values put in, instead of a trip through i18next's key parsing, plural
 * rules and interpolation. The catalogues are bundled and never change while the process runs, so
 * the answer is always what i18next gives: anything the fast path does not handle exactly — a
 * default value, a context, a value that is not a string or a number, a format, a nested key, a
 * missing or an extra value — goes to i18next as before (tests/unit/i18n-memo.test.ts).
 */
export function memoizeTranslations(instance: I18n): I18n {
  const plain = instance.t.bind(instance) as (key: unknown, options?: unknown) => unknown;
  const templates = new Map<string, Template | null>();
  const memoized = (key: unknown, options?: unknown) => {
    if (typeof key !== "string") return plain(key, options);
    let lng = instance.language;
    let count: number | undefined;
    let values: Record<string, string | number> | undefined;
    if (options !== undefined) {
      if (typeof options !== "object" || options === null) return plain(key, options);
      const o = options as Record<string, unknown>;
      for (const name in o) {
        const value = o[name];
        if (value == null || LOOKUP_OPTIONS.has(name)) continue;
        if (name === "count") {
          if (typeof value !== "number") return plain(key, options);
          count = value;
          continue;
        }
        if (typeof value !== "string" && typeof value !== "number") return plain(key, options);
        (values ??= {})[name] = value;
      }
      if (o.lngs != null || (o.ns != null && o.ns !== defaultNS) || o.keyPrefix) return plain(key, options);
      if (typeof o.lng === "string") lng = o.lng;
    }
    const memoKey = `${lng}\u0000${count ?? ""}\u0000${key}`;
    let template = templates.get(memoKey);
    if (template === undefined) {
      template = templateOf(plain(key, count === undefined ? { lng, skipInterpolation: true } : { lng, count, skipInterpolation: true }));
      if (templates.size >= MEMO_LIMIT) templates.clear();
      templates.set(memoKey, template);
    }
    if (template === null) return plain(key, options);
    const { parts, names, known } = template;
    // a value the translation has no place for might be an i18next option: i18next answers
    if (values !== undefined) for (const name in values) if (!known.has(name)) return plain(key, options);
    let text = parts[0];
    for (let i = 0; i < names.length; i++) {
      const value = names[i] === "count" ? count : values?.[names[i]];
      if (value === undefined) return plain(key, options);
      text += String(value) + parts[i + 1];
    }
    return text;
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
