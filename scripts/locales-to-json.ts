/**
 * Writes the translation catalogues as i18next JSON files, one per language and namespace
 * (app/locales/<lng>/<namespace>.json), from the TypeScript catalogues (app/locales/<lng>.ts and
 * app/locales/sections/*.ts) they used to be. A namespace is a top-level key of the catalogue
 * (`nav`, `roster`, …): the key `roster.summaryWomen` is `summaryWomen` in roster.json.
 *
 * Deterministic: keys keep their order in the source, files end with a newline, files of a
 * namespace that no longer exists are removed. Also writes app/locales/catalogue.ts, the type of
 * the English catalogue that makes `t("roster.title")` type-checked.
 *
 *   npx tsx scripts/locales-to-json.ts          write the files
 *   npx tsx scripts/locales-to-json.ts --check  exit 1 if a file differs from what it would write
 *
 * Transitional: once every branch's strings are converted, the TypeScript catalogues, this script
 * and its test (tests/unit/locales-json-sync.test.ts) are deleted and the JSON files are the source.
 */
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import en from "../app/locales/en";
import fr from "../app/locales/fr";
import es from "../app/locales/es";
import ar from "../app/locales/ar";

const LOCALES_DIR = path.resolve("app/locales");
const CATALOGUES: Record<string, Record<string, unknown>> = { en, fr, es, ar };

/** Every file the conversion produces: path relative to app/locales → content. */
export function convertedFiles(): Map<string, string> {
  const files = new Map<string, string>();
  const namespaces = Object.keys(en);
  for (const [lng, catalogue] of Object.entries(CATALOGUES)) {
    for (const [namespace, value] of Object.entries(catalogue)) {
      if (typeof value !== "object" || value === null) throw new Error(`${lng}: top-level key ${namespace} is not a group of texts`);
      if (!namespaces.includes(namespace)) throw new Error(`${lng}: namespace ${namespace} is not in the English catalogue`);
      files.set(`${lng}/${namespace}.json`, `${JSON.stringify(value, null, 2)}\n`);
    }
  }
  files.set("catalogue.ts", catalogueType(namespaces));
  return files;
}

/** The type of the English catalogue, one import per namespace file (English is the reference). */
function catalogueType(namespaces: string[]): string {
  const name = (ns: string) => `${ns}Texts`;
  return [
    "// The shape of the catalogues: one namespace per file of app/locales/en (English is the reference).",
    "// A new namespace file gets its line here (tests/unit/i18n-catalogues.test.ts checks the list).",
    ...namespaces.map((ns) => `import type ${name(ns)} from "./en/${ns}.json";`),
    "",
    "export type Catalogue = {",
    ...namespaces.map((ns) => `  ${ns}: typeof ${name(ns)};`),
    "};",
    "",
  ].join("\n");
}

/** JSON files under app/locales/<lng>/ that the conversion would not write (a removed namespace). */
function staleFiles(files: Map<string, string>): string[] {
  return Object.keys(CATALOGUES).flatMap((lng) => {
    const dir = path.join(LOCALES_DIR, lng);
    if (!fs.existsSync(dir)) return [];
    return fs
      .readdirSync(dir)
      .filter((file) => file.endsWith(".json") && !files.has(`${lng}/${file}`))
      .map((file) => `${lng}/${file}`);
  });
}

/** Files that differ from what the conversion writes (or are missing, or stale). */
export function outOfDate(): string[] {
  const files = convertedFiles();
  const differing = [...files].filter(([file, content]) => {
    const full = path.join(LOCALES_DIR, file);
    return !fs.existsSync(full) || fs.readFileSync(full, "utf8") !== content;
  });
  return [...differing.map(([file]) => file), ...staleFiles(files)];
}

function write() {
  const files = convertedFiles();
  for (const file of staleFiles(files)) fs.rmSync(path.join(LOCALES_DIR, file));
  for (const [file, content] of files) {
    const full = path.join(LOCALES_DIR, file);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, content);
  }
  console.log(`wrote ${files.size} files under app/locales`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  if (process.argv.includes("--check")) {
    const files = outOfDate();
    if (files.length) {
      console.error(`out of date (run npx tsx scripts/locales-to-json.ts): ${files.join(", ")}`);
      process.exit(1);
    }
    console.log("the JSON catalogues match the TypeScript ones");
  } else {
    write();
  }
}
