import { useTranslation } from "~/lib/translation";
import { fieldMessage } from "~/lib/form-messages";
import { ErrorSummary, SelectField, TextField } from "./ui/field";
import { Notice } from "./ui/page";
import { SESSION_KINDS } from "~/lib/domain";
import { formatDay, formatTimeRange, zoneLabel } from "~/lib/format";
import { SESSION_DESCRIPTION_MAX, SESSION_ROOM_MAX, SESSION_TITLE_MAX } from "~/lib/schemas/sessions";
import { zonedToUtc } from "~/lib/zoned";
// types only: erased at build, so nothing server-side reaches the browser bundle
import type { FacilitatorOption, SessionConflict } from "~/models/sessions.server";

/** The session form's fields: shared by the new-session and edit-session pages. */
export function SessionFormFields({
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
            {fieldMessage(t, errors.description)}
          </p>
        ) : null}
      </div>
    </>
  );
}
