import { describe, expect, it } from "vitest";
import { countryName, formatDateTime, formatDay, formatDayRange, formatNumber, formatTime, formatTimeRange, formatWait, zoneLabel } from "~/lib/format";

const plain = (text: string) => text.replace(/[\u2009\u202f\u00a0]/g, " ");
const at = Date.UTC(2026, 2, 10, 14, 30);

describe("formatting (Intl objects are cached per locale and options)", () => {
  it("gives, call after call, what a fresh Intl object gives for each locale, zone and style", () => {
    for (let round = 0; round < 2; round++) {
      for (const locale of ["en", "fr", "es", "ar"]) {
        for (const zone of ["America/Nassau", "Asia/Bahrain", "UTC"]) {
          expect(formatTime(at, zone, locale)).toBe(plain(new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit", timeZone: zone }).format(at)));
          expect(formatTimeRange(at, at + 90 * 60_000, zone, locale)).toBe(`${formatTime(at, zone, locale)} – ${formatTime(at + 90 * 60_000, zone, locale)}`);
          expect(formatDateTime(at, zone, locale)).toContain(formatTime(at, zone, locale).slice(0, 2));
          expect(zoneLabel(zone, new Date(at), locale)).toContain(zone === "UTC" ? "UTC" : zone.split("/")[1]);
        }
        expect(formatNumber(1234567, locale)).toBe(plain(new Intl.NumberFormat(locale).format(1234567)));
        expect(countryName("bs", locale)).toBe(new Intl.DisplayNames([locale], { type: "region" }).of("BS"));
      }
    }
  });

  it("names a zone as in force at each instant, asked once or again (kept labels), on either side of a clock change", () => {
    // Nassau moves to daylight time at 07:00 UTC on 8 March 2026: a minute apart, two names
    const before = new Date(Date.UTC(2026, 2, 8, 6, 59));
    const after = new Date(Date.UTC(2026, 2, 8, 7, 0));
    for (let round = 0; round < 2; round++) {
      expect(zoneLabel("America/Nassau", before, "en")).toBe("Nassau (EST)");
      expect(zoneLabel("America/Nassau", after, "en")).toBe("Nassau (EDT)");
      expect(zoneLabel("Asia/Bahrain", after, "en")).toMatch(/^Bahrain \(/);
      expect(zoneLabel("America/Nassau", after, "fr")).toBe(plain(`Nassau (${new Intl.DateTimeFormat("fr", { timeZone: "America/Nassau", timeZoneName: "short" }).formatToParts(after).find((p) => p.type === "timeZoneName")!.value})`));
    }
  });

  it("does not mix up styles that share a locale", () => {
    expect(formatDay("2026-03-10", "en", "long")).toBe("Tuesday, March 10, 2026");
    expect(formatDay("2026-03-10", "en", "medium")).toBe("Mar 10, 2026");
    expect(formatDay("2026-03-10", "en", "short")).toBe("Mar 10");
    expect(formatDayRange("2026-03-10", "2026-03-12", "en")).toBe("Mar 10 – 12, 2026");
    expect(formatDayRange("2026-03-10", "2026-03-10", "fr")).toBe("10 mars 2026");
    // asked again (from the memo), and in another language for the same days
    expect(formatDayRange("2026-03-10", "2026-03-12", "en")).toBe("Mar 10 – 12, 2026");
    expect(formatDayRange("2026-03-10", "2026-03-12", "es")).toBe(plain(new Intl.DateTimeFormat("es", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" }).formatRange(new Date(Date.UTC(2026, 2, 10, 12)), new Date(Date.UTC(2026, 2, 12, 12)))));
    // the same options in another zone are another formatter
    expect(formatTime(at, "America/Nassau", "en")).not.toBe(formatTime(at, "Asia/Bahrain", "en"));
  });

describe("a time of day", () => {
  it("is written the same way alone, in a range and in a date-time, in every language", () => {
    const start = Date.UTC(2026, 2, 10, 17, 15); // 1:15 PM in Nassau (EDT), an hour written with one digit by Intl's ranges
    const end = Date.UTC(2026, 2, 10, 18, 30);
    for (const locale of ["en", "fr", "es", "ar"]) {
      const one = formatTime(start, "America/Nassau", locale);
      const other = formatTime(end, "America/Nassau", locale);
      const range = formatTimeRange(start, end, "America/Nassau", locale);
      expect(range, locale).toContain(one);
      expect(range, locale).toContain(other);
      expect(formatDateTime(start, "America/Nassau", locale), locale).toContain(one);
    }
    expect(formatTime(start, "America/Nassau", "en")).toBe("01:15 PM");
    expect(formatTimeRange(start, end, "America/Nassau", "en")).toBe("01:15 PM – 02:30 PM");
  });
});
});

describe("formatWait", () => {
  it("says how long to wait in seconds under a minute and in whole minutes (rounded up) beyond", () => {
    expect(formatWait(1, "en")).toBe("in 1 second");
    expect(formatWait(58.2, "en")).toBe("in 59 seconds");
    expect(formatWait(59.2, "en")).toBe("in 1 minute");
    expect(formatWait(61, "en")).toBe("in 2 minutes");
    expect(formatWait(900, "fr")).toBe("dans 15 minutes");
    expect(formatWait(0, "es")).toBe("dentro de 1 segundo");
  });
});
