import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useFetcher, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "~/lib/translation";
import { z } from "zod";
import { requireActor, requireUser } from "~/auth/session.server";
import { Button } from "~/components/ui/button";
import { EmptyState, Notice, TableFrame } from "~/components/ui/page";
import { redirectWithFlash } from "~/flash.server";
import { ATTENDANCE_STATUSES, type AttendanceStatus } from "~/lib/domain";
import { dayInZone, formatDateTime, formatDateTimeNamedZone, formatDay, formatNumber, formatTimeRange, zoneLabel } from "~/lib/format";
import { pageTitle } from "~/lib/meta";
import { idNumber, idFrom, idParam } from "~/lib/params";
import { attendanceRate, MARK_LETTERS, markOfLetter, NO_MARK } from "~/lib/attendance";
import { attendanceGrid, markAllPresent, recordAttendance, type AttendanceEntry } from "~/models/attendance.server";
import { FieldError } from "~/models/field-error.server";
import { readFormData } from "~/lib/form-data.server";

/** The translation namespaces this page uses besides the common ones (root.tsx) and its parents'. */
export const handle = { i18n: ["attendance", "attendanceStatus", "attendanceStatusShort", "errors"] };

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "attendance.title");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const eventId = idParam(params.eventId);
  const sessionParam = new URL(request.url).searchParams.get("session");
  // who recorded each mark is read only for a session being marked
  const detailed = sessionParam ? (await attendanceGrid(user, eventId)) : null;
  const { marks, participants, ...grid } = detailed ?? (await attendanceGrid(user, eventId, { markDetails: false }));
  const session = sessionParam ? grid.sessions.find((s) => String(s.id) === sessionParam) ?? null : null;
  // the overview needs only each mark's status: a letter per session for each participant (a
  // 40 × 12 grid is 40 short strings, not 480 objects); who recorded a mark, when and how is sent
  // for the session being marked
  const column = new Map(grid.sessions.map((s, i) => [s.id, i]));
  const letters = new Map(participants.map((p) => [p.registrationId, Array<string>(grid.sessions.length).fill(NO_MARK)]));
  for (const m of marks) {
    const row = letters.get(m.registrationId);
    const i = column.get(m.sessionId);
    if (row && i !== undefined) row[i] = MARK_LETTERS[m.status];
  }
  return {
    ...grid,
    participants: participants.map((p) => ({ ...p, marks: letters.get(p.registrationId)!.join("") })),
    sessionMarks: session && detailed ? detailed.marks.filter((m) => m.sessionId === session.id) : [],
    sessionId: session?.id ?? null,
    canExport: user.role === "admin" || user.role === "coordinator",
  };
}

const status = z.enum(ATTENDANCE_STATUSES);

/** Save one cell (autosave), a whole session's list, or mark everyone present. */
export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request, ["admin", "coordinator", "facilitator"]);
  const eventId = idParam(params.eventId);
  const form = await readFormData(request);
  const intent = form.get("intent");
  const sessionId = idFrom(form.get("sessionId"));
  if (sessionId === null) return data({ error: "attendance.errors.otherEvent" }, { status: 400 });
  try {
    if (intent === "all-present") {
      await markAllPresent(actor, eventId, sessionId);
      return await redirectWithFlash(`/events/${eventId}/attendance?session=${sessionId}`, "flash.attendanceSaved");
    }
    const entries: AttendanceEntry[] = [];
    if (intent === "cell") {
      const parsed = z
        .object({ registrationId: idNumber, status: status.or(z.literal("")) })
        .safeParse(Object.fromEntries(form));
      if (!parsed.success) return data({ error: "errors.choice" }, { status: 400 });
      entries.push({ registrationId: parsed.data.registrationId, sessionId, status: parsed.data.status || null });
      await recordAttendance(actor, eventId, entries);
      return data({ ok: true as const, error: null });
    }
    if (intent === "session") {
      for (const [key, value] of form.entries()) {
        const match = /^r-(\d+)$/.exec(key);
        if (!match) continue;
        const registrationId = idFrom(match[1]);
        const parsed = status.safeParse(value);
        if (registrationId === null || !parsed.success) return data({ error: "errors.choice" }, { status: 400 });
        entries.push({ registrationId, sessionId, status: parsed.data });
      }
      await recordAttendance(actor, eventId, entries);
      return await redirectWithFlash(`/events/${eventId}/attendance?session=${sessionId}`, "flash.attendanceSaved");
    }
  } catch (error) {
    if (error instanceof FieldError) return data({ error: error.messageKey, values: error.values }, { status: 400 });
    throw error;
  }
  return data({ error: "errors.unknownAction" }, { status: 400 });
}

