import type { TFunction } from "i18next";
import { renderEmail, type EmailBlock, type EmailContent } from "./layout";

export type ReminderKind = "week" | "day";

/** A day of the timetable as the email shows it: the day, then each session's time, title and room. */
export type TimetableDay = { label: string; rows: { time: string; title: string; detail?: string }[] };

/**
 * "Your training starts in a week / tomorrow": sent to each confirmed participant and facilitator
 * with the timetable (times in the EVENT's zone, the zone named) and the sessions as an .ics file.
 * A reminder is not essential: it carries the link that turns reminders off.
 */
export function eventReminderEmail(
  kind: ReminderKind,
  data: {
    name: string;
    eventTitle: string;
    /** the first day, written out in the recipient's language */
    date: string;
    place: string;
    /** the event's zone as shown next to times, e.g. "Nassau (EST)" */
    zone: string;
    timetable: TimetableDay[];
    sessionCount: number;
    url: string;
    /** where reminders are turned off (a link scoped to the person when they have no account) */
    preferencesUrl: string;
  },
  t: TFunction,
  locale: { lang: string; dir: "ltr" | "rtl" },
): EmailContent {
  const vars = { name: data.name, event: data.eventTitle, date: data.date, place: data.place, zone: data.zone };
  const timetable: EmailBlock[] =
    data.sessionCount > 0
      ? [
          { kind: "paragraph", text: t("reminderEmail.timetable", { ...vars, count: data.sessionCount }) },
          { kind: "schedule", days: data.timetable },
          { kind: "note", text: t("reminderEmail.calendarNote") },
        ]
      : [{ kind: "paragraph", text: t("reminderEmail.noSessions") }];
  return renderEmail({
    ...locale,
    subject: t(kind === "week" ? "reminderEmail.subjectWeek" : "reminderEmail.subjectDay", vars),
    heading: t(kind === "week" ? "reminderEmail.headingWeek" : "reminderEmail.headingDay", vars),
    blocks: [
      { kind: "paragraph", text: t(data.place ? "reminderEmail.introWithPlace" : "reminderEmail.intro", vars) },
      ...timetable,
      { kind: "button", label: t("reminderEmail.action"), url: data.url },
    ],
    footer: t("reminderEmail.footer", vars),
    preferences: { label: t("reminderEmail.stopReminders"), url: data.preferencesUrl },
  });
}
