import { z } from "zod";
import { EVENT_STATUSES, EVENT_TYPES, ROLE_CATEGORIES } from "../domain";
import { emailField, isPlausibleYear, msg, optionalText, requiredText, tooLong, yearMessage } from "../forms";
import { CHECK_IN_ERRORS, parseCheckInDays } from "../check-ins";
import { RETENTION_MAX_MONTHS, RETENTION_MIN_MONTHS } from "../retention";
import { isCountryCode, isIanaZone } from "../zoned";

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const isRealDay = (v: string) => DAY.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v);

const day = z
  .string({ required_error: msg.required })
  .trim()
  .min(1, msg.required)
  .refine(isRealDay, "errors.date")
  .refine(isPlausibleYear, { message: yearMessage() });

const optionalDateTime = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : null))
  .refine((v) => v === null || /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(v), "errors.dateTime");

const list = (values: readonly string[]) =>
  z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
    .refine((v) => v.every((item) => values.includes(item)), msg.choice);

const idList = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
  .refine((v) => v.every((item) => /^\d{1,9}$/.test(item)), msg.choice)
  .transform((v) => [...new Set(v.map(Number))]);

const optionalInt = (min: number, max: number, key: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (!v) return null;
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: key });
        return z.NEVER;
      }
      return n;
    });

/** Every field of an event (DOMAIN.md). Cross-field checks (order of days, zone of the country) follow. */
export const eventSchema = z
  .object({
    title: requiredText(200),
    type: z.enum(EVENT_TYPES, { errorMap: () => ({ message: msg.choice }) }),
    description: optionalText(10000),
    programmeId: optionalInt(1, 1e9, msg.choice),
    partnerIds: idList,
    country: z
      .string({ required_error: msg.required })
      .trim()
      .min(1, msg.required)
      .transform((v) => v.toUpperCase())
      .refine(isCountryCode, "errors.country"),
    locality: optionalText(200),
    venue: optionalText(300),
    timeZone: z
      .string()
      .trim()
      .optional()
      .transform((v) => v ?? "")
      .refine((v) => v === "" || isIanaZone(v), "errors.timeZone"),
    startDate: day,
    endDate: day,
    capacity: optionalInt(1, 100000, "events.form.errors.capacity"),
    targetRoles: list(ROLE_CATEGORIES),
    topics: z
      .string()
      .max(5000, tooLong(5000))
      .optional()
      .transform((v) =>
        (v ?? "")
          .split("\n")
          .map((line) => line.trim())
          .filter(Boolean),
      )
      .refine((topics) => topics.every((topic) => topic.length <= 200), tooLong(200)),
    gcmObjectiveIds: idList.refine((ids) => ids.every((id) => id >= 1 && id <= 23), "events.form.errors.gcm"),
    contactName: optionalText(200),
    contactEmail: z
      .string()
      .trim()
      .optional()
      .transform((v) => v ?? "")
      .pipe(z.union([z.literal(""), emailField], { errorMap: () => ({ message: msg.email }) }))
      .transform((v) => (v ? v : null)),
    registrationOpensAt: optionalDateTime,
    registrationClosesAt: optionalDateTime,
    completionThreshold: optionalInt(0, 100, "events.form.errors.threshold").transform((v) => v ?? 80),
    requiresApproval: z
      .string()
      .optional()
      .transform((v) => v === "on" || v === "true"),
    consentText: optionalText(5000),
    /** months after the last day at which participants' personal data is anonymised; empty = kept */
    retentionMonths: optionalInt(RETENTION_MIN_MONTHS, RETENTION_MAX_MONTHS, "events.form.errors.retention"),
    /**
     * days after the last day at which action-plan check-ins are sent ("30, 60, 90"), sorted; an
     * empty field means none. Absent from the form (null): a new event gets the default, an edit
     * keeps what the event has.
     */
    checkInDays: z
      .string({ invalid_type_error: CHECK_IN_ERRORS.number })
      .max(200, CHECK_IN_ERRORS.number)
      .optional()
      .transform((v, ctx) => {
        if (v === undefined) return null;
        const parsed = parseCheckInDays(v);
        if (!parsed.ok) {
          ctx.addIssue({ code: z.ZodIssueCode.custom, message: parsed.error });
          return z.NEVER;
        }
        return parsed.days;
      }),
  })
  .superRefine((v, ctx) => {
    if (isRealDay(v.startDate) && isRealDay(v.endDate) && v.endDate < v.startDate) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["endDate"], message: "events.form.errors.endBeforeStart" });
    }
    if (v.startDate && v.endDate && isRealDay(v.startDate) && isRealDay(v.endDate)) {
      const days = (Date.parse(v.endDate) - Date.parse(v.startDate)) / 86400000;
      if (days > 366) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["endDate"], message: "events.form.errors.tooLongEvent" });
    }
    if (v.registrationOpensAt && v.registrationClosesAt && v.registrationClosesAt < v.registrationOpensAt) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["registrationClosesAt"], message: "events.form.errors.windowOrder" });
    }
  });

export type EventInput = z.infer<typeof eventSchema>;

export const statusChangeSchema = z.object({
  status: z.enum(EVENT_STATUSES, { errorMap: () => ({ message: msg.choice }) }),
  /** "yes" on the second step, when the step contradicts the event's dates */
  confirm: z
    .string()
    .optional()
    .transform((v) => v === "yes"),
  reason: optionalText(500),
  /** a new closing date for registration, when opening it after the old one has passed */
  registrationClosesAt: optionalDateTime,
});

export const duplicateSchema = z.object({ startDate: day });
