import { createInstance, type i18n as I18n } from "i18next";
import { describe, expect, it } from "vitest";
import { i18nConfig, memoizeTranslations, supportedLocales } from "~/i18n";

async function instances(lng: string) {
  const plain = createInstance();
  await plain.init({ ...i18nConfig, lng, initImmediate: false });
  const memo = memoizeTranslations(createInstance());
  await memo.init({ ...i18nConfig, lng, initImmediate: false });
  return { plain, memo };
}

/** How many lookups reach i18next's translator (the work the memo saves). */
function countLookups(instance: I18n) {
  const translator = (instance as unknown as { translator: { translate: (...args: unknown[]) => unknown } }).translator;
  const original = translator.translate.bind(translator);
  const counter = { calls: 0 };
  translator.translate = (...args: unknown[]) => {
    counter.calls++;
    return original(...args);
  };
  return counter;
}

const COUNTS = [0, 1, 2, 3, 5, 11, 100, 101];

describe("memoized translations", () => {
  it("answer exactly what i18next answers, in every language, for plain keys, counts, numbers and names", async () => {
    for (const lng of supportedLocales) {
      const { plain, memo } = await instances(lng);
      const fixedPlain = plain.getFixedT(null, "translation");
      const fixedMemo = memo.getFixedT(null, "translation");
      for (let round = 0; round < 2; round++) {
        for (const key of ["nav.events", "layout.listSeparator", "eventStatus.completed", "events.title", "no.such.key"] as const) {
          expect(fixedMemo(key as "nav.events")).toBe(fixedPlain(key as "nav.events"));
        }
        for (const count of COUNTS) {
          expect(fixedMemo("admin.users.count", { count })).toBe(fixedPlain("admin.users.count", { count }));
          expect(fixedMemo("event.objectiveNumber", { number: count })).toBe(fixedPlain("event.objectiveNumber", { number: count }));
        }
        for (const name of ["Ana", "Giselle"]) {
          expect(fixedMemo("me.title", { name })).toBe(fixedPlain("me.title", { name }));
        }
        // another language asked of the same instance (a translator fixed to a language)
        for (const other of supportedLocales) {
          expect(memo.getFixedT(other)("nav.events")).toBe(plain.getFixedT(other)("nav.events"));
          expect(memo.getFixedT(other)("admin.users.count", { count: 3 })).toBe(plain.getFixedT(other)("admin.users.count", { count: 3 }));
        }
      }
    }
  });

  it("looks a plain key or a count up once, and a lookup with a name every time", async () => {
    const { memo } = await instances("ar");
    const t = memo.getFixedT(null, "translation");
    const lookups = countLookups(memo);
    for (let i = 0; i < 10; i++) t("nav.events");
    expect(lookups.calls).toBe(1);
    for (let i = 0; i < 10; i++) t("admin.users.count", { count: 3 });
    for (let i = 0; i < 10; i++) t("admin.users.count", { count: 11 });
    expect(lookups.calls).toBe(3);
    expect(t("admin.users.count", { count: 3 })).not.toBe(t("admin.users.count", { count: 11 }));
    for (let i = 0; i < 3; i++) t("me.title", { name: "Ana" });
    expect(lookups.calls).toBe(3 + 3);
    // a default value or context is never kept (it changes the answer for a missing key)
    expect(t("no.such.key" as "nav.events", { defaultValue: "first" })).toBe("first");
    expect(t("no.such.key" as "nav.events", { defaultValue: "second" })).toBe("second");
  });

  it("keeps the languages apart after the instance changes language", async () => {
    const { memo } = await instances("en");
    const english = memo.t("nav.events");
    await memo.changeLanguage("fr");
    const french = memo.t("nav.events");
    expect(french).not.toBe(english);
    await memo.changeLanguage("en");
    expect(memo.t("nav.events")).toBe(english);
  });
});
