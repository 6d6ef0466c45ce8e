import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import { afterEach, describe, expect, it, vi } from "vitest";
import { supportedLocales } from "~/i18n";
import { pageTranslator, resources } from "~/i18n.server";
import { KEPT_FILLED_MAX, KEPT_TEXTS_MAX, keptFilledCount, keptTextCount, useTranslation } from "~/lib/translation";

/**
 * On the server a text asked for without options, or with plain values (strings, numbers,
 * booleans), is looked up once per language and kept (app/lib/translation.ts): what a page shows
 * must be exactly what i18next gives, in every language, for every key and values, and the texts
 * kept are bounded whatever keys and values a page is made to ask for.
 */

type Translate = (key: string, options?: Record<string, unknown>) => string;

/** Renders a component that hands its `t` to `use`, with the page instance of `lng`. */
function withT(lng: string, use: (t: Translate) => void) {
  const i18n = pageTranslator(lng);
  function Probe() {
    use(useTranslation().t as unknown as Translate);
    return null;
  }
  renderToString(createElement(I18nextProvider, { i18n }, createElement(Probe)));
  return i18n;
}

function keysOf(texts: unknown, prefix = ""): string[] {
  return Object.entries(texts as Record<string, unknown>).flatMap(([k, v]) => (typeof v === "string" ? [`${prefix}${k}`] : keysOf(v, `${prefix}${k}.`)));
}

const KEYS = Object.entries(resources.en).flatMap(([ns, texts]) => keysOf(texts, `${ns}.`));

afterEach(() => vi.restoreAllMocks());

describe("the server's kept texts", () => {
  it("are what i18next gives, for every key in every language, asked once or many times", () => {
    expect(KEYS.length).toBeGreaterThan(1000);
    for (const lng of supportedLocales) {
      const i18n = pageTranslator(lng);
      const direct = i18n.getFixedT(lng) as unknown as Translate;
      withT(lng, (t) => {
        for (const key of KEYS) {
          const first = t(key);
          expect(first, `${lng} ${key}`).toBe(direct(key));
          expect(t(key)).toBe(first);
        }
      });
    }
  });

  it("look a key up in i18next once; a text with values once per values", () => {
    const i18n = pageTranslator("fr");
    const lookups = vi.spyOn(i18n, "t");
    withT("fr", (t) => {
      for (let i = 0; i < 5; i++) t("reports.sections.knowledge");
      for (let i = 0; i < 6; i++) t("reports.percent", { value: String(i % 3) });
    });
    withT("fr", (t) => t("reports.sections.knowledge"));
    const asked = lookups.mock.calls.map((call) => call[0]);
    expect(asked.filter((key) => key === "reports.sections.knowledge").length).toBeLessThanOrEqual(1);
    expect(asked.filter((key) => key === "reports.percent").length).toBeLessThanOrEqual(3);
    withT("fr", (t) => expect(t("reports.percent", { value: "48,5" })).toBe("48,5 %"));
  });

  it("with values are what i18next gives, for every key that takes values, in every language, asked once or many times", () => {
    const filledKeys = KEYS.filter((key) => /\{\{/.test(keyText(key)));
    expect(filledKeys.length).toBeGreaterThan(100);
    const valueSets: Record<string, unknown>[] = [
      { value: "48,5", name: "Amina", count: 1, number: "3", total: "12" },
      { value: "7", name: "محمد", count: 2, number: "4", total: "12" },
      { value: "7", name: "محمد", count: 0, number: "4", total: "12" },
    ];
    for (const lng of supportedLocales) {
      const direct = pageTranslator(lng).getFixedT(lng) as unknown as Translate;
      withT(lng, (t) => {
        for (const key of filledKeys) {
          for (const values of valueSets) {
            const first = t(key, values);
            expect(first, `${lng} ${key} ${JSON.stringify(values)}`).toBe(direct(key, values));
            expect(t(key, { ...values })).toBe(first);
          }
        }
      });
    }
  });

  it("tell values apart by type and never mistake one set of values for another", () => {
    withT("en", (t) => {
      // a count of 1 (singular) and the text "1" are different questions
      expect(t("knowledgeTests.results.normalisedHint", { count: 1, formatted: "1" })).not.toBe(t("knowledgeTests.results.normalisedHint", { count: 2, formatted: "1" }));
      // a value that holds the separators of the kept key is still only itself
      const two = t("knowledgeTests.results.rightOf", { right: "3", answered: "9" });
      expect(two).toBe("3 of 9");
      // the same values under other names
      expect(t("knowledgeTests.results.rightOf", { answered: "3", right: "9" })).toBe("9 of 3");
      for (const right of ["3\u0000answered\u0001s9", '3"\u0000answered\u0001"9']) {
        const forged = t("knowledgeTests.results.rightOf", { right });
        expect(forged).not.toBe(two);
        expect(forged).toContain("\u0001");
      }
    });
  });

  it("with an object, an array or a function among the values are looked up each time", () => {
    const i18n = pageTranslator("es");
    const lookups = vi.spyOn(i18n, "t");
    withT("es", (t) => {
      for (let i = 0; i < 3; i++) t("reports.percent", { value: "1", interpolation: { escapeValue: false } });
      for (let i = 0; i < 3; i++) t("reports.percent", { value: ["1"] });
    });
    expect(lookups.mock.calls.filter((call) => call[0] === "reports.percent")).toHaveLength(6);
  });

  it("keep each language apart", () => {
    withT("en", (t) => expect(t("nav.events")).toBe(pageTranslator("en").getFixedT("en")("nav.events")));
    withT("ar", (t) => expect(t("nav.events")).toBe(pageTranslator("ar").getFixedT("ar")("nav.events")));
    expect(pageTranslator("ar").getFixedT("ar")("nav.events")).not.toBe(pageTranslator("en").getFixedT("en")("nav.events"));
  });

  it("are bounded: keys made up by the thousand are answered but not kept beyond the bound", () => {
    const i18n = withT("es", (t) => {
      for (let i = 0; i < KEPT_TEXTS_MAX + 500; i++) expect(t(`madeUp.key${i}`)).toBe(`madeUp.key${i}`);
    });
    expect(keptTextCount(i18n)).toBe(KEPT_TEXTS_MAX);
  });

  it("with values are bounded: names by the thousand are answered, and the kept ones start over at the bound", () => {
    const i18n = withT("ar", (t) => {
      for (let i = 0; i < KEPT_FILLED_MAX + 500; i++) expect(t("knowledgeTests.results.paperLinkFor", { name: `N${i}` })).toContain(`N${i}`);
    });
    expect(keptFilledCount(i18n)).toBeGreaterThan(0);
    expect(keptFilledCount(i18n)).toBeLessThanOrEqual(KEPT_FILLED_MAX);
  });
});

/** The English text of a key ("ns.a.b"). */
function keyText(key: string): string {
  const [ns, ...path] = key.split(".");
  let node: unknown = (resources.en as Record<string, unknown>)[ns];
  for (const part of path) node = (node as Record<string, unknown>)?.[part];
  return typeof node === "string" ? node : "";
}
