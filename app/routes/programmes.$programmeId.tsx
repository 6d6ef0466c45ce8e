import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/lib/translation";
import { AREA_ROLES } from "~/auth/permissions";
import { requireActor } from "~/auth/session.server";
import { ProgrammeFormFields } from "~/components/programme-form-fields";
import { EventStatusBadge } from "~/components/ui/badge";
import { Parts } from "~/components/ui/bidi";
import { Button } from "~/components/ui/button";
import { Card, EmptyState, PageHeader } from "~/components/ui/page";
import { Pagination } from "~/components/ui/pagination";
import { redirectWithFlash } from "~/flash.server";
import { countryName, formatDay, formatDayRange, formatList, formatNumber } from "~/lib/format";
import { formValues, parseForm, type FieldErrors } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { idParam, pageParam } from "~/lib/params";
import { programmeSchema } from "~/lib/schemas/programmes";
import { donorOptions, getProgramme, updateProgramme, ValidationError } from "~/models/programmes.server";
import { readFormData } from "~/lib/form-data.server";

/** The translation namespaces this page uses besides the common ones (root.tsx) and its parents'. */
export const handle = { i18n: ["errors", "eventStatus", "form", "pagination", "programmes"] };

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  data ? pageTitle(matches, "programmes.pageTitle", { name: data.programme.name }) : pageTitle(matches, "programmes.title");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request, AREA_ROLES.programmes);
  const { programme, donors, events, eventCount, page, pageCount } = await getProgramme(actor, idParam(params.programmeId), {
    page: pageParam(new URL(request.url)),
  });
  return { programme, donors, events, eventCount, page, pageCount, donorOptions: await donorOptions(actor) };
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
  const formData = await readFormData(request);
  const parsed = parseForm(formData, programmeSchema);
  if (!parsed.ok) return refused(formData, parsed.errors);
  try {
    await updateProgramme(actor, programmeId, parsed.data);
  } catch (error) {
    if (error instanceof ValidationError) return refused(formData, { [error.field]: error.messageKey });
    throw error;
  }
  return await redirectWithFlash(`/programmes/${programmeId}`, "flash.saved");
}

export default function ProgrammePage() {
  const { programme, donors, events, eventCount, page, pageCount, donorOptions } = useLoaderData<typeof loader>();
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
  const { startDate, endDate } = programme;
  const dates =
    startDate && endDate
      ? formatDayRange(startDate, endDate, locale)
      : startDate
        ? t("programmes.since", { date: formatDay(startDate, locale) })
        : endDate
          ? t("programmes.until", { date: formatDay(endDate, locale) })
          : null;
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
          <span>{t("programmes.eventsCount", { count: eventCount, formatted: formatNumber(eventCount, locale) })}</span>
        </p>
        {programme.description ? <p className="max-w-3xl whitespace-pre-line text-sm text-slate-700"><bdi>{programme.description}</bdi></p> : null}
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
                      <EventStatusBadge status={e.status} registrationClosed={e.registrationClosed} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <Pagination page={page} pageCount={pageCount} />
          </div>
        )}
      </Card>

      <Card title={t("programmes.detailsTitle")} className="max-w-2xl">
        <Form method="post" className="space-y-4" noValidate>
          <ProgrammeFormFields
            values={values}
            errors={errors}
            donors={donorOptions}
            checkedDonorIds={actionData?.donorIds ?? donors.map((d) => String(d.id))}
          />
          <Button>{t("form.save")}</Button>
        </Form>
      </Card>
    </div>
  );
}
