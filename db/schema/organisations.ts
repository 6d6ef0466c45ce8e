import { check, index, integer, primaryKey, table, text, uniqueIndex } from "./dialect";
import { ORGANISATION_KINDS } from "../../app/lib/domain";
import { inList, inOrder, timestamps } from "./columns";

/** A donor, a government partner agency, a media house, the implementing office… */
export const organisations = table(
  "organisations",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    name: text("name").notNull(),
    acronym: text("acronym"),
    kind: text("kind", { enum: ORGANISATION_KINDS }).notNull(),
    /** ISO 3166-1 alpha-2 */
    country: text("country"),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("organisations_name_unique").on(t.name),
    index("organisations_kind_idx").on(t.kind),
    index("organisations_country_idx").on(t.country),
    check("organisations_kind_check", inList("kind", ORGANISATION_KINDS)),
  ],
);

/** A body of work (e.g. the Western Hemisphere Program) that has events. */
export const programmes = table(
  "programmes",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    name: text("name").notNull(),
    code: text("code"),
    description: text("description"),
    /** calendar dates, YYYY-MM-DD */
    startDate: text("start_date"),
    endDate: text("end_date"),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("programmes_name_unique").on(t.name),
    check("programmes_dates_check", inOrder("start_date", "end_date")),
  ],
);

/** A donor funds a programme. */
export const programmeFunding = table(
  "programme_funding",
  {
    programmeId: integer("programme_id")
      .notNull()
      .references(() => programmes.id, { onDelete: "cascade" }),
    donorOrganisationId: integer("donor_organisation_id")
      .notNull()
      .references(() => organisations.id, { onDelete: "restrict" }),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.programmeId, t.donorOrganisationId] }),
    index("programme_funding_donor_idx").on(t.donorOrganisationId),
  ],
);

/** The 23 objectives of the Global Compact for Migration (reference data). */
export const gcmObjectives = table("gcm_objectives", {
  id: integer("id").primaryKey(),
  title: text("title").notNull(),
});
