import { Form, useNavigation } from "@remix-run/react";
import { useMemo, useState } from "react";
import { useTranslation } from "~/lib/translation";
import { fieldMessage } from "~/lib/form-messages";
import { OrganisationChecklist, type OrganisationOption } from "./organisation-select";
import { Button } from "./ui/button";
import { ErrorSummary, SelectField, TextField } from "./ui/field";
import { Card } from "./ui/page";
import { checkInDaysText, DEFAULT_CHECK_IN_DAYS } from "~/lib/check-ins";
import { SubmissionKey } from "./ui/submission-key";
import { EVENT_TYPES, ROLE_CATEGORIES } from "~/lib/domain";
import { countryName } from "~/lib/format";

export type EventFormValues = Record<string, string | string[] | undefined>;

type Options = {
  programmes: { id: number; name: string }[];
  /** every possible partner agency, or null when there are too many to list (the form searches) */
  partners: OrganisationOption[] | null;
  /** when the form searches: the event's partners so far */
  chosenPartners: OrganisationOption[];
  countries: string[];
  zones: string[];
  /** country → its zones, main zone first */
  countryZones: Record<string, string[]>;
};

const FIELDS = [
  "title",
  "type",
  "description",
  "programmeId",
  "partnerIds",
  "country",
  "locality",
  "venue",
  "timeZone",
  "startDate",
  "endDate",
  "capacity",
  "targetRoles",
  "topics",
  "gcmObjectiveIds",
  "contactName",
  "contactEmail",
  "registrationOpensAt",
  "registrationClosesAt",
  "completionThreshold",
  "requiresApproval",
  "consentText",
  "retentionMonths",
  "checkInDays",
] as const;

function asList(value: string | string[] | undefined) {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}
function asText(value: string | string[] | undefined) {
  return Array.isArray(value) ? value.join("\n") : (value ?? "");
}

const textareaClass = "block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-base shadow-sm";

