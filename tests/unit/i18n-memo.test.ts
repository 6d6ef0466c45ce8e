import { createInstance, type i18n as I18n } from "i18next";
import { describe, expect, it } from "vitest";
import { i18nConfig, memoizeTranslations, resources, supportedLocales } from "~/i18n";

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

/** Every key of the English catalogue (plural forms as their base key), with the text of each. */
function keysOf(tree: object, prefix = ""): { key: string; text: string }[] {
  return Object.entries(tree).flatMap(([name, value]) =>
    typeof value === "string"
      ? [{ key: `${prefix}${name.replace(/_(zero|one|two|few|many|other)$/, "")}`, text: value }]
      : keysOf(value as object, `${prefix}${name}.`),
  );
}

const COUNTS = [0, 1, 2, 3, 5, 11, 100, 101];
type T = (key: string, options?: Record<string, unknown>) => unknown;

describe("memoized translations", () => {
  it("answer exactly what i18next answers for every key of every language, with names, numbers and counts put in", async () => {
    const keys = keysOf(resources.en.translation);
    expect(keys.length).toBeGreaterThan(500);
    for (const lng of supportedLocales) {
      const { plain, memo } = await instances(lng);
      const fixedPlain = plain.getFixedT(null, "translation") as unknown as T;
      const fixedMemo = memo.getFixedT(null, "translation") as unknown as T;
      for (const { key, text } of keys) {
        const names = [...text.matchAll(/{{\s*([\w.]+)[^}]*}}/g)].map((m) => m[1]).filter((n) => n !== "count");
        const strings = Object.fromEntries(names.map((n) => [n, `«${n} $t(nav.events) {{x}}»`]));
        const numbers = Object.fromEntries(names.map((n, i) => [n, 1000 + i]));
        for (let round = 0; round < 2; round++) {
          expect(fixedMemo(key), `${lng} ${key}`).toBe(fixedPlain(key));
          expect(fixedMemo(key, strings), `${lng} ${key}`).toBe(fixedPlain(key, strings));
          expect(fixedMemo(key, numbers), `${lng} ${key}`).toBe(fixedPlain(key, numbers));
          for (const count of COUNTS) expect(fixedMemo(key, { ...strings, count }), `${lng} ${key} ${count}`).toBe(fixedPlain(key, { ...strings, count }));
          // half the values missing, or one more than the text uses: i18next's own answer
          const some = Object.fromEntries(names.slice(0, names.length / 2).map((n) => [n, "some"]));
          expect(fixedMemo(key, some)).toBe(fixedPlain(key, some));
          expect(fixedMemo(key, { ...strings, extra: "x" })).toBe(fixedPlain(key, { ...strings, extra: "x" }));
        }
      }
      // another language asked of the same instance (a translator fixed to a language)
      for (const other of supportedLocales) {
        expect(memo.getFixedT(other)("nav.events")).toBe(plain.getFixedT(other)("nav.events"));
        expect(memo.getFixedT(other)("admin.users.count", { count: 3 })).toBe(plain.getFixedT(other)("admin.users.count", { count: 3 }));
        expect(memo.getFixedT(other)("me.title", { name: "Ana" })).toBe(plain.getFixedT(other)("me.title", { name: "Ana" }));
      }
    }
  });

  it("leaves defaults, contexts and missing keys to i18next", async () => {
    const { plain, memo } = await instances("fr");
    const fixedPlain = plain.getFixedT(null, "translation") as unknown as T;
    const fixedMemo = memo.getFixedT(null, "translation") as unknown as T;
    for (let round = 0; round < 2; round++) {
      expect(fixedMemo("no.such.key", { defaultValue: "first" })).toBe("first");
      expect(fixedMemo("no.such.key", { defaultValue: "second" })).toBe("second");
      expect(fixedMemo("no.such.key")).toBe(fixedPlain("no.such.key"));
      expect(fixedMemo("nav.events", { context: "x" })).toBe(fixedPlain("nav.events", { context: "x" }));
      expect(fixedMemo("me.title", { name: { toString: () => "object" } })).toBe(fixedPlain("me.title", { name: { toString: () => "object" } }));
    }
  });

  it("reads a translation once per language and plural form, however often and with whatever names", async () => {
    const { memo } = await instances("ar");
    const t = memo.getFixedT(null, "translation") as unknown as T;
    const lookups = countLookups(memo);
    for (let i = 0; i < 10; i++) t("nav.events");
    expect(lookups.calls).toBe(1);
    for (let i = 0; i < 10; i++) t("admin.users.count", { count: 3 });
    for (let i = 0; i < 10; i++) t("admin.users.count", { count: 11 });
    expect(lookups.calls).toBe(3);
    expect(t("admin.users.count", { count: 3 })).not.toBe(t("admin.users.count", { count: 11 }));
    for (const name of ["Ana", "Giselle", "Omar"]) expect(t("me.title", { name })).toContain(name);
    expect(lookups.calls).toBe(4);
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
