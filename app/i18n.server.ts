import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { localeCookie } from "~/lib/locale-cookie.server";
import i18next, { createInstance, type i18n as I18n } from "i18next";
import { initReactI18next } from "react-i18next";
import { RemixI18Next } from "remix-i18next/server";
import { fallbackLocale, i18nConfig, isSupportedLocale, supportedLocales, translator } from "./i18n";
import type { Encoding } from "./lib/accept-encoding";
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

/**
 * The answers of `/locales` that pages ask for, compressed once at the highest levels and kept:
 * a page's texts are the same for every visitor, and Brotli's best quality, too slow for every
 * request (10–20 ms for a page's texts), saves about a fifth of what the fly's quality 4 sends.
 *
 * Only namespace sets that a page has been rendered with are kept (`keepNamespacesOf`, called by
 * entry.server.tsx): a language and the routes on screen, so their number is bounded by the app's
 * routes, not by what anyone asks for. Any other set (the texts still missing after a navigation,
 * a made-up list) is compressed on the fly like any answer. At most TRANSLATION_ANSWERS_KEPT sets
 * are kept, the least recently used making way.
 */
export const TRANSLATION_ANSWERS_KEPT = 256;
const keptAnswers = new Map<string, Partial<Record<Encoding, Uint8Array<ArrayBuffer>>>>();
const answerKey = (lng: string, namespaces: readonly string[]) => `${lng}?${namespaces.join(",")}`;

/** A page of this language is rendered with these namespaces (sorted, as its `/locales` link asks for them). */
export function keepNamespacesOf(lng: string, namespaces: readonly string[]) {
  const key = answerKey(lng, namespaces);
  const kept = keptAnswers.get(key);
  keptAnswers.delete(key);
  keptAnswers.set(key, kept ?? {}); // most recently used last
  for (const old of keptAnswers.keys()) {
    if (keptAnswers.size <= TRANSLATION_ANSWERS_KEPT) break;
    keptAnswers.delete(old);
  }
}

/** How many namespace sets are kept (for the tests of the bound). */
export function keptTranslationAnswers() {
  return keptAnswers.size;
}

/**
 * The `/locales` answer for a page's namespace set, compressed at the highest level (made the first
 * time it is asked for); null for a set no page was rendered with, or one that does not exist.
 */
export function compressedNamespacesJson(lng: Locale, requested: readonly string[], encoding: Encoding): Uint8Array<ArrayBuffer> | null {
  const kept = keptAnswers.get(answerKey(lng, requested));
  if (!kept) return null;
  let compressed = kept[encoding];
  if (!compressed) {
    const json = namespacesJson(lng, requested);
    if (json === null) return null;
    const body = Buffer.from(json, "utf8");
    compressed = new Uint8Array(
      encoding === "br"
        ? zlib.brotliCompressSync(body, {
            params: {
              [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
              [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
              [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length,
            },
          })
        : zlib.gzipSync(body, { level: zlib.constants.Z_BEST_COMPRESSION }),
    );
    kept[encoding] = compressed;
  }
  return compressed;
}

/** Remembers the language a visitor chose before (or without) signing in (its own module: the HTTP layer reads it too). */
export { localeCookie };

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
