import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AREA_ROLES } from "~/auth/permissions";
import { requireActor } from "~/auth/session.server";
import { EventStatusBadge } from "~/components/ui/badge";
import { Parts } from "~/components/ui/bidi";
import { Button } from "~/components/ui/button";
import { ErrorSummary, TextField } from "~/components/ui/field";
import { Card, EmptyState, PageHeader } from "~/components/ui/page";
import { redirectWithFlash } from "~/flash.server";
import { countryName, formatDay, formatDayRange, formatList, formatNumber } from "~/lib/format";
import { formValues, parseForm, type FieldErrors } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { idParam } from "~/lib/params";
import { programmeSchema } from "~/lib/schemas/programmes";
import { donorOptions, getProgramme, updateProgramme, ValidationError } from "~/models/programmes.server";

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  data ? pageTitle(matches, "programmes.pageTitle", { name: data.programme.name }) : pageTitle(matches, "programmes.title");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request, AREA_ROLES.programmes);
  const { programme, donors, events } = getProgramme(actor, idParam(params.programmeId));
  return { programme, donors, events, donorOptions: donorOptions(actor) };
}

/** 400 with the field errors and everything typed (the checked donors too), so nothing is lost. */
function refused(formData: FormData, errors: FieldErrors) {
  return data(
    { ok: false as const, errors, values: formValues(formData), donorIds: formData.getAll("donorIds").map(String) },
    { status: 400 },
  );
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request, AREA_ROLES.programmes);
  const programmeId = idParam(params.programmeId);
  const formData = await request.formData();
  const parsed = parseForm(formData, programmeSchema);
  if (!parsed.ok) return refused(formData, parsed.errors);
  try {
    updateProgramme(actor, programmeId, parsed.data);
  } catch (error) {
    if (error instanceof ValidationError) return refused(formData, { [error.field]: error.messageKey });
    throw error;
  }
  return redirectWithFlash(`/programmes/${programmeId}`, "flash.saved");
}

