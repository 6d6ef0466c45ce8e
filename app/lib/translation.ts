import { useTranslation as useI18nextTranslation } from "react-i18next";
import type { i18n as I18n } from "i18next";

/**
 * `useTranslation()` of react-i18next, with one difference on the server: a text is looked up once
 * per language and then kept, when it is asked for without options (`t("nav.events")`) or with
 * plain values only (`t("results.percent", { value: "48,5" })`, a count, a context). The server's
 * catalogues are read once at start-up and each page language has its own i18next instance
 * (app/i18n.server.ts), so the same key with the same values always gives the same text there;
 * i18next's lookup (key split, namespace, fallbacks, post-processing) costs about 6 µs, and its
 * interpolation as much again; a report asks for 200–350 texts, a table of 100 people for a few
 * dozen percentages over and over. In the browser texts arrive with navigation (the namespaces of
 * the routes on screen), so nothing is kept there.
 */
export function useTranslation() {
  const result = useI18nextTranslation();
  if (typeof document !== "undefined") return result;
  const { t, i18n } = result;
  const kept = keptTexts(i18n);
  const keptT = ((key: unknown, ...rest: unknown[]) => {
    if (typeof key !== "string") return (t as unknown as (...args: unknown[]) => unknown)(key, ...rest);
    if (rest.length === 0) {
      let text = kept.plain.get(key);
      if (text === undefined) {
        text = (t as (k: string) => string)(key);
        if (kept.plain.size < KEPT_TEXTS_MAX) kept.plain.set(key, text);
      }
      return text;
    }
    const valuesKey = rest.length === 1 ? keyOfValues(key, rest[0]) : null;
    if (valuesKey === null) return (t as unknown as (...args: unknown[]) => unknown)(key, ...rest);
    let text = kept.filled.get(valuesKey);
    if (text === undefined) {
      const answer = (t as unknown as (k: string, o: unknown) => unknown)(key, rest[0]);
      if (typeof answer !== "string") return answer;
      // values come from data (names, figures): when the bound is reached the kept ones start over
      if (kept.filled.size >= KEPT_FILLED_MAX) kept.filled.clear();
      kept.filled.set(valuesKey, (text = answer));
    }
    return text;
  }) as unknown as typeof t;
  return Object.assign([keptT, i18n, result.ready], { t: keptT, i18n, ready: result.ready }) as typeof result;
}

/** More than the catalogue has keys: a key made from data (an enum's value) cannot grow it past this. */
export const KEPT_TEXTS_MAX = 10_000;
/** Texts with values kept per language, at most (values come from data: names, figures, dates). */
export const KEPT_FILLED_MAX = 5_000;

/**
 * What identifies a text asked for with options: the key and each option's name, type and value,
 * when every value is a string, a number or a boolean (nothing else decides i18next's answer then).
 * Null for anything else (an object of values, a function, an array): such a text is not kept.
 */
function keyOfValues(key: string, options: unknown): string | null {
  if (options === null || typeof options !== "object" || Array.isArray(options)) return null;
  let id = key;
  for (const name in options) {
    const value = (options as Record<string, unknown>)[name];
    const type = typeof value;
    if (type !== "string" && type !== "number" && type !== "boolean") return null;
    // a string quoted (JSON): no value can contain the separators and pass for other options
    id += `\u0000${name}\u0001${type === "string" ? JSON.stringify(value) : `${type[0]}${String(value)}`}`;
  }
  return id;
}

type Kept = { plain: Map<string, string>; filled: Map<string, string> };
const textsOf = new WeakMap<I18n, Kept>();
function keptTexts(i18n: I18n): Kept {
  let kept = textsOf.get(i18n);
  if (!kept) textsOf.set(i18n, (kept = { plain: new Map(), filled: new Map() }));
  return kept;
}

/** How many texts without options are kept for this instance (tests). */
export function keptTextCount(i18n: I18n): number {
  return textsOf.get(i18n)?.plain.size ?? 0;
}

/** How many texts with values are kept for this instance (tests). */
export function keptFilledCount(i18n: I18n): number {
  return textsOf.get(i18n)?.filled.size ?? 0;
}
