import { z } from "zod";

/**
 * Form parsing shared by every action: zod validates, and on failure the action returns 400 with
 * one message key per field (translated by the page) and the submitted values, so the form comes
 * back filled in. Secret fields are never echoed back.
 */
export type FieldErrors = Record<string, string>;
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
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? "form");
    if (!errors[field]) errors[field] = issue.message;
  }
  return { ok: false, errors, values: formValues(formData) };
}

/** Message keys (translated in the UI) used by the schemas. */
export const msg = {
  required: "errors.required",
  email: "errors.email",
  tooLong: "errors.tooLong",
  passwordShort: "errors.passwordShort",
  passwordLong: "errors.passwordLong",
  passwordMismatch: "errors.passwordMismatch",
  choice: "errors.choice",
} as const;

/** A trimmed, required, length-limited text field. */
export const requiredText = (max = 200) =>
  z
    .string({ required_error: msg.required, invalid_type_error: msg.required })
    .trim()
    .min(1, msg.required)
    .max(max, msg.tooLong);

export const optionalText = (max = 2000) =>
  z
    .string()
    .trim()
    .max(max, msg.tooLong)
    .optional()
    .transform((v) => (v ? v : null));

export const emailField = z
  .string({ required_error: msg.required, invalid_type_error: msg.required })
  .trim()
  .min(1, msg.required)
  .max(254, msg.tooLong)
  .email(msg.email)
  .transform((v) => v.toLowerCase());
