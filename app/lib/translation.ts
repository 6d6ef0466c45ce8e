import { useTranslation as useI18nextTranslation } from "react-i18next";
import type { i18n as I18n } from "i18next";

/**
 * `useTranslation()` of react-i18next, with one difference on the server: a text asked for without
 * options (`t("nav.events")`, no values, no count) is looked up once per language and then kept.
 * The server's catalogues are read once at start-up and each page language has its own i18next
 * instance (app/i18n.server.ts), so the same key always gives the same text there; i18next's
 * lookup (key split, namespace, fallbacks, post-processing) costs about 6 µs and a report asks
 * for 200–350 texts, many of them the same. In the browser texts arrive with navigation (the
 * namespaces of the routes on screen), so nothing is kept there.
 */
export function useTranslation() {
  const result = useI18nextTranslation();
  if (typeof document !== "undefined") return result;
  const { t, i18n } = result;
  const kept = keptTexts(i18n);
  const keptT = ((key: unknown, ...rest: unknown[]) => {
    if (rest.length === 0 && typeof key === "string") {
      let text = kept.get(key);
      if (text === undefined) {
        text = (t as (k: string) => string)(key);
        if (kept.size < KEPT_TEXTS_MAX) kept.set(key, text);
      }
      return text;
    }
    return (t as unknown as (...args: unknown[]) => unknown)(key, ...rest);
  }) as unknown as typeof t;
  return Object.assign([keptT, i18n, result.ready], { t: keptT, i18n, ready: result.ready }) as typeof result;
}

/** More than the catalogue has keys: a key made from data (an enum's value) cannot grow it past this. */
export const KEPT_TEXTS_MAX = 10_000;

const textsOf = new WeakMap<I18n, Map<string, string>>();
function keptTexts(i18n: I18n): Map<string, string> {
  let kept = textsOf.get(i18n);
  if (!kept) textsOf.set(i18n, (kept = new Map()));
  return kept;
}

/** How many texts are kept for this instance (tests). */
export function keptTextCount(i18n: I18n): number {
  return textsOf.get(i18n)?.size ?? 0;
}
