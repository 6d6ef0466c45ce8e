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
  it("lets through, from any origin or none, only a POST to the one-click unsubscribe path (RFC 8058)", () => {
    const path = "/email-preferences/unsubscribe";
    expect(isAllowedOrigin("POST", "https://mail.provider.example", app, path)).toBe(true);
    expect(isAllowedOrigin("POST", null, app, path)).toBe(true);
    // any other method, or any other path, is checked as usual
    for (const method of ["PUT", "PATCH", "DELETE"]) expect(isAllowedOrigin(method, "https://evil.example", app, path)).toBe(false);
    for (const other of ["/email-preferences", "/email-preferences/unsubscribe/", "/Email-Preferences/Unsubscribe", "/email-preferences/unsubscribe.data", "/logout", "/"]) {
      expect(isAllowedOrigin("POST", "https://evil.example", app, other)).toBe(false);
      expect(isAllowedOrigin("POST", null, app, other)).toBe(false);
    }
    expect(isAllowedOrigin("POST", "https://evil.example", app)).toBe(false);
  });
});
