import { createInstance } from "i18next";
import { beforeAll, describe, expect, it } from "vitest";
import { supportedLocales } from "~/i18n";
import { serverI18nConfig } from "~/i18n.server";
import { filler, keptFiller, labels } from "~/lib/labels";

/**
 * A page of hundreds of cells looks a text up once and fills it in many times (`filler`): what it
 * writes must be exactly what i18next writes for the same values, in every language and whatever
 * the values hold.
 */

type Translate = (key: string, options?: Record<string, unknown>) => string;
const t: Record<string, Translate> = {};
beforeAll(async () => {
  for (const lng of supportedLocales) {
    const instance = createInstance();
    await instance.init({ ...serverI18nConfig, lng });
    t[lng] = instance.getFixedT(lng) as unknown as Translate;
  }
});

const VALUES = ["48.5", "100", "", "<b>&amp;</b>", "$& $1 $$", "\u2066+31.5\u2069", "٤٨٫٥", "{{value}}"];

describe("a text filled in many times", () => {
  it("writes what i18next writes, in every language, whatever the values", () => {
    for (const lng of supportedLocales) {
      const percent = filler(t[lng] as never, "reports.percent", ["value"]);
      const line = filler(t[lng] as never, "reports.charts.valueLine", ["label", "value"]);
      const objective = filler(t[lng] as never, "reports.gcm.objective", ["number"]);
      for (const value of VALUES) {
        expect(percent({ value })).toBe(t[lng]("reports.percent", { value }));
        expect(line({ label: `Women ${value}`, value })).toBe(t[lng]("reports.charts.valueLine", { label: `Women ${value}`, value }));
      }
      expect(objective({ number: "17" })).toBe(t[lng]("reports.gcm.objective", { number: 17 }));
    }
    // the language's own form is kept
    expect(filler(t.fr as never, "reports.percent", ["value"])({ value: "48,5" })).toBe("48,5 %");
    expect(filler(t.ar as never, "reports.percent", ["value"])({ value: "48.5" })).toBe("48.5٪");
  });

  it("looks the text up once per translation function and key", () => {
    let lookups = 0;
    const counting = ((key: string, options?: Record<string, unknown>) => {
      lookups += 1;
      return t.en(key, options);
    }) as never;
    for (let i = 0; i < 50; i++) keptFiller(counting, "reports.percent", ["value"])({ value: String(i) });
    expect(lookups).toBe(1);
    expect(keptFiller(counting, "reports.percent", ["value"])({ value: "7" })).toBe("7%");
    const word = labels(counting);
    for (let i = 0; i < 50; i++) word("reportPrivacy.noRate");
    expect(lookups).toBe(2);
  });
});