const TONE: Record<AttendanceStatus, string> = {
  present: "bg-green-100 text-green-900",
  late: "bg-amber-100 text-amber-900",
  absent: "bg-red-100 text-red-900",
  excused: "bg-slate-200 text-slate-800",
};
/** the grid's marks: the same colours as short classes (app/tailwind.css), as a grid repeats them hundreds of times */
const MARK: Record<AttendanceStatus, string> = {
  present: "mark mark-present",
  late: "mark mark-late",
  absent: "mark mark-absent",
  excused: "mark mark-excused",
};

export default function Attendance() {
  const data = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const zone = zoneLabel(data.event.timeZone, new Date(`${data.event.startDate}T12:00:00Z`), locale);
  const actionData = useActionData<typeof action>();
  if (data.sessions.length === 0) return <EmptyState message={t("attendance.noSessions")} />;
  const session = data.sessions.find((s) => s.id === data.sessionId);
  const refusal = (actionData && "values" in actionData ? actionData.values : {}) as Record<string, string | number>;
  return (
    <div className="space-y-4">
      {actionData?.error ? (
        <Notice tone="error">
          {t(actionData.error as "attendance.errors.notStarted", {
            at: typeof refusal.opensAt === "number" ? formatDateTimeNamedZone(refusal.opensAt, data.event.timeZone, locale) : "",
          })}
        </Notice>
      ) : null}
      {session ? (
        // on a phone in the training room, the list to mark comes first; the other sessions after it
        <>
          <SessionMarking key={session.id} sessionId={session.id} />
          <details className="rounded-lg border border-slate-200 bg-white" data-testid="other-sessions">
            <summary className="cursor-pointer p-3 text-sm font-medium">{t("attendance.otherSessions")}</summary>
            <SessionPicker />
          </details>
        </>
      ) : (
        <>
          <SessionPicker />
          <Overview />
        </>
      )}
      <p className="text-xs text-slate-600">{t("attendance.timesIn", { zone })}</p>
    </div>
  );
}

function SessionPicker() {
  const data = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const days = new Map<string, typeof data.sessions>();
  for (const s of data.sessions) {
    const day = dayInZone(new Date(s.startsAt), data.event.timeZone);
    days.set(day, [...(days.get(day) ?? []), s]);
  }
  return (
    <nav aria-label={t("attendance.chooseSession")} className="rounded-lg border border-slate-200 bg-white p-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 className="text-lg font-semibold">{t("attendance.title")}</h2>
        <div className="flex flex-wrap gap-4">
          <Link to="?" className={`text-sm ${data.sessionId === null ? "font-semibold" : ""}`} aria-current={data.sessionId === null ? "page" : undefined}>
            {t("attendance.overview")}
          </Link>
          {data.canExport ? (
            <>
              <a href={`/events/${data.event.id}/attendance.csv`} download className="text-sm">
                {t("attendance.exportCsv")}
              </a>
              <a href={`/events/${data.event.id}/attendance.xlsx`} download className="text-sm">
                {t("attendance.exportXlsx")}
              </a>
            </>
          ) : null}
        </div>
      </div>
      <div className="mt-2 space-y-2">
        {[...days.entries()].map(([day, sessions]) => (
          <div key={day}>
            <p className="text-xs font-semibold uppercase text-slate-600">{formatDay(day, locale, "long")}</p>
            <ul className="mt-1 flex flex-wrap gap-2">
              {sessions.map((s) => (
                <li key={s.id}>
                  <Link
                    to={`?session=${s.id}`}
                    aria-current={data.sessionId === s.id ? "page" : undefined}
                    className={`inline-block rounded-md border px-3 py-2 text-sm no-underline hover:no-underline ${
                      data.sessionId === s.id ? "border-brand-700 bg-brand-700 text-white" : "border-slate-300 bg-white text-slate-800"
                    }`}
                  >
                    <span className="block font-medium">{formatTimeRange(new Date(s.startsAt), new Date(s.endsAt), data.event.timeZone, locale)}</span>
                    <span className="block max-w-48 truncate text-xs">{s.title}</span>
                    {s.open ? null : <span className="block text-xs italic">{t("attendance.notYetOpen")}</span>}
                  </Link>
                </li>
              ))}
            </ul>
          </div>
        ))}
      </div>
    </nav>
  );
}

