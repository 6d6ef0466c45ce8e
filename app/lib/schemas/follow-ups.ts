import { z } from "zod";
import { FOLLOW_UP_STATUSES, PRIORITIES, ROLE_CATEGORIES } from "../domain";
import { isPlausibleYear, msg, optionalText, requiredText, tooLong, yearMessage } from "../forms";
import { isCountryCode } from "../zoned";

/**
 * The follow-up request form, its list filters and the status/comment forms of a request's page.
 * Message keys are translated by the page; cross-field and ownership checks (the requesting agency,
 * the originating event) are the model's.
 */

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const isRealDay = (v: string) => DAY.test(v) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v);

const optionalDay = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : null))
  .refine((v) => v === null || isRealDay(v), "errors.date")
  .refine((v) => v === null || !isRealDay(v) || isPlausibleYear(v), { message: yearMessage() });

const optionalId = z
  .string()
  .trim()
  .optional()
  .transform((v, ctx) => {
    if (!v) return null;
    if (!/^\d{1,9}$/.test(v) || Number(v) <= 0) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: msg.choice });
      return z.NEVER;
    }
    return Number(v);
  });

/** Localities come as one text: "Bimini, Grand Bahama" or one per line. */
export const MAX_LOCALITIES = 20;
const localities = z
  .string()
  .max(2000, tooLong(2000))
  .optional()
  .transform((v) =>
    (v ?? "")
      .split(/[\n,;]/)
      .map((item) => item.trim())
      .filter(Boolean),
  )
  .refine((items) => items.length <= MAX_LOCALITIES && items.every((item) => item.length <= 100), "followUps.errors.localities")
  .transform((items) => [...new Set(items)]);

const roleCategories = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined || v === "" ? [] : Array.isArray(v) ? v : [v]))
  .refine((v) => v.every((item) => (ROLE_CATEGORIES as readonly string[]).includes(item)), msg.choice)
  .transform((v) => [...new Set(v)]);

/** Up to this many participants can be asked for in one request. */
export const MAX_ESTIMATED_PARTICIPANTS = 10000;

export const followUpSchema = z
  .object({
    title: requiredText(200),
    description: requiredText(5000),
    country: z
      .string({ required_error: msg.required })
      .trim()
      .min(1, msg.required)
      .transform((v) => v.toUpperCase())
      .refine(isCountryCode, "errors.country"),
    localities,
    targetAudience: optionalText(500),
    roleCategories,
    estimatedParticipants: z
      .string()
      .trim()
      .optional()
      .transform((v, ctx) => {
        if (!v) return null;
        const n = Number(v);
        if (!/^\d+$/.test(v) || !Number.isSafeInteger(n) || n < 1 || n > MAX_ESTIMATED_PARTICIPANTS) {
          ctx.addIssue({ code: z.ZodIssueCode.custom, message: "followUps.errors.participants" });
          return z.NEVER;
        }
        return n;
      }),
    desiredFrom: optionalDay,
    desiredTo: optionalDay,
    priority: z
      .string()
      .optional()
      .transform((v) => v || "normal")
      .pipe(z.enum(PRIORITIES, { errorMap: () => ({ message: msg.choice }) })),
    /** the partner's own agency is implied; coordinators choose a government partner */
    requestingOrganisationId: optionalId,
    originEventId: optionalId,
  })
  .superRefine((v, ctx) => {
    if (v.desiredFrom && v.desiredTo && v.desiredTo < v.desiredFrom) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["desiredTo"], message: "followUps.errors.periodOrder" });
    }
  });

export type FollowUpInput = z.infer<typeof followUpSchema>;

/** The statuses a request can be moved to (it starts "received"). */
const FOLLOW_UP_STEPS = ["under_review", "accepted", "scheduled", "declined"] as const satisfies readonly (typeof FOLLOW_UP_STATUSES)[number][];

const comment = (max: number) =>
  z
    .string()
    .trim()
    .max(max, "followUps.errors.commentTooLong")
    .optional()
    .transform((v) => (v ? v : null));

export const COMMENT_MAX = 2000;

/** The request page's forms: a comment, or a status change (with an optional comment). */
export const followUpActionSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("comment"),
    comment: z
      .string({ required_error: "followUps.errors.commentRequired" })
      .trim()
      .min(1, "followUps.errors.commentRequired")
      .max(COMMENT_MAX, "followUps.errors.commentTooLong"),
  }),
  z.object({
    intent: z.literal("status"),
    status: z.enum(FOLLOW_UP_STEPS, { errorMap: () => ({ message: msg.choice }) }),
    comment: comment(COMMENT_MAX),
    copyTimetable: z
      .string()
      .optional()
      .transform((v) => v === "on" || v === "true"),
  }),
]);

/** The list's filters, from the query string. Nonsense values are ignored, never an error page. */
export const followUpFiltersSchema = z.object({
  status: z.enum(FOLLOW_UP_STATUSES).optional().catch(undefined),
  country: z.string().regex(/^[A-Z]{2}$/).optional().catch(undefined),
  page: z.coerce.number().int().positive().max(100000).catch(1),
});

export function parseFollowUpFilters(url: URL) {
  const raw = Object.fromEntries([...url.searchParams].filter(([, v]) => v !== ""));
  return followUpFiltersSchema.parse(raw);
}
