import { z } from "zod";
import { ACTION_ITEM_STATUSES } from "../domain";
import { msg, optionalText, requiredText } from "../forms";
import { isCalendarDay } from "./sessions";
import { idFrom } from "../params";

/**
 * The action-plan forms: a plan's title, its items (action, target date, responsible, indicator,
 * status), dated progress updates and coordinators' comments. Rules that need the database (a
 * target date not before the event's first day, who may change what) are checked by the model.
 */
export const ACTION_PLAN_TITLE_MAX = 200;
export const ACTION_ITEM_ACTION_MAX = 500;
export const ACTION_ITEM_RESPONSIBLE_MAX = 200;
export const ACTION_ITEM_INDICATOR_MAX = 500;
export const ACTION_UPDATE_NOTE_MAX = 2000;
export const ACTION_COMMENT_MAX = 2000;
/** More co-authors than this is not a group plan but a typing accident. */
export const ACTION_PLAN_MEMBERS_MAX = 20;

/** Message keys of these forms (translated by the pages, in the `actionPlans` catalogue section). */
export const actionPlanMsg = {
  date: "errors.date",
  targetBeforeEvent: "actionPlans.errors.targetBeforeEvent",
  status: "actionPlans.errors.status",
  members: "actionPlans.errors.members",
} as const;

const optionalDay = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : null))
  .refine((v) => v === null || isCalendarDay(v), actionPlanMsg.date);

export const itemStatusField = z.enum(ACTION_ITEM_STATUSES, { errorMap: () => ({ message: actionPlanMsg.status }) });

/** An empty choice ("keep the status") becomes undefined. */
const optionalStatus = z.preprocess((v) => (v === "" || v === null ? undefined : v), itemStatusField.optional());

export const planTitleSchema = z.object({ title: requiredText(ACTION_PLAN_TITLE_MAX) });

/** One item of a plan (or of the coordinator's template, whose items carry no status). */
export const actionItemSchema = z.object({
  action: requiredText(ACTION_ITEM_ACTION_MAX),
  targetDate: optionalDay,
  responsible: optionalText(ACTION_ITEM_RESPONSIBLE_MAX),
  indicator: optionalText(ACTION_ITEM_INDICATOR_MAX),
  status: z.preprocess((v) => (v === "" || v === undefined ? "planned" : v), itemStatusField),
});
export type ActionItemInput = z.infer<typeof actionItemSchema>;

export const progressUpdateSchema = z.object({
  note: requiredText(ACTION_UPDATE_NOTE_MAX),
  statusAfter: optionalStatus,
});

export const commentSchema = z.object({ body: requiredText(ACTION_COMMENT_MAX) });

const idList = z.preprocess(
  (v) => (v === undefined || v === "" ? [] : [v].flat()),
  z
    .array(z.string().refine((id) => idFrom(id) !== null, msg.choice))
    .max(ACTION_PLAN_MEMBERS_MAX, actionPlanMsg.members)
    .transform((ids) => [...new Set(ids.map(Number))]),
);

/** A new plan: its title, the co-authors (other participants of the event) and whether to start from the template. */
export const newPlanSchema = z.object({
  title: requiredText(ACTION_PLAN_TITLE_MAX),
  memberPersonIds: idList,
  fromTemplate: z.preprocess((v) => v === "on" || v === "true" || v === "1", z.boolean()),
});
