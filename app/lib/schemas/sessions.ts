import { z } from "zod";
import { SESSION_KINDS } from "../domain";
import { isPlausibleYear, msg, optionalText, requiredText, yearMessage } from "../forms";

/**
 * The session form (a slot in an event's timetable). Day and times are what the coordinator typed,
 * in the EVENT's zone; the model converts them to UTC and checks the rules that need the database
 * (the event's days, daylight-saving gaps, room overlaps, who may facilitate).
 */
export const SESSION_TITLE_MAX = 200;
export const SESSION_ROOM_MAX = 120;
export const SESSION_DESCRIPTION_MAX = 4000;
/** More facilitators than this on one slot is a typing accident, not a timetable. */
export const SESSION_FACILITATORS_MAX = 20;

/** Message keys of this form (translated by the page, in the `sessions` catalogue section). */
export const sessionMsg = {
  day: "sessions.errors.day",
  time: "sessions.errors.time",
  endBeforeStart: "sessions.errors.endBeforeStart",
  dayOutside: "sessions.errors.dayOutside",
  timeSkipped: "sessions.errors.timeSkipped",
  roomTaken: "sessions.errors.roomTaken",
  facilitator: "sessions.errors.facilitator",
  tooManyFacilitators: "sessions.errors.tooManyFacilitators",
} as const;

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)(?::00)?$/;
const USER_REF = /^user:([A-Za-z0-9_-]{1,64})$/;
const PERSON_REF = /^person:([1-9]\d{0,14})$/;

/** A real calendar day written YYYY-MM-DD (no 30 February). */
export function isCalendarDay(value: string) {
  const m = DAY.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return y >= 1900 && y <= 2999 && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

const day = z
  .string({ required_error: msg.required, invalid_type_error: msg.required })
  .trim()
  .min(1, msg.required)
  .refine(isCalendarDay, sessionMsg.day)
  .refine(isPlausibleYear, { message: yearMessage() });

/** "HH:MM" on a 24-hour clock (a browser's time input may add ":00" seconds). */
const time = z
  .string({ required_error: msg.required, invalid_type_error: msg.required })
  .trim()
  .min(1, msg.required)
  .regex(TIME, sessionMsg.time)
  .transform((v) => v.slice(0, 5));

export type FacilitatorRefs = { userIds: string[]; personIds: number[] };

/** Repeated `facilitator` fields, each `user:<id>` (a facilitator account) or `person:<id>` (a roster facilitator). */
const facilitator = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((value, ctx): FacilitatorRefs => {
    const refs = [value ?? []].flat().map((v) => v.trim()).filter(Boolean);
    const userIds = new Set<string>();
    const personIds = new Set<number>();
    for (const ref of refs) {
      const user = USER_REF.exec(ref);
      const person = PERSON_REF.exec(ref);
      if (user) userIds.add(user[1]);
      else if (person) personIds.add(Number(person[1]));
      else {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: sessionMsg.facilitator });
        return z.NEVER;
      }
    }
    if (userIds.size + personIds.size > SESSION_FACILITATORS_MAX) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: sessionMsg.tooManyFacilitators });
      return z.NEVER;
    }
    return { userIds: [...userIds], personIds: [...personIds] };
  });

export const sessionSchema = z
  .object({
    title: requiredText(SESSION_TITLE_MAX),
    kind: z.enum(SESSION_KINDS, { errorMap: () => ({ message: msg.choice }) }),
    day,
    start: time,
    end: time,
    room: optionalText(SESSION_ROOM_MAX),
    description: optionalText(SESSION_DESCRIPTION_MAX),
    facilitator,
  })
  // same day, 24-hour "HH:MM": string order is time order
  .refine((v) => v.end > v.start, { message: sessionMsg.endBeforeStart, path: ["end"] })
  .transform(({ facilitator: facilitators, ...rest }) => ({ ...rest, facilitators }));

export type SessionInput = z.infer<typeof sessionSchema>;

/** The form's field names, in the order the error summary lists them. */
export const SESSION_FIELDS = ["title", "kind", "day", "start", "end", "room", "facilitator", "description"] as const;
