import { check, index, integer, primaryKey, table, text } from "./dialect";
import { ACTION_ITEM_STATUSES, ACTION_PLAN_STATUSES } from "../../app/lib/domain";
import { inList, instant, timestamps } from "./columns";
import { events } from "./events";
import { people } from "./people";
import { users } from "./users";

/** Written after an event by a participant (or a group): how the training goes into daily work. */
export const actionPlans = table(
  "action_plans",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** a random key (0 to 99) given once at insert (trigger); donor figures are perturbed by the sum of their units' keys (app/models/disclosure.server.ts) */
    cellKey: integer("cell_key"),
    eventId: integer("event_id")
      .notNull()
      .references(() => events.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    status: text("status", { enum: ACTION_PLAN_STATUSES }).notNull().default("draft"),
    /** true for the coordinator's template that pre-fills participants' plans */
    isTemplate: integer("is_template", { mode: "boolean" }).notNull().default(false),
    submittedAt: instant("submitted_at"),
    ...timestamps,
  },
  (t) => [
    index("action_plans_event_idx").on(t.eventId),
    check("action_plans_status_check", inList("status", ACTION_PLAN_STATUSES)),
  ],
);

/** Authors of a plan (one person, or several for a group plan). */
export const actionPlanMembers = table(
  "action_plan_members",
  {
    planId: integer("plan_id")
      .notNull()
      .references(() => actionPlans.id, { onDelete: "cascade" }),
    personId: integer("person_id")
      .notNull()
      .references(() => people.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.planId, t.personId] }), index("action_plan_members_person_idx").on(t.personId)],
);

export const actionPlanItems = table(
  "action_plan_items",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** a random key (0 to 99) given once at insert (trigger); donor figures are perturbed by the sum of their units' keys (app/models/disclosure.server.ts) */
    cellKey: integer("cell_key"),
    planId: integer("plan_id")
      .notNull()
      .references(() => actionPlans.id, { onDelete: "cascade" }),
    position: integer("position").notNull().default(0),
    action: text("action").notNull(),
    /** YYYY-MM-DD */
    targetDate: text("target_date"),
    responsible: text("responsible"),
    indicator: text("indicator"),
    status: text("status", { enum: ACTION_ITEM_STATUSES }).notNull().default("planned"),
    validatedAt: instant("validated_at"),
    validatedByUserId: text("validated_by_user_id").references(() => users.id, { onDelete: "set null" }),
    ...timestamps,
  },
  (t) => [
    index("action_plan_items_plan_idx").on(t.planId, t.position),
    index("action_plan_items_status_idx").on(t.status),
    index("action_plan_items_validated_by_idx").on(t.validatedByUserId),
    check("action_plan_items_status_check", inList("status", ACTION_ITEM_STATUSES)),
  ],
);

/** A dated progress note on an item, optionally with an attached file. */
export const actionPlanUpdates = table(
  "action_plan_updates",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    itemId: integer("item_id")
      .notNull()
      .references(() => actionPlanItems.id, { onDelete: "cascade" }),
    authorUserId: text("author_user_id").references(() => users.id, { onDelete: "set null" }),
    note: text("note").notNull(),
    statusAfter: text("status_after", { enum: ACTION_ITEM_STATUSES }),
    attachmentName: text("attachment_name"),
    attachmentPath: text("attachment_path"),
    createdAt: instant("created_at").notNull(),
  },
  (t) => [
    index("action_plan_updates_item_idx").on(t.itemId),
    index("action_plan_updates_author_idx").on(t.authorUserId),
  ],
);

/** Coordinators' comments on a plan. */
export const actionPlanComments = table(
  "action_plan_comments",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    planId: integer("plan_id")
      .notNull()
      .references(() => actionPlans.id, { onDelete: "cascade" }),
    authorUserId: text("author_user_id").references(() => users.id, { onDelete: "set null" }),
    body: text("body").notNull(),
    createdAt: instant("created_at").notNull(),
  },
  (t) => [
    index("action_plan_comments_plan_idx").on(t.planId),
    index("action_plan_comments_author_idx").on(t.authorUserId),
  ],
);
