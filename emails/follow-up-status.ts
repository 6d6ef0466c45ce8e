import type { TFunction } from "i18next";
import type { FollowUpStatus } from "../app/lib/domain";
import { renderEmail, type EmailContent, type EmailBlock } from "./layout";

/**
 * "Your follow-up request has moved on": sent to the requester (the person who filed it and the
 * focal points of the requesting agency) each time a coordinator changes the request's status.
 * The coordinator's comment, if any, travels with it; the button leads to the request's page.
 */
export function followUpStatusEmail(
  data: {
    name: string;
    title: string;
    organisation: string;
    from: FollowUpStatus;
    /** every request starts "received": it is never a status one moves to */
    to: Exclude<FollowUpStatus, "received">;
    comment: string | null;
    author: string;
    url: string;
  },
  t: TFunction,
  locale: { lang: string; dir: "ltr" | "rtl" },
): EmailContent {
  const vars = {
    name: data.name,
    title: data.title,
    organisation: data.organisation,
    from: t(`followUpStatus.${data.from}`),
    to: t(`followUpStatus.${data.to}`),
    author: data.author,
    comment: data.comment ?? "",
  };
  const blocks: EmailBlock[] = [
    { kind: "paragraph", text: t("followUpEmail.body", vars) },
    { kind: "paragraph", text: t(`followUpEmail.next.${data.to}`, vars) },
  ];
  if (data.comment) blocks.push({ kind: "paragraph", text: t("followUpEmail.comment", vars) });
  blocks.push({ kind: "button", label: t("followUpEmail.action"), url: data.url });
  return renderEmail({
    ...locale,
    subject: t("followUpEmail.subject", vars),
    heading: t("followUpEmail.heading", vars),
    blocks,
    footer: t("email.footer"),
  });
}