/** Phone-first marking of one session: a row per participant, four big choices, autosaved. */
function SessionMarking({ sessionId }: { sessionId: number }) {
  const data = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const navigation = useNavigation();
  const session = data.sessions.find((s) => s.id === sessionId)!;
  const marks = new Map(data.sessionMarks.map((m) => [m.registrationId, m]));
  const stats = data.perSession.find((p) => p.sessionId === sessionId)!;
  if (data.participants.length === 0) return <EmptyState message={t("attendance.noParticipants")} />;
  return (
    <section className="space-y-3" aria-labelledby="session-title">
      <div className="flex flex-wrap items-end justify-between gap-2">
        <div>
          <h3 id="session-title" className="text-lg font-semibold">{session.title}</h3>
          <p className="text-sm text-slate-600">
            {t("attendance.sessionStats", { attended: stats.attended, expected: stats.expected, marked: stats.marked, total: data.participants.length })}
          </p>
        </div>
        {session.canEdit && session.open ? (
          <Form method="post">
            <input type="hidden" name="intent" value="all-present" />
            <input type="hidden" name="sessionId" value={sessionId} />
            <Button variant="secondary">{t("attendance.markAllPresent")}</Button>
          </Form>
        ) : null}
      </div>
      {!session.open ? (
        <Notice>{t("attendance.opensAt", { at: formatDateTimeNamedZone(session.opensAt, data.event.timeZone, i18n.language) })}</Notice>
      ) : !session.canEdit ? (
        <Notice>{t("attendance.readOnly")}</Notice>
      ) : null}
      <Form method="post" className="space-y-2">
        <input type="hidden" name="intent" value="session" />
        <input type="hidden" name="sessionId" value={sessionId} />
        <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white">
          {data.participants.map((p) => (
            <ParticipantRow key={p.registrationId} participant={p} sessionId={sessionId} mark={marks.get(p.registrationId)} disabled={!session.canEdit || !session.open} timeZone={data.event.timeZone} />
          ))}
        </ul>
        {session.canEdit && session.open ? (
          <Button disabled={navigation.state === "submitting"}>{t("attendance.save")}</Button>
        ) : null}
      </Form>
    </section>
  );
}

function ParticipantRow({
  participant,
  sessionId,
  mark,
  disabled,
  timeZone,
}: {
  timeZone: string;
  participant: { registrationId: number; givenName: string; familyName: string; organisation: string | null };
  sessionId: number;
  mark?: { status: AttendanceStatus; recordedBy: string | null; recordedAt: string | Date; method: string };
  disabled: boolean;
}) {
  const { t, i18n } = useTranslation();
  const fetcher = useFetcher<typeof action>();
  const pending = fetcher.formData?.get("status");
  const current = (typeof pending === "string" ? pending : mark?.status) ?? "";
  const name = `${participant.givenName} ${participant.familyName}`;
  return (
    <li className="flex flex-col gap-2 p-3 sm:flex-row sm:items-center sm:justify-between">
      <div>
        <p className="font-medium"><bdi>{name}</bdi></p>
        {mark?.recordedBy ? (
          <p className="text-xs text-slate-600">
            {t("attendance.recordedBy", {
              name: mark.recordedBy,
              at: formatDateTime(new Date(mark.recordedAt), timeZone, i18n.language),
              method: t(`attendance.method.${mark.method}` as "attendance.method.manual"),
            })}
          </p>
        ) : null}
      </div>
      <fieldset className="flex gap-1" disabled={disabled}>
        <legend className="sr-only">{t("attendance.statusFor", { name })}</legend>
        {ATTENDANCE_STATUSES.map((s) => (
          <label key={s} className="cursor-pointer">
            <input
              type="radio"
              name={`r-${participant.registrationId}`}
              value={s}
              checked={current === s}
              onChange={() => fetcher.submit({ intent: "cell", sessionId: String(sessionId), registrationId: String(participant.registrationId), status: s }, { method: "post" })}
              className="peer sr-only"
            />
            <span
              className={`inline-flex min-h-11 min-w-16 items-center justify-center rounded-md border px-2 text-sm font-semibold peer-focus-visible:outline peer-focus-visible:outline-3 peer-focus-visible:outline-amber-500 ${
                current === s ? `${TONE[s]} border-transparent ring-2 ring-slate-700` : "border-slate-300 bg-white text-slate-700"
              }`}
            >
              {t(`attendanceStatus.${s}`)}
            </span>
          </label>
        ))}
      </fieldset>
    </li>
  );
}

