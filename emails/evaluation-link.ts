import type { TFunction } from "i18next";
import { sessionIdOf, type AccessTarget, type EventTarget } from "~/lib/evaluation-access";
import { renderEmail, type EmailContent } from "./layout";

/**
 * A personal link to one phase of an event's knowledge test, to its feedback form or to one
 * session's feedback form, sent by a coordinator to a confirmed participant without an account. The link works without signing in,
 * for this person and this test or form only, until it expires. Essential to taking part (no
 * preferences link): it goes only when a coordinator sends it.
 */
export function evaluationLinkEmail(
  data: { name: string; eventTitle: string; dates: string; target: AccessTarget; sessionTitle: string | null; url: string; expires: string },
  t: TFunction,
  locale: { lang: string; dir: "ltr" | "rtl" },
): EmailContent {
  const vars = { name: data.name, event: data.eventTitle, dates: data.dates, expires: data.expires, session: data.sessionTitle ?? "" };
  // every session's form reads the same, naming its session
  const kind: EventTarget | "session" = sessionIdOf(data.target) !== null ? "session" : (data.target as EventTarget);
  return renderEmail({
    ...locale,
    subject: t(`evaluationEmail.subject.${kind}`, vars),
    heading: t(`evaluationEmail.heading.${kind}`, vars),
    blocks: [
      { kind: "paragraph", text: t(`evaluationEmail.body.${kind}`, vars) },
      { kind: "button", label: t(`evaluationEmail.action.${kind}`), url: data.url },
      { kind: "note", text: t("evaluationEmail.personal", vars) },
    ],
    // sent to people on a roster, with or without an account
    footer: t("email.footerParticipant"),
  });
}
