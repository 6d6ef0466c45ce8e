import { describe, expect, it } from "vitest";
import { isAllowedOrigin } from "~/auth/origin.server";

describe("Origin check", () => {
  const app = "https://convene.example.org";
  it("lets reads through whatever their origin", () => {
    expect(isAllowedOrigin("GET", null, app)).toBe(true);
    expect(isAllowedOrigin("HEAD", "https://evil.example", app)).toBe(true);
  });
  it("accepts a POST from APP_URL's origin only", () => {
    expect(isAllowedOrigin("POST", "https://convene.example.org", app)).toBe(true);
    expect(isAllowedOrigin("POST", "https://evil.example", app)).toBe(false);
    expect(isAllowedOrigin("POST", "http://convene.example.org", app)).toBe(false);
    expect(isAllowedOrigin("POST", "https://convene.example.org.evil.example", app)).toBe(false);
    expect(isAllowedOrigin("DELETE", "null", app)).toBe(false);
  });
  it("refuses a POST without an Origin", () => {
    expect(isAllowedOrigin("POST", null, app)).toBe(false);
    expect(isAllowedOrigin("PUT", undefined, app)).toBe(false);
  });
});
