import type { TFunction } from "i18next";
import { renderEmail, type EmailContent } from "./layout";

export type RegistrationEmailKind = "received" | "confirmed" | "waitlisted" | "seatOffered" | "cancelled" | "declined" | "nominated";

/**
 * What a person hears about their place in an event: received (awaiting approval), confirmed,
 * waitlisted, a seat offered from the waitlist, cancelled, declined, and the notice to a nominee.
 * Someone without an account (rostered or nominated by others) has no Convene page: their email
 * carries the details and says whom to tell, with no link to a page they cannot open.
 */
export function registrationEmail(
  kind: RegistrationEmailKind,
  data: {
    name: string;
    eventTitle: string;
    dates: string;
    place: string;
    /** the person's page; null for a person without an account, who has none */
    url: string | null;
    /** whom to tell when they cannot come (the event's contact address), for a person without an account */
    contact?: string | null;
    nominatedBy?: string;
    /** the programme, times in the event's zone (sent with a confirmed seat) */
    timetable?: { days: { label: string; rows: { time: string; title: string; detail?: string }[] }[]; zone: string } | null;
  },
  t: TFunction,
  locale: { lang: string; dir: "ltr" | "rtl" },
): EmailContent {
  const key = `registrationEmail.${kind}` as const;
  const vars = { name: data.name, event: data.eventTitle, dates: data.dates, place: data.place, nominatedBy: data.nominatedBy ?? "" };
  return renderEmail({
    ...locale,
    subject: t(`${key}.subject`, vars),
    heading: t(`${key}.heading`, vars),
    blocks: [
      { kind: "paragraph", text: t(`${key}.body`, vars) },
      { kind: "paragraph", text: t("registrationEmail.when", vars) },
      ...(data.timetable
        ? [
            { kind: "paragraph" as const, text: t("registrationEmail.timetable", { zone: data.timetable.zone }) },
            { kind: "schedule" as const, days: data.timetable.days },
          ]
        : []),
      ...(data.url
        ? [
            { kind: "button" as const, label: t("registrationEmail.action"), url: data.url },
            { kind: "note" as const, text: t("registrationEmail.cancelNote") },
          ]
        : [
            {
              kind: "note" as const,
              text: data.contact ? t("registrationEmail.cancelNoteContact", { contact: data.contact }) : t("registrationEmail.cancelNoteNoAccount"),
            },
          ]),
    ],
    footer: t("email.footer"),
  });
}

/**
 * A public registration gave this address, which Convene already knows: nothing is registered
 * until the reader confirms through the link (whoever typed the form may not own the address).
 */
export function registrationConfirmationEmail(
  data: { name: string; eventTitle: string; dates: string; place: string; url: string; validFor: string },
  t: TFunction,
  locale: { lang: string; dir: "ltr" | "rtl" },
): EmailContent {
  const vars = { name: data.name, event: data.eventTitle, dates: data.dates, place: data.place, validFor: data.validFor };
  return renderEmail({
    ...locale,
    subject: t("registrationEmail.confirmRequest.subject", vars),
    heading: t("registrationEmail.confirmRequest.heading", vars),
    blocks: [
      { kind: "paragraph", text: t("registrationEmail.confirmRequest.body", vars) },
      { kind: "paragraph", text: t("registrationEmail.when", vars) },
      { kind: "button", label: t("registrationEmail.confirmRequest.action"), url: data.url },
      { kind: "note", text: t("registrationEmail.confirmRequest.validity", vars) },
      { kind: "note", text: t("registrationEmail.confirmRequest.ignore") },
    ],
    footer: t("email.footer"),
  });
}
