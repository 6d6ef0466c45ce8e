import { z } from "zod";
import { LOCALES, ROLES } from "../domain";
import { emailField, msg, requiredText } from "../forms";
import { idFrom } from "../params";

/** New passwords (ASVS 5.0 6.2.1); their strength is checked on the server (app/auth/password-strength.server.ts). */
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

const newPassword = z
  .string({ required_error: msg.required })
  .min(MIN_PASSWORD_LENGTH, msg.passwordShort)
  .max(MAX_PASSWORD_LENGTH, msg.passwordLong);

export const loginSchema = z.object({
  email: emailField,
  password: z.string({ required_error: msg.required }).min(1, msg.required).max(MAX_PASSWORD_LENGTH, msg.passwordLong),
  redirectTo: z.string().max(2000).optional(),
});

export const forgotPasswordSchema = z.object({ email: emailField });

export const setPasswordSchema = z
  .object({ password: newPassword, confirmPassword: z.string({ required_error: msg.required }) })
  .refine((v) => v.password === v.confirmPassword, { message: msg.passwordMismatch, path: ["confirmPassword"] });

export const setupSchema = z
  .object({
    name: requiredText(120),
    email: emailField,
    password: newPassword,
    confirmPassword: z.string({ required_error: msg.required }),
  })
  .refine((v) => v.password === v.confirmPassword, { message: msg.passwordMismatch, path: ["confirmPassword"] });

const organisationId = z
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
  });

const role = z.enum(ROLES, { errorMap: () => ({ message: msg.choice }) });

export const inviteUserSchema = z.object({
  name: requiredText(120),
  email: emailField,
  role,
  organisationId,
  /** the language of the invitation email and, until they change it, of their pages */
  locale: z.enum(LOCALES, { errorMap: () => ({ message: msg.choice }) }),
});

export const updateUserSchema = z.object({
  name: requiredText(120),
  role,
  organisationId,
});
