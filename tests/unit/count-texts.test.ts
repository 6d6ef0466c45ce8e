import { createInstance } from "i18next";
import { beforeAll, describe, expect, it } from "vitest";
import { supportedLocales } from "~/i18n";
import { serverI18nConfig } from "~/i18n.server";
import { ATTENDANCE_STATUSES } from "~/lib/domain";

/**
 * Counts shown beside lists ("1 participant · 1 woman") take the number's plural form in every
 * language (Arabic has six), and the attendance grid's one-letter marks are the language's own.
 */

/** keys built at run time: the typed `t` of the app would not accept them */
type Translate = (key: string, options?: Record<string, unknown>) => string;
const t: Record<string, Translate> = {};
beforeAll(async () => {
  for (const lng of supportedLocales) {
    const instance = createInstance();
    await instance.init({ ...serverI18nConfig, lng });
    t[lng] = instance.t as unknown as Translate;
  }
});

const COUNT_KEYS = [
  "roster.summaryParticipants",
  "roster.summaryWomen",
  "roster.summaryMen",
  "certificates.summaryConfirmed",
  "certificates.summaryCompleted",
  "certificates.summaryIssued",
] as const;

const say = (lng: string, key: string, count: number) => t[lng](key, { count, formatted: String(count) }) as string;

describe("count texts", () => {
  it("are singular for one in English, French and Spanish", () => {
    expect([1, 1, 1].map((n, i) => say("en", COUNT_KEYS[i], n)).join(" · ")).toBe("1 participant · 1 woman · 1 man");
    expect([22, 9, 13].map((n, i) => say("en", COUNT_KEYS[i], n)).join(" · ")).toBe("22 participants · 9 women · 13 men");
    expect(say("en", "certificates.summaryIssued", 1)).toBe("1 certificate issued");
    expect(say("fr", "roster.summaryWomen", 1)).toBe("1 femme");
    expect(say("fr", "roster.summaryWomen", 2)).toBe("2 femmes");
    expect(say("es", "roster.summaryMen", 1)).toBe("1 hombre");
    expect(say("es", "roster.summaryMen", 5)).toBe("5 hombres");
  });

  it("use Arabic's six plural forms (zero, one, two, few, many, other)", () => {
    for (const key of COUNT_KEYS) {
      const forms = [0, 1, 2, 3, 11, 100].map((n) => say("ar", key, n));
      // one and two are said in words, without the number; few, many and other carry it
      expect(forms[1], key).not.toMatch(/\d/);
      expect(forms[2], key).not.toMatch(/\d/);
      expect(forms[3], key).toContain("3");
      expect(forms[4], key).toContain("11");
      expect(forms[5], key).toContain("100");
      expect(new Set(forms.slice(0, 4)).size, `${key}: zero, one, two and few differ`).toBe(4);
    }
    expect(say("ar", "roster.summaryWomen", 1)).toBe("امرأة واحدة");
    expect(say("ar", "roster.summaryMen", 2)).toBe("رجلان");
  });
});

describe("the attendance grid's marks", () => {
  it("are one letter per status, distinct, in the language's own script, and explained by the legend", () => {
    for (const lng of supportedLocales) {
      const letters = ATTENDANCE_STATUSES.map((status) => t[lng](`attendanceStatusShort.${status}`) as string);
      expect(new Set(letters).size, lng).toBe(ATTENDANCE_STATUSES.length);
      for (const [i, letter] of letters.entries()) {
        expect([...letter], `${lng} ${ATTENDANCE_STATUSES[i]}`).toHaveLength(1);
        // the legend pairs each letter with its full word
        expect(t[lng]("attendance.legend") as string, lng).toContain(`${letter} ${(t[lng](`attendanceStatus.${ATTENDANCE_STATUSES[i]}`) as string).toLocaleLowerCase(lng)}`);
      }
    }
    const arabic = ATTENDANCE_STATUSES.map((status) => t.ar(`attendanceStatusShort.${status}`) as string);
    expect(arabic.join("")).not.toMatch(/[A-Za-z]/);
  });
});

describe("accessible names of links and buttons that name their subject", () => {
  // label-content-name-mismatch: a voice user says what they see; the name must start with it
  const PAIRS = [
    ["checkIn.showScreen", "checkIn.showScreenNamed"],
    ["sessions.edit", "sessions.editNamed"],
    ["sessions.remove", "sessions.removeNamed"],
    ["certificates.download", "certificates.downloadNamed"],
  ] as const;
  it("start with the visible text, in every language", () => {
    for (const lng of supportedLocales) {
      for (const [visible, named] of PAIRS) {
        expect(t[lng](named, { title: "Opening", name: "Shavonne Rolle" }) as string, `${lng} ${named}`).toMatch(new RegExp(`^${t[lng](visible) as string}`));
      }
    }
  });
});

describe("'done of total' texts", () => {
  const ofTotal = (lng: string, key: string, done: number, total: number) =>
    t[lng](key, { count: total, done: String(done), total: String(total), completed: String(done) }) as string;
  it("agree with the total in English and Spanish (one item, several items)", () => {
    expect(ofTotal("en", "actionPlans.progressValue", 1, 1)).toBe("1 of 1 item done");
    expect(ofTotal("en", "actionPlans.progressValue", 2, 3)).toBe("2 of 3 items done");
    expect(ofTotal("en", "attendance.completedCount", 0, 1)).toBe("0 of 1 participant has completed the event so far.");
    expect(ofTotal("en", "attendance.completedCount", 5, 9)).toBe("5 of 9 participants have completed the event so far.");
    expect(ofTotal("es", "actionPlans.progressValue", 1, 1)).toBe("1 de 1 acción realizada");
    expect(ofTotal("es", "actionPlans.progressValue", 1, 4)).toBe("1 de 4 acciones realizadas");
    expect(ofTotal("fr", "actionPlans.progressValue", 1, 1)).toBe("1 action réalisée sur 1");
  });

  it("take Arabic's forms by the total", () => {
    const forms = [1, 2, 3, 11, 100].map((n) => ofTotal("ar", "actionPlans.progressValue", 1, n));
    expect(forms[0]).toMatch(/إجراء$/);
    expect(forms[1]).toMatch(/إجراءين$/);
    expect(forms[2]).toMatch(/إجراءات$/);
    expect(forms[3]).toMatch(/إجراءً$/);
    expect(forms[4]).toMatch(/إجراء$/);
  });
});
