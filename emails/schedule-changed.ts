import type { TFunction } from "i18next";
import { renderEmail, type EmailBlock, type EmailContent } from "./layout";

export type ScheduleChangeKind = "created" | "updated" | "deleted";

/**
 * "The timetable has changed": a session added, moved or removed, with the before and after times
 * in the EVENT's zone (named), and the updated timetable attached as .ics. Essential: always sent,
 * so no link to turn it off.
 */
export function scheduleChangedEmail(
  data: {
    name: string;
    eventTitle: string;
    change: {
      kind: ScheduleChangeKind;
      title: string;
      /** the session's former title, when it was renamed */
      previousTitle?: string;
      /** "Tuesday 9 March 2027, 9:00 – 10:30 AM, Room A" */
      before?: string;
      after?: string;
      /** several sessions added at once, each with its slot: listed one after the other */
      added?: { title: string; when: string }[];
    };
    /** the event's zone as shown next to times, e.g. "Nassau (EST)" */
    zone: string;
    url: string;
  },
  t: TFunction,
  locale: { lang: string; dir: "ltr" | "rtl" },
): EmailContent {
  const vars = { name: data.name, event: data.eventTitle, zone: data.zone };
  const { change } = data;
  const details: EmailBlock[] = change.added
    ? change.added.flatMap((s): EmailBlock[] => [
        { kind: "paragraph", text: t("scheduleEmail.created", { title: s.title }) },
        { kind: "paragraph", text: s.when },
      ])
    : [{ kind: "paragraph", text: t(`scheduleEmail.${change.kind}`, { title: change.title }) }];
  if (change.previousTitle && change.previousTitle !== change.title) {
    details.push({ kind: "note", text: t("scheduleEmail.renamed", { title: change.previousTitle }) });
  }
  if (change.kind === "created" && change.after && !change.added) details.push({ kind: "paragraph", text: change.after });
  if (change.kind === "deleted" && change.before) details.push({ kind: "paragraph", text: change.before });
  if (change.kind === "updated") {
    if (change.before && change.after && change.before !== change.after) {
      details.push({ kind: "note", text: t("scheduleEmail.before", { when: change.before }) });
      details.push({ kind: "paragraph", text: t("scheduleEmail.now", { when: change.after }) });
    } else if (change.after) {
      details.push({ kind: "paragraph", text: change.after });
    }
  }
  return renderEmail({
    ...locale,
    subject: t("scheduleEmail.subject", vars),
    heading: t("scheduleEmail.heading", vars),
    blocks: [
      { kind: "paragraph", text: t("scheduleEmail.intro", vars) },
      ...details,
      { kind: "note", text: t("scheduleEmail.zoneNote", vars) },
      { kind: "note", text: t("scheduleEmail.calendarNote") },
      { kind: "button", label: t("scheduleEmail.action"), url: data.url },
    ],
    footer: t("scheduleEmail.footer", vars),
  });
}
