import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { appCookie } from "~/auth/cookies.server";
import i18next, { createInstance, type i18n as I18n } from "i18next";
import { initReactI18next } from "react-i18next";
import { RemixI18Next } from "remix-i18next/server";
import { fallbackLocale, i18nConfig, isSupportedLocale, supportedLocales, translator } from "./i18n";
import type { Locale } from "./lib/domain";

/** The catalogues: app/locales/<lng>/<namespace>.json (like db/migrations, relative to the app's folder). */
export const LOCALES_DIR = path.resolve("app/locales");

type Texts = { [key: string]: string | Texts };
export type Catalogues = Record<Locale, Record<string, Texts>>;

/** Every namespace of every language, read once when the server starts. */
function readCatalogues(): Catalogues {
  const namespaces = fs
    .readdirSync(path.join(LOCALES_DIR, fallbackLocale))
    .filter((file) => file.endsWith(".json"))
    .map((file) => file.slice(0, -".json".length))
    .sort();
  const read = (lng: Locale) =>
    Object.fromEntries(
      namespaces.flatMap((ns) => {
        const file = path.join(LOCALES_DIR, lng, `${ns}.json`);
        // a namespace missing from a translation falls back to English (the catalogue test names it)
        return fs.existsSync(file) ? [[ns, JSON.parse(fs.readFileSync(file, "utf8")) as Texts]] : [];
      }),
    );
  return Object.fromEntries(supportedLocales.map((lng) => [lng, read(lng)])) as Catalogues;
}

export const resources = readCatalogues();
export const namespaces = Object.keys(resources[fallbackLocale]);

/** The server's options: every namespace of every language is there from the start. */
export const serverI18nConfig = { ...i18nConfig, resources, ns: namespaces, initImmediate: false };

// the process's instance, read by `translator` (emails, PDFs, CSV headers, page titles)
if (!i18next.isInitialized) void i18next.init({ ...serverI18nConfig, lng: fallbackLocale });

/**
 * One instance per language for rendering pages: nothing on the server changes an instance's
 * language, so building one per request (its resource store, plural rules) would repeat the
 * same work. They share the catalogues read above.
 */
const pageInstances = new Map<string, I18n>();
export function pageTranslator(requested: string): I18n {
  const lng = isSupportedLocale(requested) ? requested : fallbackLocale;
  let instance = pageInstances.get(lng);
  if (!instance) {
    instance = createInstance();
    void instance.use(initReactI18next).init({ ...serverI18nConfig, lng });
    pageInstances.set(lng, instance);
  }
  return instance;
}

/** Each namespace as the JSON text a browser receives, and a hash of each language's catalogue (made when first asked). */
let served: { json: Map<Locale, Map<string, string>>; versions: Map<Locale, string> } | undefined;
function servedTexts() {
  if (!served) {
    const json = new Map(supportedLocales.map((lng) => [lng, new Map(Object.entries(resources[lng]).map(([ns, texts]) => [ns, JSON.stringify(texts)]))]));
    const versions = new Map(
      supportedLocales.map((lng) => {
        const hash = crypto.createHash("sha256");
        for (const [ns, text] of json.get(lng)!) hash.update(`${ns}\n${text}\n`);
        return [lng, hash.digest("hex").slice(0, 12)];
      }),
    );
    served = { json, versions };
  }
  return served;
}

/** Changes whenever a text of that language changes: the key of the browsers' cached copies. */
export function translationVersion(lng: string): string {
  return servedTexts().versions.get(lng as Locale) ?? "";
}

/**
 * `{"nav":{…},"roster":{…}}` for the namespaces asked for, or null when one of them does not
 * exist or is asked for twice.
 */
export function namespacesJson(lng: Locale, requested: readonly string[]): string | null {
  const texts = servedTexts().json.get(lng)!;
  if (requested.length === 0 || new Set(requested).size !== requested.length) return null;
  const parts: string[] = [];
  for (const ns of requested) {
    const json = texts.get(ns);
    if (json === undefined) return null;
    parts.push(`${JSON.stringify(ns)}:${json}`);
  }
  return `{${parts.join(",")}}`;
}

/** Remembers the language a visitor chose before (or without) signing in. */
export const localeCookie = appCookie("convene_lang", { maxAge: 365 * 24 * 3600 });

/** Language: the user's profile, else the chosen-language cookie, else Accept-Language, else English. */
export const remixI18n = new RemixI18Next({
  detection: {
    supportedLanguages: [...supportedLocales],
    fallbackLanguage: fallbackLocale,
    cookie: localeCookie,
    order: ["cookie", "header"],
  },
  i18next: serverI18nConfig,
});

export function pickLocale(profileLocale: string | null | undefined, fromRequest: string): string {
  if (isSupportedLocale(profileLocale)) return profileLocale;
  return isSupportedLocale(fromRequest) ? fromRequest : fallbackLocale;
}

/** A translator for a recipient's language (emails, PDFs, CSV headers). */
export const translatorFor = translator;