/** Participants × sessions, with each participant's rate and completion and each session's rate. */
function Overview() {
  const data = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  // each cell shows its status twice (tooltip, screen readers): translated once, not per cell
  const statusLabel = Object.fromEntries(ATTENDANCE_STATUSES.map((st) => [st, t(`attendanceStatus.${st}`)])) as Record<AttendanceStatus, string>;
  const statusShort = Object.fromEntries(ATTENDANCE_STATUSES.map((st) => [st, t(`attendanceStatusShort.${st}`)])) as Record<AttendanceStatus, string>;
  const notMarked = t("attendance.notMarked");
  const locale = i18n.language;
  if (data.participants.length === 0) return <EmptyState message={t("attendance.noParticipants")} />;
  const pct = (a: number, b: number) => {
    const rate = attendanceRate(a, b);
    return rate === null ? "—" : `${formatNumber(rate, locale)}%`;
  };
  return (
    <div className="space-y-2">
      <p className="text-sm text-slate-700">
        {t("attendance.completedCount", {
          count: data.participants.length,
          completed: formatNumber(data.participants.filter((p) => p.completed).length, locale),
          total: formatNumber(data.participants.length, locale),
        })}
      </p>
      <TableFrame label={t("attendance.gridCaption")}>
        <table className="min-w-full border-collapse text-sm">
          <caption className="sr-only">{t("attendance.gridCaption")}</caption>
          <thead className="bg-slate-100">
            <tr>
              <th scope="col" className="sticky start-0 bg-slate-100 px-3 py-2 text-start">{t("attendance.participant")}</th>
              {data.sessions.map((s, i) => (
                <th key={s.id} scope="col" className="px-2 py-2 text-center font-semibold" title={s.title}>
                  <Link to={`?session=${s.id}`}>{formatNumber(i + 1, locale)}</Link>
                </th>
              ))}
              <th scope="col" className="px-3 py-2 text-end">{t("attendance.attended")}</th>
              <th scope="col" className="px-3 py-2 text-end">{t("attendance.rate")}</th>
              <th scope="col" className="px-3 py-2 text-start">{t("attendance.completed")}</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {data.participants.map((p) => (
              <tr key={p.registrationId}>
                <th scope="row" className="sticky start-0 bg-white px-3 py-2 text-start font-medium"><bdi>{p.givenName} {p.familyName}</bdi></th>
                {data.sessions.map((s, i) => {
                  // one element per mark: its letter shown, its status named to screen readers and on hover
                  const status = markOfLetter(p.marks[i]);
                  return (
                    <td key={s.id} className="mark-cell">
                      {status ? (
                        <span className={MARK[status]} role="img" title={statusLabel[status]} aria-label={statusLabel[status]}>
                          {statusShort[status]}
                        </span>
                      ) : (
                        <span className="text-slate-400" role="img" title={notMarked} aria-label={notMarked}>
                          ·
                        </span>
                      )}
                    </td>
                  );
                })}
                <td className="px-3 py-2 text-end tabular-nums">{formatNumber(p.attended, locale)}/{formatNumber(p.counted, locale)}</td>
                <td className="px-3 py-2 text-end tabular-nums">{pct(p.attended, p.counted)}</td>
                <td className="px-3 py-2">{p.completed ? t("attendance.yes") : t("attendance.no")}</td>
              </tr>
            ))}
          </tbody>
          <tfoot className="bg-slate-50">
            <tr>
              <th scope="row" className="sticky start-0 bg-slate-50 px-3 py-2 text-start">{t("attendance.sessionRate")}</th>
              {data.perSession.map((s) => (
                <td key={s.sessionId} className="px-1 py-2 text-center text-xs tabular-nums">{pct(s.attended, s.expected)}</td>
              ))}
              <td colSpan={3} />
            </tr>
          </tfoot>
        </table>
      </TableFrame>
      <p className="text-xs text-slate-600">{t("attendance.legend")}</p>
      <ol className="grid gap-1 text-xs text-slate-700 sm:grid-cols-2">
        {data.sessions.map((s, i) => (
          <li key={s.id}>
            {formatNumber(i + 1, locale)}. {formatDay(dayInZone(new Date(s.startsAt), data.event.timeZone), locale, "short")}{" "}
            {formatTimeRange(new Date(s.startsAt), new Date(s.endsAt), data.event.timeZone, locale)} — {s.title}
          </li>
        ))}
      </ol>
    </div>
  );
}
