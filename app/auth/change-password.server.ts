import { data } from "@remix-run/node";
import { z } from "zod";
import { redirectWithFlash } from "~/flash.server";
import { formValues, msg, parseForm, type FieldErrors } from "~/lib/forms";
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "~/lib/schemas/accounts";
import { AccountError, changePassword } from "~/models/accounts.server";
import { restrictionAtSignIn } from "~/models/second-factor.server";
import { startLoginAttempt, tooManyRequests } from "./rate-limit.server";
import { createLoginSession, RESTRICTION_PAGES, type Actor } from "./session.server";

const changePasswordSchema = z
  .object({
    currentPassword: z.string({ required_error: msg.required }).min(1, msg.required).max(MAX_PASSWORD_LENGTH, msg.passwordLong),
    newPassword: z
      .string({ required_error: msg.required })
      .min(MIN_PASSWORD_LENGTH, msg.passwordShort)
      .max(MAX_PASSWORD_LENGTH, msg.passwordLong),
    confirmPassword: z.string({ required_error: msg.required }),
    /** a code of the second factor, where the user has one */
    code: z.string().max(100, msg.tooLong).optional(),
  })
  .refine((v) => v.newPassword === v.confirmPassword, { message: msg.passwordMismatch, path: ["confirmPassword"] });

/**
 * The change of one's own password, for /account and for /account/password (where a session
 * whose password the policy refuses is sent): the current password (counted like a sign-in
 * attempt), a code where the user has a second factor, a new password the policy accepts. Every
 * session ends; this browser carries on in a new one, restricted to enrolling a second factor when
 * the role requires one and there is none. A refusal answers 400 with the form's values (not the secrets).
 */
export async function changeOwnPassword(request: Request, actor: Actor, formData: FormData, done: string) {
  const parsed = parseForm(formData, changePasswordSchema);
  if (!parsed.ok) return data({ ...parsed, values: valuesWithoutCode(formData) }, { status: 400 });
  // a wrong current password is a password guess: it counts like a failed sign-in from this address
  const attempt = await startLoginAttempt(actor.user.email, actor.ip);
  if (!attempt.allowed) throw tooManyRequests(attempt.retryAfterSeconds);
  try {
    const user = await changePassword(actor, parsed.data);
    await attempt.succeeded();
    // every session ended, this one too: carry on in a brand-new one
    const restriction = await restrictionAtSignIn(user, false);
    const cookie = await createLoginSession(user, request, restriction);
    return await redirectWithFlash(restriction ? RESTRICTION_PAGES[restriction] : done, "flash.passwordChanged", { headers: { "Set-Cookie": cookie } });
  } catch (error) {
    if (error instanceof AccountError) {
      if (error.field !== "currentPassword") await attempt.succeeded();
      return data({ ok: false as const, errors: { [error.field]: error.messageKey } as FieldErrors, values: valuesWithoutCode(formData) }, { status: 400 });
    }
    throw error;
  }
}

/** What a refused form gets back: what was typed, but no secret (passwords, nor a second-factor code). */
export function valuesWithoutCode(formData: FormData): Record<string, string> {
  const { code: _code, ...values } = formValues(formData);
  return values;
}
