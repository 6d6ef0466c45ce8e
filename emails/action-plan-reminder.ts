import type { TFunction } from "i18next";
import { renderEmail, type EmailBlock, type EmailContent } from "./layout";

/** Open items listed in the email; the rest are counted ("and 3 more"). */
const ITEMS_SHOWN = 5;

/**
 * "How is your action plan going?": the check-in sent N days after an event (30, 60, 90 by default)
 * to each member of a plan that still has open items. Lists the open items and links to the plan;
 * a reminder, not an essential email, so it carries the link that turns reminders off.
 */
export function actionPlanReminderEmail(
  data: {
    name: string;
    eventTitle: string;
    days: number;
    openItems: { action: string; targetDate: string | null }[];
    url: string;
    /** where reminders are turned off (a link scoped to the person when they have no account) */
    preferencesUrl: string;
  },
  t: TFunction,
  locale: { lang: string; dir: "ltr" | "rtl" },
): EmailContent {
  const vars = { name: data.name, event: data.eventTitle };
  const open = data.openItems.length;
  const items: EmailBlock[] = data.openItems.slice(0, ITEMS_SHOWN).map((item) => ({
    kind: "note",
    text: item.targetDate
      ? t("actionPlanEmail.itemWithDate", { action: item.action, date: item.targetDate })
      : t("actionPlanEmail.item", { action: item.action }),
  }));
  if (open > ITEMS_SHOWN) items.push({ kind: "note", text: t("actionPlanEmail.more", { count: open - ITEMS_SHOWN }) });
  return renderEmail({
    ...locale,
    subject: t("actionPlanEmail.subject", vars),
    heading: t("actionPlanEmail.heading"),
    blocks: [
      { kind: "paragraph", text: t("actionPlanEmail.body", { ...vars, count: data.days }) },
      { kind: "paragraph", text: t("actionPlanEmail.openItems", { count: open }) },
      ...items,
      { kind: "paragraph", text: t("actionPlanEmail.ask") },
      { kind: "button", label: t("actionPlanEmail.action"), url: data.url },
    ],
    footer: t("actionPlanEmail.footer"),
    preferences: { label: t("actionPlanEmail.stopReminders"), url: data.preferencesUrl },
  });
}
