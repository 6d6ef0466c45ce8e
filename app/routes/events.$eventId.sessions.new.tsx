import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireActor, requireUser } from "~/auth/session.server";
import { Button } from "~/components/ui/button";
import { ErrorSummary, SelectField, TextField } from "~/components/ui/field";
import { Card, Notice } from "~/components/ui/page";
import { redirectWithFlash } from "~/flash.server";
import { SESSION_KINDS } from "~/lib/domain";
import { formatDay, formatTimeRange, zoneLabel } from "~/lib/format";
import { formValues, parseForm } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { idParam } from "~/lib/params";
import { SESSION_DESCRIPTION_MAX, SESSION_ROOM_MAX, SESSION_TITLE_MAX, sessionSchema } from "~/lib/schemas/sessions";
import { zonedToUtc } from "~/lib/zoned";
import {
  createSession,
  requireTimetableEditor,
  sessionFormOptions,
  type FacilitatorOption,
  type SessionConflict,
} from "~/models/sessions.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "sessions.newTitle");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const options = sessionFormOptions(user, idParam(params.eventId));
  const requested = new URL(request.url).searchParams.get("day");
  const day = requested && options.days.includes(requested) ? requested : options.days[0];
  return {
    ...options,
    defaults: { title: "", kind: "presentation", day, start: "09:00", end: "10:30", room: "", description: "" } as Record<string, string>,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const eventId = idParam(params.eventId);
  // rights first: someone who may not change the timetable gets 403/404, not a form error
  requireTimetableEditor(actor.user, eventId);
  const formData = await request.formData();
  const selected = formData.getAll("facilitator").filter((v): v is string => typeof v === "string").slice(0, 100);
  const parsed = parseForm(formData, sessionSchema);
  if (!parsed.ok) return data({ ...parsed, selected, conflict: null }, { status: 400 });
  const result = createSession(actor, eventId, parsed.data);
  if (!result.ok) {
    return data(
      { ok: false as const, errors: result.errors, values: formValues(formData), selected, conflict: result.conflict },
      { status: 400 },
    );
  }
  return redirectWithFlash(`/events/${eventId}/sessions`, "flash.saved");
}

export default function NewSession() {
  const { event, days, facilitatorUsers, rosterFacilitators, defaults } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  return (
    <Card>
      <p className="mb-2 text-sm">
        <Link to={`/events/${event.id}/sessions`}>{t("sessions.back")}</Link>
      </p>
      <h2 className="mb-4 text-lg font-semibold text-slate-900">{t("sessions.newTitle")}</h2>
      <Form method="post" className="max-w-2xl space-y-4" noValidate>
        <SessionFields
          values={actionData?.values ?? defaults}
          selected={actionData ? actionData.selected : []}
          errors={actionData?.errors}
          conflict={actionData?.conflict ?? null}
          days={days}
          timeZone={event.timeZone}
          facilitatorUsers={facilitatorUsers}
          rosterFacilitators={rosterFacilitators}
        />
        <Button>{t("sessions.create")}</Button>
      </Form>
    </Card>
  );
}

