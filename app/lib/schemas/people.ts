import { z } from "zod";
import { ROLE_CATEGORIES, SEXES } from "../domain";
import { emailField, msg, optionalText, requiredText } from "../forms";
import { isCountryCode } from "../zoned";
import { idFrom } from "../params";

const optionalChoice = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .optional()
    .transform((v) => (v ? v : null))
    .refine((v): v is T[number] | null => v === null || (values as readonly string[]).includes(v), msg.choice);

/** The fields coordinators need about a person (DOMAIN.md, Person). */
export const personFields = {
  givenName: requiredText(100),
  familyName: requiredText(100),
  email: z
    .string()
    .trim()
    .optional()
    .transform((v) => v ?? "")
    .pipe(z.union([z.literal(""), emailField], { errorMap: () => ({ message: msg.email }) }))
    .transform((v) => (v ? v : null)),
  phone: optionalText(50),
  sex: optionalChoice(SEXES),
  organisationId: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (!v) return null;
      const n = idFrom(v);
      if (n === null) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: msg.choice });
        return z.NEVER;
      }
      return n;
    }),
  position: optionalText(200),
  roleCategory: optionalChoice(ROLE_CATEGORIES),
  nationality: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v.toUpperCase() : null))
    .refine((v) => v === null || isCountryCode(v), "errors.country"),
  dietaryNeeds: optionalText(500),
  accessibilityNeeds: optionalText(500),
};

export const personSchema = z.object(personFields);
export type PersonInput = z.infer<typeof personSchema>;