/** Create and edit an event: every field of DOMAIN.md's Event, grouped as a coordinator thinks of them. */
export function EventForm({
  values,
  errors,
  options,
  submitLabel,
  submissionKey,
}: {
  values: EventFormValues;
  errors?: Record<string, string>;
  options: Options;
  submitLabel: string;
  /** the one-time key of a create form */
  submissionKey?: string;
}) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const navigation = useNavigation();
  const [country, setCountry] = useState(asText(values.country));
  const [zone, setZone] = useState(asText(values.timeZone));
  const countries = useMemo(
    () => options.countries.map((c) => ({ value: c, label: countryName(c, locale) })).sort((a, b) => a.label.localeCompare(b.label, locale)),
    [options.countries, locale],
  );
  const zonesFirst = options.countryZones[country] ?? [];
  const zoneOptions = [
    ...zonesFirst.map((z) => ({ value: z, label: z })),
    ...options.zones.filter((z) => !zonesFirst.includes(z)).map((z) => ({ value: z, label: z })),
  ];
  const labels = Object.fromEntries(FIELDS.map((f) => [f, t(`events.form.fields.${f}`)]));
  const err = (name: string) => errors?.[name];
  const errorValues = (name: string) => (err(name) ? fieldMessage(t, err(name)!) : null);
  const partnerIds = asList(values.partnerIds);
  const targetRoles = asList(values.targetRoles);
  const objectives = asList(values.gcmObjectiveIds);
  // a new event starts with the default intervals; what the user typed (even nothing) is kept
  const checkInDays = values.checkInDays === undefined ? checkInDaysText(DEFAULT_CHECK_IN_DAYS) : asText(values.checkInDays);
  return (
    <Form method="post" className="space-y-6" noValidate>
      {submissionKey ? <SubmissionKey value={submissionKey} /> : null}
      <ErrorSummary errors={errors} labels={labels} />
      <Card title={t("events.form.sections.what")}>
        <div className="grid gap-4 md:grid-cols-2">
          <div className="md:col-span-2">
            <TextField name="title" label={labels.title} required maxLength={200} defaultValue={asText(values.title)} error={err("title")} />
          </div>
          <SelectField
            name="type"
            label={labels.type}
            required
            defaultValue={asText(values.type) || "training"}
            error={err("type")}
            options={EVENT_TYPES.map((v) => ({ value: v, label: t(`eventType.${v}`) }))}
          />
          <SelectField
            name="programmeId"
            label={labels.programmeId}
            defaultValue={asText(values.programmeId)}
            error={err("programmeId")}
            placeholder={t("events.form.noProgramme")}
            options={options.programmes.map((p) => ({ value: String(p.id), label: p.name }))}
          />
          <div className="space-y-1 md:col-span-2">
            <label htmlFor="description" className="block text-sm font-medium text-slate-800">
              {labels.description}
            </label>
            <textarea id="description" name="description" rows={4} defaultValue={asText(values.description)} className={textareaClass} />
            {err("description") ? <p className="text-sm font-medium text-red-700">{errorValues("description")}</p> : null}
          </div>
          <div className="space-y-1 md:col-span-2">
            <label htmlFor="topics" className="block text-sm font-medium text-slate-800">
              {labels.topics}
            </label>
            <textarea id="topics" name="topics" rows={4} defaultValue={asText(values.topics)} className={textareaClass} aria-describedby="topics-hint" />
            <p id="topics-hint" className="text-sm text-slate-600">
              {t("events.form.topicsHint")}
            </p>
            {err("topics") ? <p className="text-sm font-medium text-red-700">{errorValues("topics")}</p> : null}
          </div>
        </div>
      </Card>

      <Card title={t("events.form.sections.whereWhen")}>
        <div className="grid gap-4 md:grid-cols-2">
          <SelectField
            name="country"
            label={labels.country}
            required
            value={country}
            onChange={(e) => {
              setCountry(e.target.value);
              setZone(options.countryZones[e.target.value]?.[0] ?? "");
            }}
            error={err("country")}
            placeholder={t("events.form.chooseCountry")}
            options={countries}
          />
          <SelectField
            name="timeZone"
            label={labels.timeZone}
            value={zone}
            onChange={(e) => setZone(e.target.value)}
            error={err("timeZone")}
            placeholder={t("events.form.zoneFromCountry")}
            options={zoneOptions}
            hint={t("events.form.zoneHint")}
          />
          <TextField name="locality" label={labels.locality} maxLength={200} defaultValue={asText(values.locality)} error={err("locality")} hint={t("events.form.localityHint")} />
          <TextField name="venue" label={labels.venue} maxLength={300} defaultValue={asText(values.venue)} error={err("venue")} />
          <TextField name="startDate" type="date" label={labels.startDate} required defaultValue={asText(values.startDate)} error={err("startDate")} />
          <TextField name="endDate" type="date" label={labels.endDate} required defaultValue={asText(values.endDate)} error={err("endDate")} />
        </div>
      </Card>

      <Card title={t("events.form.sections.who")}>
        <div className="grid gap-4 md:grid-cols-2">
          <TextField name="capacity" type="number" min={1} label={labels.capacity} defaultValue={asText(values.capacity)} error={err("capacity")} hint={t("events.form.capacityHint")} />
          <TextField
            name="completionThreshold"
            type="number"
            min={0}
            max={100}
            label={labels.completionThreshold}
            defaultValue={asText(values.completionThreshold) || "80"}
            error={err("completionThreshold")}
            hint={t("events.form.thresholdHint")}
          />
          <OrganisationChecklist
            name="partnerIds"
            legend={labels.partnerIds}
            error={errorValues("partnerIds")}
            choices={options.partners}
            chosen={options.chosenPartners}
            defaultChecked={partnerIds}
            scope="nonDonor"
            className="md:col-span-2"
          />
          <fieldset className="md:col-span-2">
            <legend className="text-sm font-medium text-slate-800">{labels.targetRoles}</legend>
            {err("targetRoles") ? <p className="text-sm font-medium text-red-700">{errorValues("targetRoles")}</p> : null}
            <div id="targetRoles" className="mt-2 grid gap-2 sm:grid-cols-3">
              {ROLE_CATEGORIES.map((r) => (
                <label key={r} className="flex items-center gap-2 text-sm">
                  <input type="checkbox" name="targetRoles" value={r} defaultChecked={targetRoles.includes(r)} />
                  {t(`roleCategory.${r}`)}
                </label>
              ))}
            </div>
          </fieldset>
          <TextField name="contactName" label={labels.contactName} maxLength={200} defaultValue={asText(values.contactName)} error={err("contactName")} />
          <TextField name="contactEmail" type="email" label={labels.contactEmail} defaultValue={asText(values.contactEmail)} error={err("contactEmail")} />
        </div>
      </Card>

      <Card title={t("events.form.sections.gcm")}>
        {err("gcmObjectiveIds") ? <p className="mb-2 text-sm font-medium text-red-700">{errorValues("gcmObjectiveIds")}</p> : null}
        <fieldset id="gcmObjectiveIds">
          <legend className="sr-only">{labels.gcmObjectiveIds}</legend>
          <div className="grid gap-2 md:grid-cols-2">
            {Array.from({ length: 23 }, (_, i) => i + 1).map((n) => (
              <label key={n} className="flex items-start gap-2 text-sm">
                <input type="checkbox" name="gcmObjectiveIds" value={n} defaultChecked={objectives.includes(String(n))} className="mt-1" />
                <span>
                  <span className="font-semibold">{t("event.objectiveNumber", { number: n })}</span> {t(`gcm.o${n}` as "gcm.o1")}
                </span>
              </label>
            ))}
          </div>
        </fieldset>
      </Card>

      <Card title={t("events.form.sections.registration")}>
        <div className="grid gap-4 md:grid-cols-2">
          <TextField
            name="registrationOpensAt"
            type="datetime-local"
            label={labels.registrationOpensAt}
            defaultValue={asText(values.registrationOpensAt)}
            error={err("registrationOpensAt")}
            hint={t("events.form.inEventZone")}
          />
          <TextField
            name="registrationClosesAt"
            type="datetime-local"
            label={labels.registrationClosesAt}
            defaultValue={asText(values.registrationClosesAt)}
            error={err("registrationClosesAt")}
            hint={t("events.form.inEventZone")}
          />
          <label className="flex items-center gap-2 text-sm md:col-span-2">
            <input type="checkbox" name="requiresApproval" defaultChecked={asText(values.requiresApproval) === "on"} />
            {labels.requiresApproval}
          </label>
          <div className="space-y-1 md:col-span-2">
            <label htmlFor="consentText" className="block text-sm font-medium text-slate-800">
              {labels.consentText}
            </label>
            <textarea id="consentText" name="consentText" rows={3} defaultValue={asText(values.consentText)} className={textareaClass} aria-describedby="consentText-hint" />
            <p id="consentText-hint" className="text-sm text-slate-600">
              {t("events.form.consentHint")}
            </p>
          </div>
        </div>
      </Card>
      <Card title={t("events.form.sections.followUp")}>
        <div className="max-w-md">
          <TextField
            name="checkInDays"
            dir="ltr"
            label={labels.checkInDays}
            defaultValue={checkInDays}
            error={err("checkInDays")}
            hint={t("events.form.checkInHint")}
          />
        </div>
      </Card>
      <Card title={t("events.form.sections.personalData")}>
        <div className="max-w-md">
          <TextField
            name="retentionMonths"
            type="number"
            min={1}
            max={240}
            label={labels.retentionMonths}
            defaultValue={asText(values.retentionMonths)}
            error={err("retentionMonths")}
            hint={t("events.form.retentionHint")}
          />
        </div>
      </Card>
      <Button disabled={navigation.state === "submitting"}>{submitLabel}</Button>
    </Form>
  );
}
