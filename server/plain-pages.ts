import fs from "node:fs";
import path from "node:path";
import type { Request } from "express";
import { directionOf, fallbackLocale, isSupportedLocale, supportedLocales } from "../app/i18n";
import type { Locale } from "../app/lib/domain";
import { localeCookie } from "../app/lib/locale-cookie.server";

/*
 * The few pages the HTTP layer writes itself, before Remix (and so before the user's profile) is
 * reached: "too large" (413) and "busy" (503). They are in the visitor's language all the same:
 * the language chosen on this browser (the language switcher's cookie), else the browser's
 * Accept-Language, else English. Their texts are the catalogue's (app/locales/<lng>/plainPages.json, and
 * errorPage.json's status and link home), read once.
 */

type PlainTexts = typeof import("../app/locales/en/plainPages.json") & Pick<typeof import("../app/locales/en/errorPage.json"), "status" | "home">;

const read = new Map<Locale, PlainTexts>();
function textsOf(lng: Locale): PlainTexts {
  let texts = read.get(lng);
  if (!texts) {
    const file = (namespace: string) => JSON.parse(fs.readFileSync(path.resolve("app/locales", lng, `${namespace}.json`), "utf8"));
    const { status, home } = file("errorPage") as PlainTexts;
    texts = { ...(file("plainPages") as PlainTexts), status, home };
    read.set(lng, texts);
  }
  return texts;
}

/** The visitor's language: the chosen-language cookie, else Accept-Language, else English. */
export async function plainPageLocale(req: Request): Promise<Locale> {
  const chosen: unknown = await localeCookie.parse(req.headers.cookie ?? null).catch(() => null);
  if (isSupportedLocale(chosen)) return chosen;
  const accepted = req.acceptsLanguages([...supportedLocales]);
  return isSupportedLocale(accepted) ? accepted : fallbackLocale;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** The values in a text; right to left, each isolated (FSI … PDI): "5 MB" keeps its order inside an Arabic sentence. */
function fill(lng: Locale, text: string, values: Record<string, string>) {
  const isolate = directionOf(lng) === "rtl" ? (value: string) => `\u2068${value}\u2069` : (value: string) => value;
  return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, key: string) => isolate(values[key] ?? ""));
}

function page(lng: Locale, status: number, pageTitle: string, title: string, paragraphs: string[], home: boolean) {
  const texts = textsOf(lng);
  const p = (text: string) => `<p>${escapeHtml(text)}</p>`;
  return `<!doctype html>
<html lang="${lng}" dir="${directionOf(lng)}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(pageTitle)} — Convene</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem; line-height: 1.5">
<p>${escapeHtml(texts.status)} ${status}</p>
<h1>${escapeHtml(title)}</h1>
${paragraphs.map(p).join("\n")}
${home ? `<p><a href="/">${escapeHtml(texts.home)}</a></p>\n` : ""}</body>
</html>
`;
}

/** The 413 page: the limit of the form (and of its file, on the upload pages), and what to do. */
export function tooLargePage(lng: Locale, sizes: { form: string; file: string | null }) {
  const t = textsOf(lng).tooLarge;
  const what = sizes.file === null ? fill(lng, t.form, { size: sizes.form }) : fill(lng, t.file, { fileSize: sizes.file, size: sizes.form });
  return page(lng, 413, t.pageTitle, t.title, [`${what} ${t.nothingSaved}`, sizes.file === null ? t.shortenForm : t.smallerFile], true);
}

/** The 503 page of a server with too many pages waiting. */
export function busyPage(lng: Locale) {
  const t = textsOf(lng).busy;
  return page(lng, 503, t.pageTitle, t.title, [t.body], false);
}
