import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/lib/translation";
import { requireActor, requireUser } from "~/auth/session.server";
import { CheckInSchedule } from "~/components/action-plans";
import { Button, LinkButton } from "~/components/ui/button";
import { nowMs } from "~/lib/clock";
import { TextField } from "~/components/ui/field";
import { Notice } from "~/components/ui/page";
import { redirectWithFlash } from "~/flash.server";
import { EVENT_TRANSITIONS, type EventStatus } from "~/lib/domain";
import { formatDateTime as formatInstant, formatDateTimeNamedZone } from "~/lib/format";
import { formValues, parseForm } from "~/lib/forms";
import { duplicateSchema, statusChangeSchema } from "~/lib/schemas/events";
import { FieldError } from "~/models/field-error.server";
import { Card, EmptyState } from "~/components/ui/page";
import { dayInZone, formatDay, formatNumber, formatTimeRange, zoneLabel } from "~/lib/format";
import { Parts } from "~/components/ui/bidi";
import { countText } from "~/lib/report-display";
import { idParam } from "~/lib/params";
import { retentionLastDay } from "~/lib/retention";
import { changeEventStatus, duplicateEvent, eventStatusHistory, getEventOverview, StatusNeedsConfirmation, type StatusDateConflict } from "~/models/events.server";
import { SubmissionKey } from "~/components/ui/submission-key";
import { createOnce, newSubmissionKey, submissionOf } from "~/models/submission-keys.server";
import { readFormData } from "~/lib/form-data.server";

/** The translation namespaces this page uses besides the common ones (root.tsx) and its parents'. */
export const handle = { i18n: ["errors", "eventStatusChange", "eventType", "form", "gcm", "reportPrivacy", "sessionKind"] };

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const eventId = idParam(params.eventId);
  const overview = await getEventOverview(user, eventId);
  const canPlan = user.role === "admin" || user.role === "coordinator";
  const closesAt = overview.event.registrationClosesAt;
  return {
    ...overview,
    canPlan,
    // opening registration after its closing date asks for a new one in the same form
    registrationClosed: closesAt !== null && closesAt.getTime() <= nowMs(),
    history: await eventStatusHistory(user, eventId),
    formKey: canPlan ? newSubmissionKey() : null,
  };
}

/** Planners move the status one allowed step, or duplicate the event to new dates. */
export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request, ["admin", "coordinator"]);
  const eventId = idParam(params.eventId);
  const formData = await readFormData(request);
  const intent = formData.get("intent");
  try {
    if (intent === "status") {
      const parsed = parseForm(formData, statusChangeSchema);
      if (!parsed.ok) return data({ intent, errors: parsed.errors, values: parsed.values }, { status: 400 });
      const { status, confirm, reason, registrationClosesAt } = parsed.data;
      try {
        await changeEventStatus(actor, eventId, status, { confirm, reason, registrationClosesAt });
      } catch (error) {
        if (!(error instanceof StatusNeedsConfirmation)) throw error;
        // the first answer is a question: what contradicts the dates, and a reason to go ahead
        return data(
          {
            intent,
            errors: (error.reasonMissing ? { reason: "eventStatusChange.errors.reasonRequired" } : {}) as Record<string, string>,
            values: formValues(formData),
            confirmation: { to: error.to, conflicts: error.conflicts as StatusDateConflict[] },
          },
          { status: error.reasonMissing ? 400 : 409 },
        );
      }
      return await redirectWithFlash(`/events/${eventId}`, "flash.statusChanged");
    }
    if (intent === "duplicate") {
      const parsed = parseForm(formData, duplicateSchema);
      if (!parsed.ok) return data({ intent, errors: parsed.errors, values: parsed.values }, { status: 400 });
      const location = await createOnce(submissionOf(request, formData, "event_copy", actor.user.id), async () => `/events/${(await duplicateEvent(actor, eventId, parsed.data.startDate))}`);
      return await redirectWithFlash(location, "flash.eventDuplicated");
    }
  } catch (error) {
    if (error instanceof FieldError) {
      return data({ intent, errors: { [error.field]: error.messageKey }, values: formValues(formData), vars: error.values }, { status: 400 });
    }
    throw error;
  }
  return data(
    { intent, errors: { form: "errors.unknownAction" } as Record<string, string>, values: {} as Record<string, string> },
    { status: 400 },
  );
}

