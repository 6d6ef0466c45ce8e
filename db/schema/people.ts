import { check, index, integer, table, text, uniqueIndex } from "./dialect";
import { sql } from "drizzle-orm";
import { SEXES } from "../../app/lib/domain";
import { inList, instant, timestamps } from "./columns";
import { organisations } from "./organisations";
import { users } from "./users";

/** One record per human across all events. May have a login (participant account) or not. */
export const people = table(
  "people",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** a random key (0 to 99) given once at insert (trigger); donor figures are perturbed by the sum of their units' keys (app/models/disclosure.server.ts) */
    cellKey: integer("cell_key"),
    givenName: text("given_name").notNull(),
    familyName: text("family_name").notNull(),
    /** lower-cased; unique when present */
    email: text("email"),
    phone: text("phone"),
    sex: text("sex", { enum: SEXES }),
    organisationId: integer("organisation_id").references(() => organisations.id, { onDelete: "set null" }),
    position: text("position"),
    roleCategory: text("role_category"),
    /** ISO 3166-1 alpha-2 */
    nationality: text("nationality"),
    dietaryNeeds: text("dietary_needs"),
    accessibilityNeeds: text("accessibility_needs"),
    userId: text("user_id").references(() => users.id, { onDelete: "set null" }),
    /** reminder emails turned off by a person who has no account (accounts use users.email_reminders_off) */
    emailRemindersOff: integer("email_reminders_off", { mode: "boolean" }).notNull().default(false),
    /** set when the person's personal data was anonymised (retention or erasure on request) */
    anonymisedAt: instant("anonymised_at"),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("people_email_unique").on(t.email),
    uniqueIndex("people_user_unique").on(t.userId),
    index("people_organisation_idx").on(t.organisationId),
    index("people_name_idx").on(t.familyName, t.givenName),
    // recognising a person by name within an organisation (registration, import) is case-insensitive
    index("people_org_name_lower_idx").on(t.organisationId, sql`lower(${t.familyName})`, sql`lower(${t.givenName})`),
    check("people_sex_check", sql`sex IS NULL OR ${inList("sex", SEXES)}`),
  ],
);
