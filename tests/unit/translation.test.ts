import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import { afterEach, describe, expect, it, vi } from "vitest";
import { supportedLocales } from "~/i18n";
import { pageTranslator, resources } from "~/i18n.server";
import { KEPT_TEXTS_MAX, keptTextCount, useTranslation } from "~/lib/translation";

/**
 * On the server a text asked for without options is looked up once per language and kept
 * (app/lib/translation.ts): what a page shows must be exactly what i18next gives, in every
 * language, for every key, and the texts kept are bounded whatever keys a page is made to ask for.
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

  it("look a key up in i18next once; a text with values or a count is looked up each time", () => {
    const i18n = pageTranslator("fr");
    const lookups = vi.spyOn(i18n, "t");
    withT("fr", (t) => {
      for (let i = 0; i < 5; i++) t("reports.sections.knowledge");
      for (let i = 0; i < 3; i++) t("reports.percent", { value: String(i) });
    });
    withT("fr", (t) => t("reports.sections.knowledge"));
    const asked = lookups.mock.calls.map((call) => call[0]);
    expect(asked.filter((key) => key === "reports.sections.knowledge").length).toBeLessThanOrEqual(1);
    expect(asked.filter((key) => key === "reports.percent")).toHaveLength(3);
    withT("fr", (t) => expect(t("reports.percent", { value: "48,5" })).toBe("48,5 %"));
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
});
