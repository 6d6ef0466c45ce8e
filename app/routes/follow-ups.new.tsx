import { OrganisationSelect } from "~/components/organisation-select";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useMemo } from "react";
import { useTranslation } from "~/lib/translation";
import { AREA_ROLES } from "~/auth/permissions";
import { requireActor } from "~/auth/session.server";
import { Button } from "~/components/ui/button";
import { ErrorSummary, SelectField, TextField } from "~/components/ui/field";
import { Card, Notice, PageHeader } from "~/components/ui/page";
import { PRIORITIES, ROLE_CATEGORIES } from "~/lib/domain";
import { countryName } from "~/lib/format";
import { fieldMessage, formValuesAll, parseForm } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { idParam } from "~/lib/params";
import { followUpSchema } from "~/lib/schemas/follow-ups";
import { FieldError } from "~/models/field-error.server";
import { createFollowUp, followUpFormOptions } from "~/models/follow-ups.server";
import { SubmissionKey } from "~/components/ui/submission-key";
import { createOnce, newSubmissionKey, submissionOf } from "~/models/submission-keys.server";
import { readFormData } from "~/lib/form-data.server";

/** The translation namespaces this page uses besides the common ones (root.tsx) and its parents'. */
export const handle = { i18n: ["errors", "events", "followUps", "form", "organisationKind", "organisationSelect", "priority", "roleCategory"] };

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "followUps.form.newTitle");

/** `?eventId=` raises the request from that event (which the user must be able to see). */
function eventIdOf(request: Request) {
  const raw = new URL(request.url).searchParams.get("eventId");
  return raw ? idParam(raw) : undefined;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request, AREA_ROLES.followUps);
  return { options: await followUpFormOptions(actor, { eventId: eventIdOf(request) }), formKey: newSubmissionKey() };
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireActor(request, AREA_ROLES.followUps);
  const formData = await readFormData(request);
  const parsed = parseForm(formData, followUpSchema);
  if (!parsed.ok) return data({ errors: parsed.errors, values: formValuesAll(formData) }, { status: 400 });
  try {
    return redirect(await createOnce(submissionOf(request, formData, "follow_up", actor.user.id), async () => `/follow-ups/${(await createFollowUp(actor, parsed.data))}?done=created`));
  } catch (error) {
    if (error instanceof FieldError) {
      return data({ errors: { [error.field]: error.messageKey }, values: formValuesAll(formData) }, { status: 400 });
    }
    throw error;
  }
}

const FIELDS = [
  "title",
  "description",
  "requestingOrganisationId",
  "originEventId",
  "country",
  "localities",
  "targetAudience",
  "roleCategories",
  "estimatedParticipants",
  "desiredFrom",
  "desiredTo",
  "priority",
] as const;

type Values = Record<string, string | string[] | undefined>;
const asText = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join(", ") : (v ?? ""));
const asList = (v: string | string[] | undefined) => (v === undefined || v === "" ? [] : Array.isArray(v) ? v : [v]);
const textareaClass = (error?: string) =>
  `block w-full rounded-md border bg-white px-3 py-2 text-base shadow-sm ${error ? "border-red-600" : "border-slate-300"}`;

