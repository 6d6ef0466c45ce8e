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

  it("lets API writes through without an Origin (bearer tokens, never cookies), only on plain API paths", () => {
    for (const method of ["POST", "PATCH", "PUT"]) {
      expect(isAllowedOrigin(method, null, app, "/api/v1/events")).toBe(true);
      expect(isAllowedOrigin(method, "https://evil.example", app, "/api/v1/events/12/registrations")).toBe(true);
    }
    // dot segments and encodings that a router resolves to a page stay checked
    for (const other of ["/api/v1/%2e%2e/%2e%2e/events/new", "/api/v1/../../events/new", "/api/v1/x/%2E%2E/%2E%2E/%2E%2E/logout", "/api/v1%2f..%2f..%2flogout", "/api/v1/.", "/api/v1", "/api/v10/events", "/api/v1/events\\..\\..", "/API/V1/events", "/apiv1/events"]) {
      expect(isAllowedOrigin("POST", null, app, other), other).toBe(false);
    }
  });
});
