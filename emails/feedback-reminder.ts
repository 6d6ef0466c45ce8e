import type { TFunction } from "i18next";
import { renderEmail, type EmailContent } from "./layout";

/**
 * "Tell us what you thought of the training": the one reminder a coordinator may send to the
 * confirmed participants who have not answered the event's feedback form yet. It says that the
 * answers are anonymous and leads to the form: the participant's page (signing in first) or, for
 * someone on the roster without an account, their own personal link (personalLinkExpires set).
 * A reminder is not essential: it carries the link that turns reminders off.
 */
export function feedbackReminderEmail(
  data: { name: string; eventTitle: string; dates: string; url: string; personalLinkExpires?: string | null; preferencesUrl: string },
  t: TFunction,
  locale: { lang: string; dir: "ltr" | "rtl" },
): EmailContent {
  const vars = { name: data.name, event: data.eventTitle, dates: data.dates };
  return renderEmail({
    ...locale,
    subject: t("feedbackEmail.subject", vars),
    heading: t("feedbackEmail.heading", vars),
    blocks: [
      { kind: "paragraph", text: t("feedbackEmail.body", vars) },
      { kind: "paragraph", text: t("feedbackEmail.anonymous") },
      { kind: "button", label: t("feedbackEmail.action"), url: data.url },
      ...(data.personalLinkExpires ? [{ kind: "note" as const, text: t("feedbackEmail.personal", { expires: data.personalLinkExpires }) }] : []),
    ],
    // sent to people on a roster, with or without an account
    footer: t("email.footerParticipant"),
    preferences: { label: t("feedbackEmail.stopReminders"), url: data.preferencesUrl },
  });
}
