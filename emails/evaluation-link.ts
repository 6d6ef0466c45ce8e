import type { TFunction } from "i18next";
import type { AccessTarget } from "~/lib/evaluation-access";
import { renderEmail, type EmailContent } from "./layout";

/**
 * A personal link to one phase of an event's knowledge test or to its feedback form, sent by a
 * coordinator to a confirmed participant without an account. The link works without signing in,
 * for this person and this test or form only, until it expires. Essential to taking part (no
 * preferences link): it goes only when a coordinator sends it.
 */
export function evaluationLinkEmail(
  data: { name: string; eventTitle: string; dates: string; target: AccessTarget; url: string; expires: string },
  t: TFunction,
  locale: { lang: string; dir: "ltr" | "rtl" },
): EmailContent {
  const vars = { name: data.name, event: data.eventTitle, dates: data.dates, expires: data.expires };
  return renderEmail({
    ...locale,
    subject: t(`evaluationEmail.subject.${data.target}`, vars),
    heading: t(`evaluationEmail.heading.${data.target}`, vars),
    blocks: [
      { kind: "paragraph", text: t(`evaluationEmail.body.${data.target}`, vars) },
      { kind: "button", label: t(`evaluationEmail.action.${data.target}`), url: data.url },
      { kind: "note", text: t("evaluationEmail.personal", vars) },
    ],
    footer: t("email.footer"),
  });
}
