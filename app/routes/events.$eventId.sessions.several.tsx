import type {
  ActionFunctionArgs,
  LoaderFunctionArgs,
  MetaFunction,
} from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/lib/translation";
import { requireActor, requireUser } from "~/auth/session.server";
import { Button } from "~/components/ui/button";
import { ErrorSummary, SelectField, TextField } from "~/components/ui/field";
import { Card, Notice } from "~/components/ui/page";
import { SubmissionKey } from "~/components/ui/submission-key";
import { redirectWithFlash } from "~/flash.server";
import { SESSION_KINDS } from "~/lib/domain";
import { readFormData } from "~/lib/form-data.server";
import { formatDay, formatTimeRange, zoneLabel } from "~/lib/format";
import { formValues, type FieldErrors } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { idParam } from "~/lib/params";
import { SESSION_ROOM_MAX, SESSION_TITLE_MAX } from "~/lib/schemas/sessions";
import {
  parseSeveralSessions,
  rowCountOf,
  rowErrors,
  rowField,
  SEVERAL_ROWS_MAX,
  SEVERAL_ROWS_START,
  SEVERAL_ROWS_STEP,
} from "~/lib/schemas/timetable-entry";
import { zonedToUtc } from "~/lib/zoned";
import {
  requireTimetableEditor,
  sessionFormOptions,
  type SessionConflict,
} from "~/models/sessions.server";
import {
  newSubmissionKey,
  once,
  submissionOf,
} from "~/models/submission-keys.server";
import { createSessions } from "~/models/timetable-entry.server";

export const handle = { i18n: ["errors", "form"] };

export const meta: MetaFunction = ({ matches }) =>
  pageTitle(matches, "timetableEntry.severalTitle");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const options = await sessionFormOptions(user, idParam(params.eventId));
  const requested = new URL(request.url).searchParams.get("day");
  const day =
    requested && options.days.includes(requested) ? requested : options.days[0];
  return { ...options, day, formKey: newSubmissionKey() };
}

type Failure = {
  ok: false;
  rows: number;
  values: Record<string, string>;
  errors: FieldErrors;
  conflicts: Record<string, SessionConflict>;
};

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const eventId = idParam(params.eventId);
  // rights first: someone who may not change the timetable gets 403/404, not a form error
  await requireTimetableEditor(actor.user, eventId);
  const formData = await readFormData(request);
  const rows = rowCountOf(formData);
  const values = formValues(formData);
  if (formData.get("intent") === "more-rows") {
    // more empty rows, everything typed kept (works without JavaScript)
    return data({
      ok: false,
      rows: Math.min(rows + SEVERAL_ROWS_STEP, SEVERAL_ROWS_MAX),
      values,
      errors: {},
      conflicts: {},
    } satisfies Failure);
  }
  const parsed = parseSeveralSessions(formData);
  if (parsed.filled === 0)
    return data(
      {
        ok: false,
        rows,
        values,
        errors: parsed.errors,
        conflicts: {},
      } satisfies Failure,
      { status: 400 }
    );
  const timetable = `/events/${eventId}/sessions`;
  const inputs = parsed.rows.map((r) => r.input);
  const typedRight = Object.keys(parsed.errors).length === 0;
  const outcome = typedRight
    ? (await once(
        submissionOf(request, formData, "sessions-several", actor.user.id),
        async () => await createSessions(actor, eventId, inputs),
        (created) => (created.ok ? timetable : null)
      ))
    : // some rows are wrong as typed: the others are checked too (rooms, days), and nothing is added
      {
        replayed: false as const,
        result: await createSessions(actor, eventId, inputs, { checkOnly: true }),
      };
  if (outcome.replayed)
    return await redirectWithFlash(outcome.location, "flash.saved");
  const result = outcome.result;
  if (!result.ok) {
    const errors: FieldErrors = { ...parsed.errors };
    const conflicts: Record<string, SessionConflict> = {};
    result.rows.forEach((refusal, i) => {
      if (!refusal) return;
      const index = parsed.rows[i].index;
      Object.assign(errors, rowErrors(index, refusal.errors));
      if (refusal.conflict) conflicts[String(index)] = refusal.conflict;
    });
    // in the order of the rows, as the summary lists them
    const rowOf = (key: string) => Number(/^row-(\d+)-/.exec(key)?.[1] ?? -1);
    const sorted = Object.fromEntries(
      Object.entries(errors).sort(([a], [b]) => rowOf(a) - rowOf(b))
    );
    return data(
      { ok: false, rows, values, errors: sorted, conflicts } satisfies Failure,
      { status: 400 }
    );
  }
  return await redirectWithFlash(timetable, "flash.saved");
}

