import { describe, expect, it } from "vitest";
import { cleanFileName, contentDisposition, FILE_NAME_MAX_CHARACTERS } from "~/lib/file-names";

describe("cleanFileName", () => {
  it("removes every bidirectional control and mark, so a name reads as it is", () => {
    expect(cleanFileName("\u202Egnp.exe")).toBe("gnp.exe");
    for (const c of ["\u202A", "\u202B", "\u202C", "\u202D", "\u202E", "\u2066", "\u2067", "\u2068", "\u2069", "\u200E", "\u200F", "\u061C"]) {
      expect(cleanFileName(`a${c}b.pdf`)).toBe("ab.pdf");
    }
  });

  it("removes C0 controls, DEL and C1 controls, and line separators", () => {
    expect(cleanFileName("a\u0000b\tc\r\nd\u007fe\u0080f\u0085g\u009fh\u2028i\u2029.png")).toBe("abcdefghi.png");
  });

  it("keeps letters of any script, accents (composed) and emoji whole", () => {
    expect(cleanFileName("خطة العمل.pdf")).toBe("خطة العمل.pdf");
    expect(cleanFileName("E\u0301valuation.pdf")).toBe("Évaluation.pdf");
    const long = "😀".repeat(300);
    expect(Array.from(cleanFileName(long))).toHaveLength(FILE_NAME_MAX_CHARACTERS);
    expect(cleanFileName(long)).toBe("😀".repeat(FILE_NAME_MAX_CHARACTERS));
  });

  it("keeps only the last part of a path, replaces half a surrogate pair, and falls back when nothing is left", () => {
    expect(cleanFileName("C:\\Users\\me\\report.pdf")).toBe("report.pdf");
    expect(cleanFileName("../../etc/passwd")).toBe("passwd");
    expect(cleanFileName("a\ud800b.pdf")).toBe("a\ufffdb.pdf");
    expect(cleanFileName(" \u202E\r\n ")).toBe("file");
    expect(cleanFileName("", "attachment")).toBe("attachment");
  });
});

describe("contentDisposition", () => {
  /** RFC 6266 with one quoted-string filename and one RFC 8187 filename*. */
  const VALID = /^(attachment|inline); filename="[\x20\x21\x23-\x5b\x5d-\x7e]*"; filename\*=UTF-8''[A-Za-z0-9!#$&+\-.^_`|~%]+$/;

  it("names the file in filename* (UTF-8) with an ASCII fallback", () => {
    expect(contentDisposition("events.csv")).toBe(`attachment; filename="events.csv"; filename*=UTF-8''events.csv`);
    expect(contentDisposition("certificate-AB12.pdf", "inline")).toBe(`inline; filename="certificate-AB12.pdf"; filename*=UTF-8''certificate-AB12.pdf`);
    expect(contentDisposition("Évaluation – été.pdf")).toBe(
      `attachment; filename="Evaluation _ ete.pdf"; filename*=UTF-8''%C3%89valuation%20%E2%80%93%20%C3%A9t%C3%A9.pdf`,
    );
    expect(contentDisposition("تقرير.pdf")).toBe(`attachment; filename="_____.pdf"; filename*=UTF-8''${encodeURIComponent("تقرير.pdf")}`);
  });

  it("is a valid header for any name, and a browser decodes filename* to the cleaned name", () => {
    const names = ['a"b\r\nc.png', "\u202Egnp.exe", "100% (final) *draft*'s.pdf", "back\\slash", "a\ud800b", "\u0000", "x;y=z,w.txt", "خطة\u061C.pdf"];
    for (const name of names) {
      const header = contentDisposition(name);
      expect(header).toMatch(VALID);
      expect(() => new Headers({ "Content-Disposition": header })).not.toThrow();
      expect(decodeURIComponent(header.split("filename*=UTF-8''")[1])).toBe(cleanFileName(name));
    }
  });
});
