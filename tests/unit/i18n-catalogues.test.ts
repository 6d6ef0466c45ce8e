import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { supportedLocales } from "~/i18n";
import { LOCALES_DIR, resources } from "~/i18n.server";

type Tree = { [key: string]: string | Tree };

/** The JSON files of a language's folder: app/locales/<lng>/<namespace>.json */
const namespaceFiles = (lng: string) =>
  fs
    .readdirSync(path.join(LOCALES_DIR, lng))
    .filter((f) => f.endsWith(".json"))
    .sort();

describe("the catalogue files", () => {
  it("are one i18next JSON file per namespace in each language's folder, the same files as English", () => {
    const english = namespaceFiles("en");
    expect(english.length).toBeGreaterThan(20);
    for (const lng of supportedLocales) expect(namespaceFiles(lng), lng).toEqual(english);
  });

  it("hold only texts: nested objects whose leaves are strings", () => {
    const problems: string[] = [];
    const check = (node: unknown, where: string) => {
      if (typeof node === "string") return;
      if (typeof node !== "object" || node === null || Array.isArray(node)) problems.push(`${where}: ${JSON.stringify(node)}`);
      else for (const [key, value] of Object.entries(node)) check(value, `${where}.${key}`);
    };
    for (const lng of supportedLocales) {
      for (const file of namespaceFiles(lng)) {
        check(JSON.parse(fs.readFileSync(path.join(LOCALES_DIR, lng, file), "utf8")), `${lng}/${file}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("are all named in the catalogue's type (app/locales/catalogue.ts), which checks the keys in the code", () => {
    const declared = [...fs.readFileSync(path.join(LOCALES_DIR, "catalogue.ts"), "utf8").matchAll(/from "\.\/en\/(\w+)\.json"/g)].map((m) => `${m[1]}.json`);
    expect(declared.sort()).toEqual(namespaceFiles("en"));
  });
});

function flatten(tree: Tree, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "string") out.set(path, value);
    else for (const [k, v] of flatten(value, path)) out.set(k, v);
  }
  return out;
}

const PLURAL = /_(zero|one|two|few|many|other)$/;
const placeholders = (text: string) => [...text.matchAll(/\{\{\s*([\w.]+)[^}]*\}\}/g)].map((m) => m[1]).sort();

const english = flatten(resources.en as unknown as Tree);

/**
 * The plural forms (CLDR categories) a language's catalogue must have: every category its counts
 * take below a million (Arabic's six; Russian's one, few, many, other). French and Spanish say
 * "many" only of exact millions ("1 000 000 de participants"): i18next then uses `_other`.
 */
function requiredPluralCategories(locale: string): string[] {
  const rules = new Intl.PluralRules(locale);
  const used = new Set(Array.from({ length: 1000 }, (_, n) => rules.select(n)));
  return rules.resolvedOptions().pluralCategories.filter((c) => c === "other" || used.has(c));
}

describe("the plural forms a catalogue must have", () => {
  it("are the language's CLDR categories for ordinary counts", () => {
    expect(requiredPluralCategories("en").sort()).toEqual(["one", "other"]);
    expect(requiredPluralCategories("fr").sort()).toEqual(["one", "other"]);
    expect(requiredPluralCategories("ar").sort()).toEqual(["few", "many", "one", "other", "two", "zero"]);
    expect(requiredPluralCategories("ru").sort()).toEqual(["few", "many", "one", "other"]);
  });
});

describe.each(supportedLocales.filter((l) => l !== "en"))("the %s catalogue", (locale) => {
  const catalogue = flatten(resources[locale] as unknown as Tree);
  const categories = requiredPluralCategories(locale);

  it("has every key English has (plural keys in every form the language uses)", () => {
    const missing: string[] = [];
    for (const key of english.keys()) {
      if (PLURAL.test(key)) {
        const base = key.replace(PLURAL, "");
        for (const category of categories) {
          if (!catalogue.has(`${base}_${category}`)) missing.push(`${base}_${category}`);
        }
      } else if (!catalogue.has(key)) {
        missing.push(key);
      }
    }
    expect([...new Set(missing)]).toEqual([]);
  });

  it("has no key English does not have", () => {
    const englishBases = new Set([...english.keys()].map((k) => k.replace(PLURAL, "")));
    const extra = [...catalogue.keys()].filter((k) => !englishBases.has(k.replace(PLURAL, "")));
    expect(extra).toEqual([]);
  });

  it("keeps every placeholder of the English text, and no empty text", () => {
    const problems: string[] = [];
    for (const [key, text] of catalogue) {
      if (!text.trim()) problems.push(`${key}: empty`);
      const englishKey = english.has(key) ? key : `${key.replace(PLURAL, "")}_other`;
      const source = english.get(englishKey);
      if (source === undefined) continue;
      // a plural form may leave the number out ("one event", "two events" in Arabic), nothing else may
      const expected = placeholders(source).filter((p) => !(PLURAL.test(key) && (p === "count" || p === "formatted")));
      const actual = placeholders(text);
      for (const p of expected) if (!actual.includes(p)) problems.push(`${key}: lacks {{${p}}}`);
      for (const p of actual) if (!placeholders(source).includes(p)) problems.push(`${key}: unknown {{${p}}}`);
    }
    expect(problems).toEqual([]);
  });
});