export default function ProgrammePage() {
  const { programme, donors, events, donorOptions } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const errors = actionData?.errors;
  const values: Record<string, string> = actionData?.values ?? {
    name: programme.name,
    code: programme.code ?? "",
    description: programme.description ?? "",
    startDate: programme.startDate ?? "",
    endDate: programme.endDate ?? "",
  };
  const checked = new Set(actionData?.donorIds ?? donors.map((d) => String(d.id)));
  const { startDate, endDate } = programme;
  const dates =
    startDate && endDate
      ? formatDayRange(startDate, endDate, locale)
      : startDate
        ? t("programmes.since", { date: formatDay(startDate, locale) })
        : endDate
          ? t("programmes.until", { date: formatDay(endDate, locale) })
          : null;
  const textareaClass = `block w-full rounded-md border bg-white px-3 py-2 text-base shadow-sm focus:border-brand-600 ${
    errors?.description ? "border-red-600" : "border-slate-300"
  }`;
  return (
    <div className="space-y-6">
      <PageHeader title={programme.name} crumbs={[{ label: t("programmes.title"), to: "/programmes" }, { label: programme.name }]}>
        <p className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm text-slate-700">
          {programme.code ? <bdi>{programme.code}</bdi> : null}
          {dates ? <span>{dates}</span> : null}
          <span>
            {donors.length > 0
              ? t("programmes.fundedBy", { donors: formatList(donors.map((d) => d.name), locale) })
              : t("programmes.noDonors")}
          </span>
          <span>{t("programmes.eventsCount", { count: events.length, formatted: formatNumber(events.length, locale) })}</span>
        </p>
        {programme.description ? <p className="max-w-3xl whitespace-pre-line text-sm text-slate-700">{programme.description}</p> : null}
      </PageHeader>

      <Card title={t("programmes.eventsTitle")}>
        {events.length === 0 ? (
          <EmptyState message={t("programmes.noEvents")} />
        ) : (
          <div className="overflow-x-auto">
            <table className="min-w-full divide-y divide-slate-200 text-sm">
              <caption className="sr-only">{t("programmes.eventsTitle")}</caption>
              <thead className="bg-slate-100">
                <tr>
                  <th scope="col" className="px-4 py-2 text-start font-semibold">{t("programmes.eventColumns.event")}</th>
                  <th scope="col" className="px-4 py-2 text-start font-semibold">{t("programmes.eventColumns.dates")}</th>
                  <th scope="col" className="px-4 py-2 text-start font-semibold">{t("programmes.eventColumns.place")}</th>
                  <th scope="col" className="px-4 py-2 text-start font-semibold">{t("programmes.eventColumns.status")}</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {events.map((e) => (
                  <tr key={e.id}>
                    <td className="px-4 py-3">
                      <Link to={`/events/${e.id}`} className="font-medium">
                        {e.title}
                      </Link>
                    </td>
                    <td className="whitespace-nowrap px-4 py-3">{formatDayRange(e.startDate, e.endDate, locale)}</td>
                    <td className="px-4 py-3">
                      <Parts parts={[e.locality, countryName(e.country, locale)]} />
                    </td>
                    <td className="px-4 py-3">
                      <EventStatusBadge status={e.status} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>

      <Card title={t("programmes.detailsTitle")} className="max-w-2xl">
        <Form method="post" className="space-y-4" noValidate>
          <ErrorSummary
            errors={errors}
            labels={{
              name: t("programmes.fields.name"),
              code: t("programmes.fields.code"),
              description: t("programmes.fields.description"),
              startDate: t("programmes.fields.startDate"),
              endDate: t("programmes.fields.endDate"),
              donorIds: t("programmes.fields.donors"),
            }}
          />
          <TextField name="name" label={t("programmes.fields.name")} required maxLength={200} defaultValue={values.name ?? ""} error={errors?.name} />
          <TextField
            name="code"
            label={t("programmes.fields.code")}
            hint={t("programmes.fields.codeHint")}
            maxLength={40}
            defaultValue={values.code ?? ""}
            error={errors?.code}
          />
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField name="startDate" type="date" label={t("programmes.fields.startDate")} defaultValue={values.startDate ?? ""} error={errors?.startDate} />
            <TextField
              name="endDate"
              type="date"
              label={t("programmes.fields.endDate")}
              hint={t("programmes.fields.datesHint")}
              defaultValue={values.endDate ?? ""}
              error={errors?.endDate}
            />
          </div>
          <div className="space-y-1">
            <label htmlFor="description" className="block text-sm font-medium text-slate-800">
              {t("programmes.fields.description")}
            </label>
            <textarea
              id="description"
              name="description"
              rows={4}
              maxLength={5000}
              defaultValue={values.description ?? ""}
              aria-invalid={errors?.description ? true : undefined}
              aria-describedby={errors?.description ? "description-error" : undefined}
              className={textareaClass}
            />
            {errors?.description ? (
              <p id="description-error" className="text-sm font-medium text-red-700">
                {t(errors.description as "errors.tooLong")}
              </p>
            ) : null}
          </div>
          <fieldset
            id="donorIds"
            tabIndex={-1}
            aria-describedby={["donorIds-hint", errors?.donorIds ? "donorIds-error" : null].filter(Boolean).join(" ")}
            className="space-y-2"
          >
            <legend className="block text-sm font-medium text-slate-800">{t("programmes.fields.donors")}</legend>
            {donorOptions.length === 0 ? (
              <p className="text-sm text-slate-600">
                {t("programmes.noDonorOrganisations")} <Link to="/organisations/new?kind=donor">{t("programmes.addDonorOrganisation")}</Link>
              </p>
            ) : (
              <ul className="grid gap-2 sm:grid-cols-2">
                {donorOptions.map((d) => (
                  <li key={d.id}>
                    <label className="flex items-center gap-2 text-sm">
                      <input type="checkbox" name="donorIds" value={d.id} defaultChecked={checked.has(String(d.id))} className="h-4 w-4" />
                      <bdi>{d.name}</bdi>
                      {d.acronym ? (
                        <span className="text-slate-600">
                          (<bdi>{d.acronym}</bdi>)
                        </span>
                      ) : null}
                    </label>
                  </li>
                ))}
              </ul>
            )}
            <p id="donorIds-hint" className="text-sm text-slate-600">
              {t("programmes.fields.donorsHint")}
            </p>
            {errors?.donorIds ? (
              <p id="donorIds-error" className="text-sm font-medium text-red-700">
                {t(errors.donorIds as "errors.choice")}
              </p>
            ) : null}
          </fieldset>
          <Button>{t("form.save")}</Button>
        </Form>
      </Card>
    </div>
  );
}