export default function NewFollowUp() {
  const { options, formKey } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const errors = actionData?.errors as Record<string, string> | undefined;
  const err = (name: string) => errors?.[name];
  const values: Values = actionData?.values ?? {
    country: options.defaults.country,
    originEventId: options.defaults.originEventId,
    requestingOrganisationId: options.defaults.requestingOrganisationId,
    roleCategories: options.defaults.roleCategories,
    priority: "normal",
  };
  const labels = Object.fromEntries(FIELDS.map((f) => [f, t(`followUps.form.fields.${f}`)]));
  const countries = useMemo(
    () => options.countries.map((c) => ({ value: c, label: countryName(c, locale) })).sort((a, b) => a.label.localeCompare(b.label, locale)),
    [options.countries, locale],
  );
  const roles = asList(values.roleCategories);
  const origin = options.originEvent;
  const crumbs = origin
    ? [{ label: t("events.title"), to: "/events" }, { label: origin.title, to: `/events/${origin.id}` }, { label: t("followUps.form.newTitle") }]
    : [{ label: t("followUps.title"), to: "/follow-ups" }, { label: t("followUps.form.newTitle") }];
  const describedBy = (name: string, hint: boolean) => [hint ? `${name}-hint` : null, err(name) ? `${name}-error` : null].filter(Boolean).join(" ") || undefined;
  const errorLine = (name: string) =>
    err(name) ? (
      <p id={`${name}-error`} className="text-sm font-medium text-red-700">
        {fieldMessage(t, err(name)!)}
      </p>
    ) : null;

  return (
    <div className="max-w-4xl">
      <PageHeader title={t("followUps.form.newTitle")} crumbs={crumbs}>
        <p className="text-sm text-slate-700">{t("followUps.form.intro")}</p>
      </PageHeader>
      <Form method="post" className="space-y-6" noValidate>
  <SubmissionKey value={formKey} />
        <ErrorSummary errors={errors} labels={labels} />
        {origin ? (
          <Notice>
            {t("followUps.form.fromEvent")} <Link to={`/events/${origin.id}`}><bdi>{origin.title}</bdi></Link>
          </Notice>
        ) : null}
        {asText(values.originEventId) ? <input type="hidden" name="originEventId" value={asText(values.originEventId)} /> : null}
        {errorLine("originEventId")}

        <Card title={t("followUps.form.sections.what")}>
          <div className="space-y-4">
            {options.fixedAgency ? (
              <div id="requestingOrganisationId">
                <p className="text-sm font-medium text-slate-800">{labels.requestingOrganisationId}</p>
                <p className="text-base">
                  <bdi>{options.fixedAgency.name}</bdi>
                </p>
                <p className="text-sm text-slate-600">{t("followUps.form.hints.ownAgency")}</p>
                {errorLine("requestingOrganisationId")}
              </div>
            ) : (
              <OrganisationSelect
                name="requestingOrganisationId"
                label={labels.requestingOrganisationId}
                required
                defaultValue={asText(values.requestingOrganisationId)}
                error={err("requestingOrganisationId")}
                placeholder={t("followUps.form.chooseAgency")}
                hint={t("followUps.form.hints.agency")}
                choices={options.agencies}
                scope="governmentPartner"
              />
            )}
            <TextField
              name="title"
              label={labels.title}
              required
              maxLength={200}
              defaultValue={asText(values.title)}
              error={err("title")}
              hint={t("followUps.form.hints.title")}
            />
            <div className="space-y-1">
              <label htmlFor="description" className="block text-sm font-medium text-slate-800">
                {labels.description}
                <span className="text-red-700" aria-hidden="true">
                  {" "}
                  *
                </span>
                <span className="sr-only"> ({t("form.required")})</span>
              </label>
              <textarea
                id="description"
                name="description"
                rows={5}
                required
                maxLength={5000}
                defaultValue={asText(values.description)}
                aria-invalid={err("description") ? true : undefined}
                aria-describedby={describedBy("description", true)}
                className={textareaClass(err("description"))}
              />
              <p id="description-hint" className="text-sm text-slate-600">
                {t("followUps.form.hints.description")}
              </p>
              {errorLine("description")}
            </div>
            <SelectField
              name="priority"
              label={labels.priority}
              defaultValue={asText(values.priority) || "normal"}
              error={err("priority")}
              options={PRIORITIES.map((p) => ({ value: p, label: t(`priority.${p}`) }))}
            />
          </div>
        </Card>

        <Card title={t("followUps.form.sections.where")}>
          <div className="grid gap-4 md:grid-cols-2">
            <SelectField
              name="country"
              label={labels.country}
              required
              defaultValue={asText(values.country)}
              error={err("country")}
              placeholder={t("followUps.form.chooseCountry")}
              options={countries}
            />
            <TextField
              name="localities"
              label={labels.localities}
              maxLength={2000}
              defaultValue={asText(values.localities)}
              error={err("localities")}
              hint={t("followUps.form.hints.localities")}
            />
            <TextField
              name="desiredFrom"
              type="date"
              label={labels.desiredFrom}
              defaultValue={asText(values.desiredFrom)}
              error={err("desiredFrom")}
              hint={t("followUps.form.hints.period")}
            />
            <TextField name="desiredTo" type="date" label={labels.desiredTo} defaultValue={asText(values.desiredTo)} error={err("desiredTo")} />
          </div>
        </Card>

        <Card title={t("followUps.form.sections.who")}>
          <div className="grid gap-4 md:grid-cols-2">
            <div className="md:col-span-2">
              <TextField
                name="targetAudience"
                label={labels.targetAudience}
                maxLength={500}
                defaultValue={asText(values.targetAudience)}
                error={err("targetAudience")}
                hint={t("followUps.form.hints.targetAudience")}
              />
            </div>
            <TextField
              name="estimatedParticipants"
              type="number"
              min={1}
              inputMode="numeric"
              label={labels.estimatedParticipants}
              defaultValue={asText(values.estimatedParticipants)}
              error={err("estimatedParticipants")}
              hint={t("followUps.form.hints.estimatedParticipants")}
            />
            <fieldset className="md:col-span-2" aria-describedby={err("roleCategories") ? "roleCategories-error" : undefined}>
              <legend className="text-sm font-medium text-slate-800">{labels.roleCategories}</legend>
              {errorLine("roleCategories")}
              <div id="roleCategories" className="mt-2 grid gap-2 sm:grid-cols-3">
                {ROLE_CATEGORIES.map((r) => (
                  <label key={r} className="flex items-center gap-2 text-sm">
                    <input type="checkbox" name="roleCategories" value={r} defaultChecked={roles.includes(r)} />
                    {t(`roleCategory.${r}`)}
                  </label>
                ))}
              </div>
            </fieldset>
          </div>
        </Card>
        <Button disabled={navigation.state === "submitting"}>{t("followUps.form.submit")}</Button>
      </Form>
    </div>
  );
}