/** The session form's fields (the same on the edit page). */
function SessionFields({
  values,
  selected,
  errors,
  conflict,
  days,
  timeZone,
  facilitatorUsers,
  rosterFacilitators,
}: {
  values: Record<string, string | undefined>;
  selected: string[];
  errors?: Record<string, string>;
  conflict: SessionConflict | null;
  days: string[];
  timeZone: string;
  facilitatorUsers: FacilitatorOption[];
  rosterFacilitators: FacilitatorOption[];
}) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const chosen = new Set(selected);
  const day = values.day && days.includes(values.day) ? values.day : days[0];
  const zone = zoneLabel(timeZone, zonedToUtc(day, "12:00", timeZone), locale);
  const groups = [
    { label: t("sessions.facilitatorAccounts"), options: facilitatorUsers },
    { label: t("sessions.rosterFacilitators"), options: rosterFacilitators },
  ].filter((g) => g.options.length > 0);
  const facilitatorError = errors?.facilitator;
  return (
    <>
      <ErrorSummary
        errors={errors}
        labels={{
          title: t("sessions.fields.title"),
          kind: t("sessions.fields.kind"),
          day: t("sessions.fields.day"),
          start: t("sessions.fields.start"),
          end: t("sessions.fields.end"),
          room: t("sessions.fields.room"),
          facilitator: t("sessions.fields.facilitators"),
          description: t("sessions.fields.description"),
        }}
      />
      {conflict ? (
        <Notice tone="error">
          {t("sessions.conflict", {
            title: conflict.title,
            room: conflict.room,
            day: formatDay(conflict.day, locale, "long"),
            time: formatTimeRange(new Date(conflict.startsAt), new Date(conflict.endsAt), timeZone, locale),
          })}
        </Notice>
      ) : null}
      <TextField
        name="title"
        label={t("sessions.fields.title")}
        required
        maxLength={SESSION_TITLE_MAX}
        defaultValue={values.title ?? ""}
        error={errors?.title}
      />
      <SelectField
        name="kind"
        label={t("sessions.fields.kind")}
        required
        defaultValue={values.kind ?? "presentation"}
        error={errors?.kind}
        options={SESSION_KINDS.map((k) => ({ value: k, label: t(`sessionKind.${k}`) }))}
      />
      <SelectField
        name="day"
        label={t("sessions.fields.day")}
        required
        defaultValue={values.day ?? day}
        error={errors?.day}
        options={days.map((d) => ({ value: d, label: formatDay(d, locale, "long") }))}
      />
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField
          name="start"
          type="time"
          label={t("sessions.fields.start")}
          required
          defaultValue={values.start ?? ""}
          error={errors?.start}
          hint={t("sessions.hints.time", { zone })}
        />
        <TextField
          name="end"
          type="time"
          label={t("sessions.fields.end")}
          required
          defaultValue={values.end ?? ""}
          error={errors?.end}
          hint={t("sessions.hints.time", { zone })}
        />
      </div>
      <TextField
        name="room"
        label={t("sessions.fields.room")}
        maxLength={SESSION_ROOM_MAX}
        defaultValue={values.room ?? ""}
        error={errors?.room}
        hint={t("sessions.hints.room")}
      />
      <fieldset
        id="facilitator"
        tabIndex={-1}
        aria-describedby={["facilitator-hint", facilitatorError ? "facilitator-error" : null].filter(Boolean).join(" ")}
        className="space-y-2"
      >
        <legend className="text-sm font-medium text-slate-800">{t("sessions.fields.facilitators")}</legend>
        <p id="facilitator-hint" className="text-sm text-slate-600">
          {groups.length > 0 ? t("sessions.hints.facilitators") : t("sessions.noFacilitators")}
        </p>
        {groups.map((group) => (
          <div key={group.label} className="space-y-1">
            <p className="text-sm font-medium text-slate-700">{group.label}</p>
            <ul className="grid gap-1 sm:grid-cols-2">
              {group.options.map((o) => (
                <li key={o.ref}>
                  <label className="flex items-center gap-2 text-sm">
                    <input type="checkbox" name="facilitator" value={o.ref} defaultChecked={chosen.has(o.ref)} className="size-4" />
                    <bdi>{o.name}</bdi>
                  </label>
                </li>
              ))}
            </ul>
          </div>
        ))}
        {facilitatorError ? (
          <p id="facilitator-error" className="text-sm font-medium text-red-700">
            {t(facilitatorError as "errors.required")}
          </p>
        ) : null}
      </fieldset>
      <div className="space-y-1">
        <label htmlFor="description" className="block text-sm font-medium text-slate-800">
          {t("sessions.fields.description")}
        </label>
        <textarea
          id="description"
          name="description"
          rows={4}
          maxLength={SESSION_DESCRIPTION_MAX}
          defaultValue={values.description ?? ""}
          aria-invalid={errors?.description ? true : undefined}
          aria-describedby={["description-hint", errors?.description ? "description-error" : null].filter(Boolean).join(" ")}
          className={`block w-full rounded-md border bg-white px-3 py-2 text-base shadow-sm focus:border-brand-600 ${
            errors?.description ? "border-red-600" : "border-slate-300"
          }`}
        />
        <p id="description-hint" className="text-sm text-slate-600">
          {t("sessions.hints.description")}
        </p>
        {errors?.description ? (
          <p id="description-error" className="text-sm font-medium text-red-700">
            {t(errors.description as "errors.required")}
          </p>
        ) : null}
      </div>
    </>
  );
}