export default function EventOverview() {
  const { event, partners, objectives, sessions, participants, canPlan, registrationClosed, history, formKey } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const days = new Map<string, typeof sessions>();
  for (const s of sessions) {
    const day = dayInZone(new Date(s.startsAt), event.timeZone);
    days.set(day, [...(days.get(day) ?? []), s]);
  }
  const confirmed = countText(participants.confirmed, t, locale);
  const at = (ms: number) => formatDateTimeNamedZone(ms, event.timeZone, locale);
  const statusFailure = actionData?.intent === "status" ? (actionData as StatusFailure) : null;
  const confirmation = statusFailure?.confirmation ?? null;
  return (
    <div className="grid gap-6 lg:grid-cols-3">
      <div className="space-y-6 lg:col-span-2">
        {event.description ? (
          <Card title={t("event.about")}>
            <p className="whitespace-pre-line text-slate-800"><bdi>{event.description}</bdi></p>
          </Card>
        ) : null}
        <Card title={t("event.timetable")}>
          {sessions.length === 0 ? (
            <EmptyState message={t("event.noSessions")} />
          ) : (
            <div className="space-y-6">
              {[...days.entries()].map(([day, daySessions]) => (
                <section key={day}>
                  <h3 className="mb-2 font-semibold text-slate-900">{formatDay(day, locale, "long")}</h3>
                  <ul className="divide-y divide-slate-100 rounded-md border border-slate-200">
                    {daySessions.map((s) => (
                      <li key={s.id} className="flex flex-col gap-1 p-3 sm:flex-row sm:gap-4">
                        <span className="w-40 shrink-0 text-sm font-medium tabular-nums text-slate-700" data-testid="session-time">
                          {formatTimeRange(new Date(s.startsAt), new Date(s.endsAt), event.timeZone, locale)}
                        </span>
                        <span>
                          <span className="font-medium">{s.title}</span>
                          <span className="block text-sm text-slate-600">
                            <Parts dotted parts={[t(`sessionKind.${s.kind}`), s.room, s.facilitators]} />
                          </span>
                        </span>
                      </li>
                    ))}
                  </ul>
                </section>
              ))}
              <p className="text-xs text-slate-600">
                {t("event.timesIn", { zone: zoneLabel(event.timeZone, new Date(sessions[0].startsAt), locale) })}
              </p>
            </div>
          )}
        </Card>
      </div>
      <div className="space-y-6">
        <Card title={t("event.actions")}>
          <div className="flex flex-wrap gap-2">
            <a href={`/events/${event.id}/calendar.ics`} className="text-sm font-medium" download>
              {t("event.addToCalendar")}
            </a>
            {event.status === "open" ? (
              <a href={`/events/${event.id}/register`} className="text-sm font-medium">
                {t("event.registrationPage")}
              </a>
            ) : null}
          </div>
          {canPlan ? (
            <div className="mt-4 space-y-4 border-t border-slate-200 pt-4">
              {actionData?.errors && "status" in actionData.errors ? (
                <Notice tone="error">{t(actionData.errors.status as "errors.choice")}</Notice>
              ) : null}
              {statusFailure?.errors.registrationClosesAt === "eventStatusChange.errors.registrationClosed" ? (
                <Notice tone="error">{t("eventStatusChange.errors.registrationClosed", { at: at(Number(statusFailure.vars?.closesAt)) })}</Notice>
              ) : null}
              {confirmation ? <StatusConfirmation confirmation={confirmation} values={statusFailure?.values ?? {}} reasonError={statusFailure?.errors.reason} /> : null}
              <div className="flex flex-wrap gap-2">
                <LinkButton to="edit" variant="secondary">
                  {t("event.edit")}
                </LinkButton>
                {EVENT_TRANSITIONS[event.status].map((next) => (
                  <Form method="post" key={next} className={next === "open" && registrationClosed ? "w-full space-y-2" : undefined}>
                    <input type="hidden" name="intent" value="status" />
                    <input type="hidden" name="status" value={next} />
                    {next === "open" && registrationClosed ? (
                      // registration's closing date has passed: opening it needs a new one
                      <TextField
                        name="registrationClosesAt"
                        type="datetime-local"
                        required
                        label={t("eventStatusChange.newClosesAt", { zone: zoneLabel(event.timeZone, new Date(`${event.startDate}T12:00:00Z`), locale) })}
                        defaultValue={statusFailure?.values.registrationClosesAt ?? ""}
                        error={
                          statusFailure?.errors.registrationClosesAt && statusFailure.errors.registrationClosesAt !== "eventStatusChange.errors.registrationClosed"
                            ? statusFailure.errors.registrationClosesAt
                            : undefined
                        }
                      />
                    ) : null}
                    <Button variant={next === "cancelled" ? "danger" : "primary"}>{t(`event.moveTo.${next}`)}</Button>
                  </Form>
                ))}
              </div>
              <details className="rounded-md border border-slate-200 p-3" open={actionData?.intent === "duplicate"}>
                <summary className="cursor-pointer text-sm font-medium">{t("event.duplicate.title")}</summary>
                <Form method="post" className="mt-3 space-y-3" noValidate>
                  <input type="hidden" name="intent" value="duplicate" />
                  {formKey ? <SubmissionKey value={formKey} /> : null}
                  <p className="text-sm text-slate-600">{t("event.duplicate.help")}</p>
                  <TextField
                    name="startDate"
                    type="date"
                    required
                    label={t("event.duplicate.startDate")}
                    defaultValue={actionData?.intent === "duplicate" ? actionData.values.startDate : ""}
                    error={actionData?.intent === "duplicate" ? actionData.errors.startDate : undefined}
                  />
                  <Button variant="secondary">{t("event.duplicate.submit")}</Button>
                </Form>
              </details>
              {history.length > 0 ? (
                <div>
                  <h3 className="text-sm font-semibold">{t("event.history")}</h3>
                  <ul className="mt-1 space-y-1 text-sm text-slate-700">
                    {history.map((h, i) => (
                      <li key={i}>
                        {t("event.historyLine", {
                          to: t(`eventStatus.${h.to}` as "eventStatus.draft"),
                          by: h.by ?? "—",
                          at: formatInstant(new Date(h.at), event.timeZone, locale),
                        })}
                        {h.reason ? <span className="block text-xs text-slate-600">{t("event.historyReason", { reason: h.reason })}</span> : null}
                      </li>
                    ))}
                  </ul>
                </div>
              ) : null}
            </div>
          ) : null}
        </Card>
        <Card title={t("event.details")}>
          <dl className="space-y-3 text-sm">
            <div>
              <dt className="font-medium text-slate-600">{t("event.type")}</dt>
              <dd>{t(`eventType.${event.type}`)}</dd>
            </div>
            {event.programmeName ? (
              <div>
                <dt className="font-medium text-slate-600">{t("event.programme")}</dt>
                <dd>{event.programmeName}</dd>
              </div>
            ) : null}
            {partners.length > 0 ? (
              <div>
                <dt className="font-medium text-slate-600">{t("event.partners")}</dt>
                <dd>{partners.map((p) => p.name).join(", ")}</dd>
              </div>
            ) : null}
            <div>
              <dt className="font-medium text-slate-600">{t("event.registrationWindow")}</dt>
              {event.registrationOpensAt || event.registrationClosesAt ? (
                <>
                  {event.registrationOpensAt ? <dd data-testid="registration-opens">{t("event.registrationOpens", { at: at(new Date(event.registrationOpensAt).getTime()) })}</dd> : null}
                  {event.registrationClosesAt ? <dd data-testid="registration-closes">{t("event.registrationCloses", { at: at(new Date(event.registrationClosesAt).getTime()) })}</dd> : null}
                </>
              ) : (
                <dd>{t("event.registrationNoDates")}</dd>
              )}
            </div>
            <div>
              <dt className="font-medium text-slate-600">{t("event.participants")}</dt>
              {participants.protected ? (
                // a donor sees the planned size and a protected count, never "of" or places left:
                // capacity minus a count would undo the protection
                <>
                  <dd data-testid="participants">{t("event.confirmed", { confirmed })}</dd>
                  {event.capacity ? <dd>{t("event.capacityPlaces", { capacity: formatNumber(event.capacity, locale) })}</dd> : null}
                  <dd className="mt-1 text-xs text-slate-600" data-testid="figures-protected">
                    {t("event.protectedNote")}
                  </dd>
                </>
              ) : (
                <dd data-testid="participants">
                  {event.capacity
                    ? t("event.confirmedOfCapacity", { confirmed, capacity: formatNumber(event.capacity, locale) })
                    : t("event.confirmed", { confirmed })}
                </dd>
              )}
            </div>
            {event.topics.length > 0 ? (
              <div>
                <dt className="font-medium text-slate-600">{t("event.topics")}</dt>
                <dd>
                  <ul className="list-disc ps-5">
                    {event.topics.map((topic) => (
                      <li key={topic}>{topic}</li>
                    ))}
                  </ul>
                </dd>
              </div>
            ) : null}
            {canPlan ? (
              <div>
                <dt className="font-medium text-slate-600">{t("event.retention")}</dt>
                <dd data-testid="retention">
                  {event.personalDataAnonymisedAt
                    ? t("event.retentionDone", { date: formatDay(dayInZone(new Date(event.personalDataAnonymisedAt), event.timeZone), locale) })
                    : event.retentionMonths
                      ? t("event.retentionFor", {
                          count: event.retentionMonths,
                          formatted: formatNumber(event.retentionMonths, locale),
                          date: formatDay(retentionLastDay(event.endDate, event.retentionMonths), locale),
                        })
                      : t("event.retentionKept")}
                </dd>
              </div>
            ) : null}
            {canPlan && event.checkInDays ? (
              <div>
                <dt className="font-medium text-slate-600">{t("event.checkIns")}</dt>
                <dd data-testid="check-ins">
                  <CheckInSchedule days={event.checkInDays} endDate={event.endDate} />
                </dd>
              </div>
            ) : null}
            {event.contactName ? (
              <div>
                <dt className="font-medium text-slate-600">{t("event.contact")}</dt>
                <dd>
                  {event.contactName}
                  {event.contactEmail ? (
                    <>
                      {" · "}
                      <a href={`mailto:${event.contactEmail}`}>{event.contactEmail}</a>
                    </>
                  ) : null}
                </dd>
              </div>
            ) : null}
          </dl>
        </Card>
        {objectives.length > 0 ? (
          <Card title={t("event.gcmObjectives")}>
            <ul className="space-y-2 text-sm">
              {objectives.map((o) => (
                <li key={o.id}>
                  <span className="font-semibold">{t("event.objectiveNumber", { number: o.id })}</span> {t(`gcm.o${o.id}` as "gcm.o1")}
                </li>
              ))}
            </ul>
          </Card>
        ) : null}
      </div>
    </div>
  );
}

