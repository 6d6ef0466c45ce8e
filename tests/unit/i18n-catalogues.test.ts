import { describe, expect, it } from "vitest";
import { resources, supportedLocales } from "~/i18n";

type Tree = { [key: string]: string | Tree };

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

const english = flatten(resources.en.translation as unknown as Tree);

describe.each(supportedLocales.filter((l) => l !== "en"))("the %s catalogue", (locale) => {
  const catalogue = flatten(resources[locale].translation as unknown as Tree);
  const categories = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;

  it("has every key English has (plural keys in every form the language uses)", () => {
    const missing: string[] = [];
    for (const key of english.keys()) {
      if (PLURAL.test(key)) {
        const base = key.replace(PLURAL, "");
        for (const category of categories) {
          // i18next uses `_other` when a form is missing; "other" itself is mandatory
          if (category === "other" || locale === "ar") {
            if (!catalogue.has(`${base}_${category}`)) missing.push(`${base}_${category}`);
          }
        }
        if (!catalogue.has(`${base}_one`) && categories.includes("one")) missing.push(`${base}_one`);
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
