import { z } from "zod";
import { isPlausibleYear, msg, optionalText, requiredText, yearMessage } from "../forms";
import { idFrom } from "../params";

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar day written YYYY-MM-DD (2023-02-30 is refused, not rolled over). */
export function isCalendarDay(value: string) {
  if (!DAY.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(value);
}

/** An optional date field: blank → null. */
const optionalDay = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : null))
  .refine((v) => v === null || isCalendarDay(v), "programmes.errors.date")
  .refine((v) => v === null || !isCalendarDay(v) || isPlausibleYear(v), { message: yearMessage() });

/** The checked donor organisations: ids, de-duplicated (kind is checked by the model). */
const donorIds = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).filter((id) => id !== ""))
  .refine((ids) => ids.length <= 200 && ids.every((id) => idFrom(id) !== null), msg.choice)
  .transform((ids) => [...new Set(ids.map(Number))]);

export const programmeSchema = z
  .object({
    name: requiredText(200),
    code: optionalText(40),
    description: optionalText(5000),
    startDate: optionalDay,
    endDate: optionalDay,
    donorIds,
  })
  .superRefine((v, ctx) => {
    if (v.startDate && v.endDate && v.endDate < v.startDate) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["endDate"], message: "programmes.errors.endBeforeStart" });
    }
  });

export type ProgrammeInput = z.infer<typeof programmeSchema>;
