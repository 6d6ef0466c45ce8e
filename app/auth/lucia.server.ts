import { DrizzleSQLiteAdapter } from "@lucia-auth/adapter-drizzle";
import { Lucia, TimeSpan } from "lucia";
import { getDb } from "../../db/client";
import { authSessions, users } from "../../db/schema";
import { config } from "~/config.server";
import type { Role } from "~/lib/domain";

/** A session ends after this long unused (lucia slides `expires_at` forward on use). */
export const IDLE_TIMEOUT_DAYS = 7;
/** …and at most this long after login. */
export const ABSOLUTE_TIMEOUT_MS = 30 * 24 * 3600 * 1000;
/** Admins and coordinators see everyone's data: their sessions are short. */
export const PRIVILEGED_ABSOLUTE_TIMEOUT_MS = 12 * 3600 * 1000;

export function absoluteTimeoutFor(role: Role) {
  return role === "admin" || role === "coordinator" ? PRIVILEGED_ABSOLUTE_TIMEOUT_MS : ABSOLUTE_TIMEOUT_MS;
}

function createLucia() {
  const adapter = new DrizzleSQLiteAdapter(getDb(), authSessions, users);
  return new Lucia(adapter, {
    sessionExpiresIn: new TimeSpan(IDLE_TIMEOUT_DAYS, "d"),
    sessionCookie: {
      name: "convene_session",
      attributes: { secure: config().secureCookies, sameSite: "lax", path: "/" },
    },
    getSessionAttributes: (attributes) => ({ absoluteExpiresAt: attributes.absoluteExpiresAt }),
    getUserAttributes: (attributes) => ({
      email: attributes.email,
      name: attributes.name,
      role: attributes.role,
      organisationId: attributes.organisationId,
      locale: attributes.locale,
      disabledAt: attributes.disabledAt,
    }),
  });
}

let instance: ReturnType<typeof createLucia> | undefined;
export function lucia() {
  instance ??= createLucia();
  return instance;
}
/** Tests open a new database per file. */
export function resetLucia() {
  instance = undefined;
}

declare module "lucia" {
  interface Register {
    Lucia: ReturnType<typeof createLucia>;
    DatabaseSessionAttributes: { absoluteExpiresAt: number; createdAt: number };
    DatabaseUserAttributes: {
      email: string;
      name: string;
      role: Role;
      organisationId: number | null;
      locale: string | null;
      disabledAt: Date | number | null;
    };
  }
}
