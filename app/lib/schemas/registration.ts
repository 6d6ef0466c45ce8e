import { z } from "zod";
import { EVENT_ROLES, LOCALES, REGISTRATION_STATUSES } from "../domain";
import { emailField, msg } from "../forms";
import { personFields } from "./people";
import { idFrom } from "../params";

/** The public registration form: a person's details, a required email, and explicit consent. */
export const publicRegistrationSchema = z.object({
  ...personFields,
  email: emailField,
  consent: z.literal("yes", { errorMap: () => ({ message: "registration.errors.consent" }) }),
  locale: z.enum(LOCALES).catch("en"),
  /** honeypot: people never see or fill it */
  website: z.string().max(0).optional().catch("bot"),
});

export const rosterAddSchema = z.object({
  ...personFields,
  eventRole: z.enum(EVENT_ROLES, { errorMap: () => ({ message: msg.choice }) }),
  status: z.enum(REGISTRATION_STATUSES, { errorMap: () => ({ message: msg.choice }) }),
});

/** The person fields a roster addition may send (the API names them as the form does). */
export const PERSON_FIELD_NAMES = Object.keys(personFields) as readonly (keyof typeof personFields)[];

/** A roster addition naming a person of the registry by id (the API): no details then, they are the registry's. */
export const rosterAddByIdSchema = z.object({
  personId: z
    .string({ required_error: msg.required })
    .transform((v, ctx) => {
      const n = idFrom(v);
      if (n === null) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: msg.choice });
        return z.NEVER;
      }
      return n;
    }),
  eventRole: rosterAddSchema.shape.eventRole,
  status: rosterAddSchema.shape.status,
});

const ids = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
  .refine((v) => v.every((x) => idFrom(x) !== null), msg.choice)
  .transform((v) => [...new Set(v.map(Number))]);

export const bulkStatusSchema = z.object({
  registrationIds: ids,
  status: z.enum(REGISTRATION_STATUSES, { errorMap: () => ({ message: msg.choice }) }),
});

export const nominationSchema = z.object({ personIds: ids });