export default function SeveralSessions() {
  const { event, days, day, facilitatorUsers, rosterFacilitators, formKey } =
    useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const rows = actionData?.rows ?? SEVERAL_ROWS_START;
  const values = actionData?.values ?? {};
  const errors: FieldErrors = actionData?.errors ?? {};
  const conflicts: Record<string, SessionConflict> =
    actionData?.conflicts ?? {};
  const zone = zoneLabel(
    event.timeZone,
    zonedToUtc(day, "12:00", event.timeZone),
    locale
  );
  const facilitators = [
    ...facilitatorUsers,
    ...rosterFacilitators.map((o) => ({
      ...o,
      name: t("timetableEntry.onRoster", { name: o.name }),
    })),
  ];
  const fieldLabels = {
    title: t("sessions.fields.title"),
    kind: t("sessions.fields.kind"),
    day: t("sessions.fields.day"),
    start: t("sessions.fields.start"),
    end: t("sessions.fields.end"),
    room: t("sessions.fields.room"),
    facilitator: t("timetableEntry.facilitator"),
  };
  const summaryLabels: Record<string, string> = {};
  for (let i = 0; i < rows; i++) {
    for (const [field, label] of Object.entries(fieldLabels)) {
      summaryLabels[rowField(i, field as keyof typeof fieldLabels)] = t(
        "timetableEntry.rowField",
        { n: i + 1, field: label }
      );
    }
  }
  const { form: formError, ...fieldErrors } = errors;
  // a new row starts on the day of the last row filled in above it
  const dayOf = (i: number) => {
    for (let j = i; j >= 0; j--) {
      const v = values[rowField(j, "day")];
      if (v && days.includes(v) && (j === i || values[rowField(j, "title")]))
        return v;
    }
    return day;
  };
  return (
    <Card>
      <p className="mb-2 text-sm">
        <Link to={`/events/${event.id}/sessions`}>{t("sessions.back")}</Link>
      </p>
      <h2 className="mb-2 text-lg font-semibold text-slate-900">
        {t("timetableEntry.severalTitle")}
      </h2>
      <p className="mb-4 text-sm text-slate-600">
        {t("timetableEntry.severalIntro", { zone })}
      </p>
      {/* a new key after success: the page comes back empty */}
      <Form method="post" noValidate className="space-y-4" key={formKey}>
        <SubmissionKey value={formKey} />
        <input type="hidden" name="rows" value={rows} />
        {formError ? (
          <Notice tone="error">
            {t(formError as "timetableEntry.errors.noRows")}
          </Notice>
        ) : null}
        <ErrorSummary
          errors={Object.keys(fieldErrors).length > 0 ? fieldErrors : undefined}
          labels={summaryLabels}
        />
        {Array.from({ length: rows }, (_, i) => {
          const name = (field: keyof typeof fieldLabels) => rowField(i, field);
          const conflict = conflicts[String(i)];
          const rowHasError = Object.keys(fieldErrors).some((k) =>
            k.startsWith(`row-${i}-`)
          );
          return (
            <fieldset
              key={i}
              className={`rounded-md border p-3 ${
                rowHasError ? "border-red-300 bg-red-50/40" : "border-slate-200"
              }`}
              data-testid="session-row"
            >
              <legend className="px-1 text-sm font-semibold text-slate-800">
                {t("timetableEntry.rowLegend", { n: i + 1 })}
              </legend>
              {conflict ? (
                <div className="mb-3">
                  <Notice tone="error">
                    {t("sessions.conflict", {
                      title: conflict.title,
                      room: conflict.room,
                      day: formatDay(conflict.day, locale, "long"),
                      time: formatTimeRange(
                        new Date(conflict.startsAt),
                        new Date(conflict.endsAt),
                        event.timeZone,
                        locale
                      ),
                    })}
                  </Notice>
                </div>
              ) : null}
              {/* at a desk a row is two lines of four fields; on a phone, one field under the other */}
              <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
                <div className="sm:col-span-2">
                  <TextField
                    name={name("title")}
                    label={fieldLabels.title}
                    maxLength={SESSION_TITLE_MAX}
                    defaultValue={values[name("title")] ?? ""}
                    error={errors[name("title")]}
                  />
                </div>
                <div>
                  <SelectField
                    name={name("kind")}
                    label={fieldLabels.kind}
                    defaultValue={values[name("kind")] ?? "presentation"}
                    error={errors[name("kind")]}
                    options={SESSION_KINDS.map((k) => ({
                      value: k,
                      label: t(`sessionKind.${k}`),
                    }))}
                  />
                </div>
                <div>
                  <SelectField
                    name={name("day")}
                    label={fieldLabels.day}
                    defaultValue={dayOf(i)}
                    error={errors[name("day")]}
                    options={days.map((d) => ({
                      value: d,
                      label: formatDay(d, locale, "long"),
                    }))}
                  />
                </div>
                <TextField
                  name={name("start")}
                  type="time"
                  label={fieldLabels.start}
                  defaultValue={values[name("start")] ?? ""}
                  error={errors[name("start")]}
                />
                <TextField
                  name={name("end")}
                  type="time"
                  label={fieldLabels.end}
                  defaultValue={values[name("end")] ?? ""}
                  error={errors[name("end")]}
                />
                <div>
                  <TextField
                    name={name("room")}
                    label={fieldLabels.room}
                    maxLength={SESSION_ROOM_MAX}
                    defaultValue={values[name("room")] ?? ""}
                    error={errors[name("room")]}
                  />
                </div>
                <div>
                  <SelectField
                    name={name("facilitator")}
                    label={fieldLabels.facilitator}
                    defaultValue={values[name("facilitator")] ?? ""}
                    error={errors[name("facilitator")]}
                    placeholder={t("timetableEntry.noFacilitator")}
                    options={facilitators.map((o) => ({
                      value: o.ref,
                      label: o.name,
                    }))}
                  />
                </div>
              </div>
            </fieldset>
          );
        })}
        <p className="text-sm text-slate-600">
          {t("timetableEntry.severalHint")}
        </p>
        <div className="flex flex-wrap gap-3">
          <Button name="intent" value="create">
            {t("timetableEntry.severalSubmit")}
          </Button>
          {rows < SEVERAL_ROWS_MAX ? (
            <Button name="intent" value="more-rows" variant="secondary">
              {t("timetableEntry.moreRows", { count: SEVERAL_ROWS_STEP })}
            </Button>
          ) : null}
        </div>
      </Form>
    </Card>
  );
}
