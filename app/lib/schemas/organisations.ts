import { z } from "zod";
import { ORGANISATION_KINDS } from "../domain";
import { msg, optionalText, requiredText } from "../forms";
import { isCountryCode } from "../zoned";

export const organisationSchema = z.object({
  name: requiredText(200),
  acronym: optionalText(40),
  kind: z.enum(ORGANISATION_KINDS, { errorMap: () => ({ message: msg.choice }) }),
  /** ISO 3166-1 alpha-2, optional (an international donor may have none) */
  country: z
    .string()
    .trim()
    .max(10, "organisations.errors.country")
    .optional()
    .transform((v) => (v ? v.toUpperCase() : null))
    .refine((v) => v === null || isCountryCode(v), "organisations.errors.country"),
});

export type OrganisationInput = z.infer<typeof organisationSchema>;

/** The list's filter (GET ?kind=): anything unknown means "all kinds". */
export const organisationFiltersSchema = z.object({
  kind: z.enum(ORGANISATION_KINDS).optional().catch(undefined),
  page: z.coerce.number().int().positive().max(100000).catch(1),
});
