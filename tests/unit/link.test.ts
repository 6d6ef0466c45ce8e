import { describe, expect, it } from "vitest";
import { isActivePath } from "~/components/ui/link";

describe("isActivePath (NavLink's rule for menus of plain links)", () => {
  it("marks the page itself and, unless `end`, the pages below it", () => {
    expect(isActivePath("/events", "/events")).toBe(true);
    expect(isActivePath("/events/", "/events")).toBe(true);
    expect(isActivePath("/events/12/roster", "/events")).toBe(true);
    expect(isActivePath("/events/12/roster", "/events/12", true)).toBe(false);
    expect(isActivePath("/events/12", "/events/12", true)).toBe(true);
    expect(isActivePath("/events/12/sessions/3", "/events/12/sessions")).toBe(true);
    expect(isActivePath("/Events/12", "/events/12")).toBe(true);
  });

  it("does not mark a page whose path only starts with the same letters", () => {
    expect(isActivePath("/eventsarchive", "/events")).toBe(false);
    expect(isActivePath("/events/123", "/events/12")).toBe(false);
    expect(isActivePath("/people", "/", true)).toBe(false);
    expect(isActivePath("/", "/", true)).toBe(true);
  });
});
