import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireActor } from "~/auth/session.server";
import { translator } from "~/i18n";
import { pickLocale, remixI18n } from "~/i18n.server";
import { countryName, placeLine, formatDay, formatDayRange, formatNumber, formatTimeRange, zoneLabel } from "~/lib/format";
import { idParam } from "~/lib/params";
import { addPage, contentBox, createPdf, pageFooters, pdfBuffer, pdfResponse, rule, table, text, type TableColumn } from "~/lib/pdf.server";
import { zonedToUtc } from "~/lib/zoned";
import { getEventHeader } from "~/models/events.server";
import { getRoster, recordSignInSheetExport } from "~/models/registrations.server";
import { eventDays, listSessions } from "~/models/sessions.server";
import { attendanceGrid } from "~/models/attendance.server";

/** With more sessions than this in a day, one signature for the day instead of one per session. */
const MAX_SESSION_COLUMNS = 4;
/** Empty lines at the end of the participants' table, for someone missing from the list. */
const EMPTY_LINES = 3;

/**
 * /events/:id/sign-in-sheet.pdf (?day=YYYY-MM-DD for one day): the printed sheet participants
 * sign in the training room, one section per day, each starting on a new page. It lists people,
 * so it is for admins and coordinators, and for facilitators who teach a session of the event
 * (the roster's own rule, getRoster). Partners are refused outright: the sheet lists every
 * agency's officers, not only theirs. Every export is audited.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request, ["admin", "coordinator", "facilitator"]);
  const eventId = idParam(params.eventId);
  const { t, lang, dir } = translator(pickLocale(actor.user.locale, await remixI18n.getLocale(request)));
  const requestedDay = new URL(request.url).searchParams.get("day");
  if (requestedDay !== null && !/^\d{4}-\d{2}-\d{2}$/.test(requestedDay)) {
    throw new Response(t("signInSheet.badDay"), { status: 400 });
  }

  const event = await getEventHeader(actor.user, eventId); // 404: unknown, or not the user's to see
  const participants = (await getRoster(actor.user, eventId, { eventRole: "participant", status: "confirmed" })).rows; // 403: a facilitator who teaches none of it
  const rosterFacilitators = (await getRoster(actor.user, eventId, { eventRole: "facilitator", status: "confirmed" })).rows;
  const { days, sessions } = await listSessions(actor.user, eventId);
  // attendance already recorded is printed in the session's column (the sheet of a day that was held)
  const recorded = new Map((await attendanceGrid(actor.user, eventId)).marks.map((m) => [`${m.registrationId}:${m.sessionId}`, m.status]));

  // Days with sessions; an event without a timetable yet gets a sheet for each of its days.
  const withSessions = days.filter((d) => sessions.some((s) => s.day === d));
  let printed = withSessions.length > 0 ? withSessions : eventDays(event.startDate, event.endDate);
  if (requestedDay !== null) {
    if (!days.includes(requestedDay)) throw new Response(t("signInSheet.badDay"), { status: 404 });
    printed = [requestedDay];
  }
  const sessionsOf = (day: string) => sessions.filter((s) => s.day === day);
  const signatureColumns = (day: string) => {
    const n = sessionsOf(day).length;
    return n >= 1 && n <= MAX_SESSION_COLUMNS ? n : 1;
  };
  // several signature columns need the width of a landscape page
  const layout = printed.some((d) => signatureColumns(d) > 1) ? "landscape" : "portrait";

  const doc = createPdf({
    title: t("signInSheet.documentTitle", { event: event.title }),
    subject: t("signInSheet.subject", { event: event.title, dates: formatDayRange(event.startDate, event.endDate, lang) }),
    lang,
    dir,
    layout,
  });
  const place = placeLine([event.venue, event.locality, countryName(event.country, lang)]);
  const number = (n: number) => formatNumber(n, lang);
  const dayStarts: { page: number; label: string }[] = [];

  printed.forEach((day, index) => {
    if (index > 0) addPage(doc);
    const dayLabel = formatDay(day, lang, "long");
    dayStarts.push({ page: doc.bufferedPageRange().count - 1, label: t("signInSheet.footer", { event: event.title, day: dayLabel }) });
    const daySessions = sessionsOf(day);
    const zoneAt = daySessions[0] ? new Date(daySessions[0].startsAt) : zonedToUtc(day, "12:00", event.timeZone);

    text(doc, t("signInSheet.title"), { size: 9, bold: true, color: "#444444" });
    text(doc, event.title, { size: 15, bold: true, lineHeight: 1.3 });
    text(doc, [dayLabel, place].filter(Boolean).join(" · "), { size: 10.5 });
    doc.y += 2;
    rule(doc, 8);
    if (daySessions.length > 0) {
      text(doc, `${t("signInSheet.sessions")} — ${t("signInSheet.timesIn", { zone: zoneLabel(event.timeZone, zoneAt, lang) })}`, { size: 9, bold: true });
      daySessions.forEach((s, i) => {
        const values = { n: number(i + 1), time: formatTimeRange(s.startsAt, s.endsAt, event.timeZone, lang), title: s.title, room: s.room ?? "" };
        text(doc, s.room ? t("signInSheet.sessionLineRoom", values) : t("signInSheet.sessionLine", values), { size: 9 });
      });
    } else {
      text(doc, t("signInSheet.noSessions"), { size: 9 });
    }
    const columnCount = signatureColumns(day);
    const perSession = daySessions.length >= 1 && daySessions.length <= MAX_SESSION_COLUMNS;
    doc.y += 3;
    const howToSign = perSession ? t("signInSheet.signEachSession") : daySessions.length > 0 ? t("signInSheet.signOnce") : "";
    text(doc, [howToSign, t("signInSheet.notListed")].filter(Boolean).join(" "), { size: 8.5, color: "#444444" });
    doc.y += 8;
    const signatureHeaders = perSession
      ? daySessions.map((s, i) => t("signInSheet.columns.session", { n: number(i + 1), time: formatTimeRange(s.startsAt, s.endsAt, event.timeZone, lang) }))
      : [t("signInSheet.columns.signature")];
    const width = contentBox(doc).width;
    // about 3 cm to sign in; the rest for who the person is, the organisation's name being the longest
    const signatureWidth = columnCount === 1 ? Math.max(140, width * 0.26) : Math.min(110, (width - 400) / columnCount);
    const rest = width - 26 - signatureWidth * columnCount;
    const columns: TableColumn[] = [
      { header: t("signInSheet.columns.number"), width: 26, align: "center" },
      { header: t("signInSheet.columns.name"), width: rest * 0.3 },
      { header: t("signInSheet.columns.organisation"), width: rest * 0.45 },
      { header: t("signInSheet.columns.roleCategory"), width: rest * 0.25 },
      ...signatureHeaders.map((header) => ({ header, width: signatureWidth, signature: true })),
    ];
    const blanks = signatureHeaders.map(() => "");
    const continued = () => {
      text(doc, t("signInSheet.continued", { event: event.title, day: dayLabel }), { size: 9, bold: true, color: "#444444" });
      doc.y += 4;
    };

    text(doc, t("signInSheet.participants", { total: number(participants.length) }), { size: 11, bold: true });
    doc.y += 3;
    if (participants.length === 0) text(doc, t("signInSheet.noParticipants"), { size: 9 });
    table(doc, {
      columns,
      rows: [
        ...participants.map((p, i) => [
          number(i + 1),
          `${p.givenName} ${p.familyName}`,
          p.organisationName ?? "",
          p.roleCategory ? t(`roleCategory.${p.roleCategory}` as "roleCategory.other", { defaultValue: p.roleCategory }) : "",
          ...(perSession
            ? daySessions.map((s) => {
                const status = recorded.get(`${p.id}:${s.id}`);
                return status ? t(`attendanceStatus.${status}`) : "";
              })
            : blanks),
        ]),
        ...Array.from({ length: EMPTY_LINES }, () => ["", "", "", "", ...blanks]),
      ],
      size: 8.5,
      minRowHeight: 26,
      onNewPage: continued,
    });

    // Facilitators sign too: those on the roster, and whoever teaches a session of the day.
    const names = new Set(rosterFacilitators.map((f) => normalise(`${f.givenName} ${f.familyName}`)));
    const teaching = [...new Set(daySessions.flatMap((s) => s.facilitators ?? []))].filter((name) => !names.has(normalise(name)));
    const facilitators = [
      ...rosterFacilitators.map((f) => ({ name: `${f.givenName} ${f.familyName}`, organisation: f.organisationName ?? "" })),
      ...teaching.map((name) => ({ name, organisation: "" })),
    ];
    if (facilitators.length > 0) {
      doc.y += 14;
      if (doc.y + 80 > contentBox(doc).bottom) {
        addPage(doc);
        continued();
      }
      text(doc, t("signInSheet.facilitators", { total: number(facilitators.length) }), { size: 11, bold: true });
      doc.y += 3;
      table(doc, {
        columns,
        rows: facilitators.map((f, i) => [number(i + 1), f.name, f.organisation, t("eventRole.facilitator"), ...blanks]),
        size: 8.5,
        minRowHeight: 26,
        onNewPage: continued,
      });
    }
  });

  pageFooters(doc, (page, pages) => ({
    start: [...dayStarts].reverse().find((d) => d.page <= page - 1)?.label,
    end: t("signInSheet.page", { page: number(page), pages: number(pages) }),
  }));
  const body = await pdfBuffer(doc);

  // a sign-in sheet is an export of personal data: who printed which event, which days, how many people
  await recordSignInSheetExport(actor, eventId, { days: printed, participants: participants.length, facilitators: rosterFacilitators.length, locale: lang });
  return pdfResponse(`sign-in-sheet-event-${eventId}${requestedDay ? `-${requestedDay}` : ""}.pdf`, body);
}

function normalise(name: string) {
  return name.normalize("NFKC").trim().replace(/\s+/g, " ").toLowerCase();
}
