import type { TFunction } from "i18next";
import { renderEmail, type EmailContent } from "./layout";

/** Password reset, and invitation to an account (both a one-time link to choose a password). */
export function accountLinkEmail(
  data: { purpose: "reset" | "invite"; name: string; url: string; validFor: string; invitedBy?: string; role?: string },
  t: TFunction,
  locale: { lang: string; dir: "ltr" | "rtl" },
): EmailContent {
  const key = data.purpose === "reset" ? "email.reset" : "email.invite";
  const subject = t(`${key}.subject`);
  return renderEmail({
    ...locale,
    subject,
    heading: t(`${key}.heading`, { name: data.name }),
    blocks: [
      { kind: "paragraph", text: t(`${key}.intro`, { name: data.name, invitedBy: data.invitedBy, role: data.role }) },
      { kind: "button", label: t(`${key}.action`), url: data.url },
      { kind: "note", text: t(`${key}.validity`, { validFor: data.validFor }) },
      { kind: "note", text: t(`${key}.ignore`) },
    ],
    footer: t("email.footer"),
  });
}
