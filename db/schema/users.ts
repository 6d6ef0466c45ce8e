import { check, index, integer, nowMs, table, text, uniqueIndex, wideInteger } from "./dialect";
import { ROLES, SESSION_RESTRICTIONS, TOKEN_PURPOSES } from "../../app/lib/domain";
import { inList, instant, timestamps } from "./columns";
import { organisations } from "./organisations";

/** A login. Partners and donors are linked to their organisation. */
export const users = table(
  "users",
  {
    id: text("id").primaryKey(),
    /** always stored lower-cased */
    email: text("email").notNull(),
    name: text("name").notNull(),
    /** null while an invited user has not chosen a password yet */
    passwordHash: text("password_hash"),
    role: text("role", { enum: ROLES }).notNull(),
    organisationId: integer("organisation_id").references(() => organisations.id, { onDelete: "set null" }),
    locale: text("locale"),
    emailRemindersOff: integer("email_reminders_off", { mode: "boolean" }).notNull().default(false),
    disabledAt: instant("disabled_at"),
    lastLoginAt: instant("last_login_at"),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("users_email_unique").on(t.email),
    index("users_organisation_idx").on(t.organisationId),
    index("users_role_idx").on(t.role),
    check("users_role_check", inList("role", ROLES)),
  ],
);

/**
 * Login sessions (lucia). `expires_at` is UNIX seconds as the lucia drizzle adapter expects; it
 * slides forward with use (idle timeout). `absolute_expires_at` caps a session's life after login.
 */
export const authSessions = table(
  "auth_sessions",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expiresAt: wideInteger("expires_at").notNull(),
    absoluteExpiresAt: wideInteger("absolute_expires_at").notNull(),
    createdAt: wideInteger("created_at").notNull(),
    /** the browser that signed in (its User-Agent, at most 400 characters), for the user's list of sessions */
    userAgent: text("user_agent"),
    /** the address it was last used from */
    ip: text("ip"),
    /** when it was last used (milliseconds), moved at most every few minutes */
    lastUsedAt: wideInteger("last_used_at"),
    /**
     * What the session may do before it is a full one (SESSION_RESTRICTIONS): null for a full
     * session; "password_change" when the password typed at sign-in is one the policy now refuses;
     * "second_factor_enrolment" for an administrator or coordinator without a second factor. A
     * restricted session reaches only the page that lifts the restriction (and signing out).
     */
    restriction: text("restriction", { enum: SESSION_RESTRICTIONS }),
  },
  (t) => [index("auth_sessions_user_idx").on(t.userId)],
);

/**
 * A user's second factor: an authenticator app's TOTP secret (RFC 6238, 30 s, 6 digits). The
 * secret is stored encrypted (AES-256-GCM, app/auth/second-factor.server.ts). `confirmed_at` is
 * null while enrolment waits for its first code; `last_used_step` is the time step of the last
 * code accepted, so that a code is never accepted twice (nor one of an earlier step).
 */
export const secondFactors = table("second_factors", {
  userId: text("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  secret: text("secret").notNull(),
  confirmedAt: instant("confirmed_at"),
  lastUsedStep: wideInteger("last_used_step"),
  ...timestamps,
});

/** Single-use recovery codes (ten at enrolment), each kept only as its SHA-256. */
export const recoveryCodes = table(
  "recovery_codes",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    codeHash: text("code_hash").notNull(),
    usedAt: instant("used_at"),
    createdAt: instant("created_at").notNull().default(nowMs),
  },
  (t) => [uniqueIndex("recovery_codes_user_hash_unique").on(t.userId, t.codeHash)],
);

/** One-time links for password reset and account invitation. Only a SHA-256 of the token is kept. */
export const passwordResetTokens = table(
  "password_reset_tokens",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    tokenHash: text("token_hash").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    purpose: text("purpose", { enum: TOKEN_PURPOSES }).notNull(),
    expiresAt: instant("expires_at").notNull(),
    usedAt: instant("used_at"),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("password_reset_tokens_hash_unique").on(t.tokenHash),
    index("password_reset_tokens_user_idx").on(t.userId),
    check("password_reset_tokens_purpose_check", inList("purpose", TOKEN_PURPOSES)),
  ],
);
