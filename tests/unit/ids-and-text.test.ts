import { describe, expect, it } from "vitest";
import { MAX_ID, idFrom, idParam } from "~/lib/params";
import { readFormData } from "~/lib/form-data.server";
import { withoutNul } from "../../db/statements";

describe("ids from forms and addresses", () => {
  it("are digits naming a row that can exist: 1 to the largest 32-bit id", () => {
    expect(idFrom("1")).toBe(1);
    expect(idFrom("0042")).toBe(42);
    expect(idFrom(String(MAX_ID))).toBe(MAX_ID);
    for (const nonsense of [String(MAX_ID + 1), "99999999999999999999", "0", "-1", "1.5", "1e3", " 1", "", "abc", null, undefined, 7]) {
      expect(idFrom(nonsense)).toBeNull();
    }
  });

  it("answer 404 in an address when out of range", () => {
    expect(idParam("12")).toBe(12);
    try {
      idParam("99999999999999999999");
      expect.unreachable();
    } catch (error) {
      expect((error as Response).status).toBe(404);
    }
  });
});

describe("NUL characters", () => {
  it("are dropped from every text value and name of a form before it is validated", async () => {
    const request = new Request("http://localhost/x", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ title: "\u0000", "na\u0000me": "Ana\u0000 Lee", plain: "kept" }),
    });
    const form = await readFormData(request);
    expect([...form.entries()]).toEqual([["title", ""], ["name", "Ana Lee"], ["plain", "kept"]]);
  });

  it("are dropped from text parameters on their way to either engine, other values untouched", () => {
    const bytes = Buffer.from([0, 1]);
    const given = ["a\u0000b", 3, null, bytes];
    const clean = withoutNul(given);
    expect(clean).toEqual(["ab", 3, null, bytes]);
    expect(clean[3]).toBe(bytes);
    const untouched = ["ab", 1];
    expect(withoutNul(untouched)).toBe(untouched);
  });
});