type StatusFailure = {
  errors: Record<string, string>;
  values: Record<string, string>;
  vars?: Record<string, string | number>;
  confirmation?: { to: EventStatus; conflicts: StatusDateConflict[] };
};

/** The second step of a status change that contradicts the dates: what contradicts, and why go ahead. */
function StatusConfirmation({
  confirmation,
  values,
  reasonError,
}: {
  confirmation: NonNullable<StatusFailure["confirmation"]>;
  values: Record<string, string>;
  reasonError?: string;
}) {
  const { event } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  return (
    <div role="alert" className="space-y-3 rounded-md border border-amber-300 bg-amber-50 p-3 text-amber-950">
      <p className="font-semibold">{t("eventStatusChange.confirm.title")}</p>
      <ul className="list-disc ps-5 text-sm">
        {confirmation.conflicts.map((c) => (
          <li key={c.kind}>{t(`eventStatusChange.confirm.${c.kind}`, { at: formatDateTimeNamedZone(c.at, event.timeZone, i18n.language) })}</li>
        ))}
      </ul>
      <Form method="post" className="space-y-2">
        <input type="hidden" name="intent" value="status" />
        <input type="hidden" name="status" value={confirmation.to} />
        <input type="hidden" name="confirm" value="yes" />
        {values.registrationClosesAt ? <input type="hidden" name="registrationClosesAt" value={values.registrationClosesAt} /> : null}
        <p className="text-sm">{t("eventStatusChange.confirm.question", { status: t(`eventStatus.${confirmation.to}`) })}</p>
        <TextField name="reason" required maxLength={500} label={t("eventStatusChange.confirm.reason")} defaultValue={values.reason ?? ""} error={reasonError} />
        <Button>{t("eventStatusChange.confirm.submit")}</Button>
      </Form>
    </div>
  );
}
