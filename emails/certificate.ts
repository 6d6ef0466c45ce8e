import type { TFunction } from "i18next";
import { renderEmail, type EmailContent } from "./layout";

/**
 * "Your certificate is ready": sent when a certificate of completion is issued (or issued again
 * after a revocation, with a new code). With an account, the button leads to the person's page,
 * where the PDF is; without one (`url` null) there is no such page: the email says what is true —
 * the certificate is issued and verifiable — and its button opens the public verification page.
 */
export function certificateEmail(
  data: { name: string; eventTitle: string; dates: string; place: string; url: string | null; code: string; verifyUrl: string },
  t: TFunction,
  locale: { lang: string; dir: "ltr" | "rtl" },
): EmailContent {
  const vars = { name: data.name, event: data.eventTitle, dates: data.dates, place: data.place, code: data.code, verifyUrl: data.verifyUrl };
  return renderEmail({
    ...locale,
    subject: t("certificateEmail.subject", vars),
    heading: t("certificateEmail.heading", vars),
    blocks: [
      { kind: "paragraph", text: t(data.url ? "certificateEmail.body" : "certificateEmail.bodyNoAccount", vars) },
      { kind: "paragraph", text: data.place ? t("certificateEmail.when", vars) : data.dates },
      data.url
        ? { kind: "button", label: t("certificateEmail.action"), url: data.url }
        : { kind: "button", label: t("certificateEmail.actionNoAccount"), url: data.verifyUrl },
      { kind: "note", text: t("certificateEmail.verify", vars) },
    ],
    footer: t("email.footer"),
  });
}
