import { describe, expect, it } from "vitest";
import { outOfDate } from "../../scripts/locales-to-json";

/**
 * Transitional, deleted with the TypeScript catalogues and scripts/locales-to-json.ts: while strings
 * are still added to app/locales/sections/*.ts, the JSON files the app reads must be regenerated.
 */
describe("the JSON catalogues", () => {
  it("are what `npx tsx scripts/locales-to-json.ts` writes from the TypeScript catalogues", () => {
    expect(outOfDate()).toEqual([]);
  });
});
