import { z } from "zod";

/**
 * Form parsing shared by every action: zod validates, and on failure the action returns 400 with
 * one message key per field (translated by the page) and the submitted values, so the form comes
 * back filled in. Secret fields are never echoed back.
 */
export type { FieldErrors } from "./form-messages";
import type { FieldErrors } from "./form-messages";
import { msg, tooLong } from "./form-messages";
import { MAX_ID } from "./params";
export { fieldMessage, FIRST_YEAR, isPlausibleYear, LAST_YEAR, messageParts, messageWith, msg, tooLong, yearMessage } from "./form-messages";

/**
 * An id chosen in a form (a select's option, a list's checkbox): anything else, from a number too
 * large for an id to junk, is a choice that was not offered, and its message says so.
 */
export const choiceId = z.coerce.number({ invalid_type_error: msg.choice }).int(msg.choice).positive(msg.choice).max(MAX_ID, msg.choice);
export type FormFailure = { ok: false; errors: FieldErrors; values: Record<string, string> };
export type FormSuccess<T> = { ok: true; data: T };

const SECRET_FIELDS = new Set(["password", "newPassword", "confirmPassword", "currentPassword"]);

export function formValues(formData: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of formData.entries()) {
    if (typeof value !== "string" || SECRET_FIELDS.has(key)) continue;
    // keep what the user typed, but never echo megabytes back into the page
    values[key] = value.length > 20000 ? value.slice(0, 20000) : value;
  }
  return values;
}

/** Like formValues, but keeps every value of a repeated field (checkbox groups) as a list. */
export function formValuesAll(formData: FormData): Record<string, string | string[]> {
  const values: Record<string, string | string[]> = {};
  for (const key of new Set(formData.keys())) {
    if (SECRET_FIELDS.has(key)) continue;
    const all = formData
      .getAll(key)
      .filter((v): v is string => typeof v === "string")
      .map((v) => (v.length > 20000 ? v.slice(0, 20000) : v));
    values[key] = all.length > 1 ? all : (all[0] ?? "");
  }
  return values;
}

export function parseForm<S extends z.ZodTypeAny>(
  formData: FormData,
  schema: S,
): FormSuccess<z.infer<S>> | FormFailure {
  const raw: Record<string, unknown> = {};
  for (const key of new Set(formData.keys())) {
    const all = formData.getAll(key).filter((v): v is string => typeof v === "string");
    raw[key] = all.length > 1 ? all : all[0];
  }
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true, data: result.data };
  const errors: FieldErrors = {};
  for (const issue of [...result.error.issues, ...crossFieldIssues(schema, raw)]) {
    const field = String(issue.path[0] ?? "form");
    if (!errors[field]) errors[field] = issue.message;
  }
  return { ok: false, errors, values: formValues(formData) };
}

class UnusableField extends Error {}

/**
 * zod runs an object's cross-field checks (end before start…) only once every field is valid, so
 * a form would report the order of its dates only after the other errors are fixed. When the
 * object fails, its checks are run here on the fields that are valid, so that all the errors come
 * in the first answer. A check that reads a field which is itself wrong stops there (it has
 * nothing to compare); the issues it raised before that are kept. Checks that follow a transform
 * of the whole object see other values and are left to zod.
 */
function crossFieldIssues(schema: z.ZodTypeAny, raw: Record<string, unknown>): z.ZodIssue[] {
  const refinements: ((value: unknown, ctx: z.RefinementCtx) => unknown)[] = [];
  let inner: z.ZodTypeAny = schema;
  while (inner instanceof z.ZodEffects) {
    const effect = inner._def.effect;
    if (effect.type === "refinement") refinements.unshift(effect.refinement);
    else refinements.length = 0;
    inner = inner._def.schema;
  }
  if (!(inner instanceof z.ZodObject) || refinements.length === 0) return [];
  const shape = inner.shape as Record<string, z.ZodTypeAny>;
  const valid: Record<string, unknown> = {};
  const wrong = new Set<string>();
  for (const [name, field] of Object.entries(shape)) {
    const parsed = field.safeParse(raw[name]);
    if (parsed.success) valid[name] = parsed.data;
    else wrong.add(name);
  }
  // every field valid: zod's own answer already holds whatever the checks say
  if (wrong.size === 0) return [];
  const value = new Proxy(valid, {
    get(target, name) {
      if (typeof name === "string" && wrong.has(name)) throw new UnusableField();
      return Reflect.get(target, name);
    },
  });
  const issues: z.ZodIssue[] = [];
  const ctx = {
    path: [],
    addIssue: (issue: z.IssueData) => issues.push({ ...issue, path: issue.path ?? [], message: issue.message ?? "" } as z.ZodIssue),
  };
  for (const refinement of refinements) {
    try {
      refinement(value, ctx as unknown as z.RefinementCtx);
    } catch (error) {
      if (!(error instanceof UnusableField)) throw error;
    }
  }
  return issues;
}

/** A trimmed, required, length-limited text field. */
export const requiredText = (max = 200) =>
  z
    .string({ required_error: msg.required, invalid_type_error: msg.required })
    .trim()
    .min(1, msg.required)
    .max(max, tooLong(max));

export const optionalText = (max = 2000) =>
  z
    .string()
    .trim()
    .max(max, tooLong(max))
    .optional()
    .transform((v) => (v ? v : null));

export const emailField = z
  .string({ required_error: msg.required, invalid_type_error: msg.required })
  .trim()
  .min(1, msg.required)
  .max(254, tooLong(254))
  .email(msg.email)
  .transform((v) => v.toLowerCase());
