/**
 * The messages of form errors, without the schemas that produce them: pages read them in the
 * browser, where the validation library (zod, used by the actions on the server) is not sent.
 */
export type FieldErrors = Record<string, string>;

/**
 * A message with values, carried in a form's errors as one string ("errors.tooLong|max=200"), so
 * that the page can say the limit. `fieldMessage` turns it into the user's words.
 */
export function messageWith(key: string, values: Record<string, string | number>) {
  return `${key}|${new URLSearchParams(Object.entries(values).map(([k, v]) => [k, String(v)]))}`;
}

export function messageParts(message: string): { key: string; values: Record<string, string> } {
  const at = message.indexOf("|");
  if (at === -1) return { key: message, values: {} };
  return { key: message.slice(0, at), values: Object.fromEntries(new URLSearchParams(message.slice(at + 1))) };
}

/** A field's error, translated with its values; `t` is the page's translation function (from any namespace). */
export function fieldMessage(t: unknown, message: string): string {
  const { key, values } = messageParts(message);
  return (t as unknown as (key: string, values: Record<string, string>) => string)(key, values);
}

/** "At most 200 characters." */
export const tooLong = (max: number) => messageWith(msg.tooLong, { max });

/** Years a training can plausibly fall in: a typo (1900, 20226) is refused with a clear message. */
export const FIRST_YEAR = 2000;
export const LAST_YEAR = 2100;

/** A YYYY-MM-DD day whose year is plausible for a training (FIRST_YEAR to LAST_YEAR). */
export function isPlausibleYear(day: string) {
  const year = Number(day.slice(0, 4));
  return year >= FIRST_YEAR && year <= LAST_YEAR;
}

export const yearMessage = () => messageWith("errors.year", { first: FIRST_YEAR, last: LAST_YEAR });

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

