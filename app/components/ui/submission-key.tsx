import { SUBMISSION_KEY_FIELD } from "~/lib/submission-key";

/**
 * The hidden one-time key of a create form. `value` comes from the page's loader (the same on the
 * server and in the browser, and the same for every resend of this form until the page loads
 * again); a failed submission stores nothing, so retrying it with the same key still creates.
 *
 * A create form that stays on its page after success is also keyed by it (`<Form key={formKey}>`):
 * the page loads again with a new key, so React renders the form anew and empty, and a second click
 * cannot resend the first entry's values.
 */
export function SubmissionKey({ value }: { value: string }) {
  return <input type="hidden" name={SUBMISSION_KEY_FIELD} value={value} />;
}
