import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/lib/translation";
import { requireActor, requireUser } from "~/auth/session.server";
import { Button } from "~/components/ui/button";
import { ErrorSummary, SelectField } from "~/components/ui/field";
import { Card, Notice } from "~/components/ui/page";
import { SubmissionKey } from "~/components/ui/submission-key";
import { redirectWithFlash } from "~/flash.server";
import { readFormData } from "~/lib/form-data.server";
import { formatDay, formatTimeRange, zoneLabel } from "~/lib/format";
import { fieldMessage, formValues, type FieldErrors } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { idParam } from "~/lib/params";
import { zonedToUtc } from "~/lib/zoned";
import { listSessions, requireTimetableEditor } from "~/models/sessions.server";
import { newSubmissionKey, once, submissionOf } from "~/models/submission-keys.server";
import { copyDay, type CopiedSession } from "~/models/timetable-entry.server";

export const handle = { i18n: ["form"] };

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "timetableEntry.copyDayTitle");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const eventId = idParam(params.eventId);
  const event = await requireTimetableEditor(user, eventId);
  const { days, sessions } = await listSessions(user, eventId);
  const eventDaysOnly = days.filter((d) => d >= event.startDate && d <= event.endDate);
  const counts = new Map<string, number>();
  for (const s of sessions) counts.set(s.day, (counts.get(s.day) ?? 0) + 1);
  const search = new URL(request.url).searchParams;
  const sourceDays = eventDaysOnly.filter((d) => counts.has(d));
  const from = search.get("from") && sourceDays.includes(search.get("from")!) ? search.get("from")! : (sourceDays[0] ?? "");
  // the next day after the source that has room for a copy, by default the first empty one
  const to = eventDaysOnly.find((d) => d > from && !counts.has(d)) ?? eventDaysOnly.find((d) => d !== from) ?? "";
  return {
    event,
    days: eventDaysOnly.map((d) => ({ day: d, sessions: counts.get(d) ?? 0 })),
    defaults: { from, to },
    formKey: newSubmissionKey(),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const eventId = idParam(params.eventId);
  await requireTimetableEditor(actor.user, eventId);
  const formData = await readFormData(request);
  const from = String(formData.get("from") ?? "");
  const to = String(formData.get("to") ?? "");
  const timetable = `/events/${eventId}/sessions`;
  const outcome = await once(
    submissionOf(request, formData, "sessions-copy-day", actor.user.id),
    async () => await copyDay(actor, eventId, from, to),
    (result) => (result.ok ? timetable : null),
  );
  if (outcome.replayed) return await redirectWithFlash(outcome.location, "flash.saved");
  const result = outcome.result;
  if (!result.ok) {
    return data(
      { ok: false as const, errors: result.errors, refused: result.refused, values: formValues(formData) },
      { status: 400 },
    );
  }
  return await redirectWithFlash(timetable, "flash.saved");
}

export default function CopyDay() {
  const { event, days, defaults, formKey } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const values = actionData?.values ?? defaults;
  const errors: FieldErrors = actionData?.errors ?? {};
  const refused: CopiedSession[] = actionData?.refused ?? [];
  const labels = { from: t("timetableEntry.copyFrom"), to: t("timetableEntry.copyTo") };
  const someDay = days[0]?.day ?? event.startDate;
  const zone = zoneLabel(event.timeZone, zonedToUtc(someDay, "12:00", event.timeZone), locale);
  const toDay = values.to && days.some((d) => d.day === values.to) ? values.to : defaults.to;
  const sourceDays = days.filter((d) => d.sessions > 0);
  return (
    <Card>
      <p className="mb-2 text-sm">
        <Link to={`/events/${event.id}/sessions`}>{t("sessions.back")}</Link>
      </p>
      <h2 className="mb-2 text-lg font-semibold text-slate-900">{t("timetableEntry.copyDayTitle")}</h2>
      <p className="mb-4 max-w-2xl text-sm text-slate-600">{t("timetableEntry.copyDayIntro", { zone })}</p>
      {sourceDays.length === 0 ? (
        <Notice>{t("timetableEntry.nothingToCopy")}</Notice>
      ) : (
        <Form method="post" noValidate className="max-w-2xl space-y-4">
          <SubmissionKey value={formKey} />
          <ErrorSummary errors={Object.keys(errors).length > 0 ? errors : undefined} labels={labels} />
          {refused.length > 0 ? (
            <div role="alert" className="rounded-md border border-red-300 bg-red-50 p-4 text-sm text-red-900">
              <p className="font-semibold">{t("timetableEntry.copyRefused", { day: formatDay(toDay, locale, "long") })}</p>
              <ul className="mt-2 space-y-2">
                {refused.map((s, i) => (
                  <li key={i} data-testid="refused-copy">
                    <span className="font-medium">
                      <bdi>{s.title}</bdi> ({formatTimeRange(new Date(s.startsAt), new Date(s.endsAt), event.timeZone, locale)}
                      {s.room ? <>, <bdi>{s.room}</bdi></> : null})
                    </span>
                    <ul className="list-disc ps-5">
                      {Object.entries(s.errors)
                        // a taken room is said with the session that holds it, below
                        .filter(([field]) => !(s.conflict && field === "room"))
                        .map(([field, message]) => (
                          <li key={field}>{fieldMessage(t, message)}</li>
                        ))}
                      {s.conflict ? (
                        <li>
                          {t("sessions.conflict", {
                            title: s.conflict.title,
                            room: s.conflict.room,
                            day: formatDay(s.conflict.day, locale, "long"),
                            time: formatTimeRange(new Date(s.conflict.startsAt), new Date(s.conflict.endsAt), event.timeZone, locale),
                          })}
                        </li>
                      ) : null}
                    </ul>
                  </li>
                ))}
              </ul>
              <p className="mt-2">{t("timetableEntry.nothingCopied")}</p>
            </div>
          ) : null}
          <div className="max-w-md space-y-4">
            <SelectField
              name="from"
              label={labels.from}
              required
              defaultValue={values.from ?? defaults.from}
              error={errors.from}
              options={sourceDays.map((d) => ({ value: d.day, label: t("timetableEntry.dayWithCount", { day: formatDay(d.day, locale, "long"), count: d.sessions }) }))}
            />
            <SelectField
              name="to"
              label={labels.to}
              required
              defaultValue={toDay}
              error={errors.to}
              options={days.map((d) => ({ value: d.day, label: t("timetableEntry.dayWithCount", { day: formatDay(d.day, locale, "long"), count: d.sessions }) }))}
            />
          </div>
          <p className="text-sm text-slate-600">{t("timetableEntry.copyDayHint")}</p>
          <Button>{t("timetableEntry.copyDaySubmit")}</Button>
        </Form>
      )}
    </Card>
  );
}
