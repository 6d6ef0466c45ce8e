import type { TFunction } from "i18next";
import { renderEmail, type EmailContent } from "./layout";

/**
 * "Your webhook was paused": sent to a subscription's owner when its deliveries failed too many
 * times in a row. Names the subscription, its address and the last error; the button leads to its
 * page, where it can be resumed and failed deliveries retried.
 */
export function webhookDisabledEmail(
  data: { name: string; subscription: string; url: string; failures: number; lastError: string; link: string },
  t: TFunction,
  locale: { lang: string; dir: "ltr" | "rtl" },
): EmailContent {
  const vars = { name: data.name, subscription: data.subscription, url: data.url, count: data.failures, error: data.lastError };
  return renderEmail({
    ...locale,
    subject: t("webhookEmail.subject", vars),
    heading: t("webhookEmail.heading", vars),
    blocks: [
      { kind: "paragraph", text: t("webhookEmail.body", vars) },
      { kind: "note", text: t("webhookEmail.lastError", vars) },
      { kind: "paragraph", text: t("webhookEmail.next", vars) },
      { kind: "button", label: t("webhookEmail.action"), url: data.link },
    ],
    footer: t("email.footer"),
  });
}
