import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/lib/translation";
import { AREA_ROLES } from "~/auth/permissions";
import { requireActor } from "~/auth/session.server";
import { OrganisationFormFields } from "~/components/organisation-form-fields";
import { Button } from "~/components/ui/button";
import { Card, PageHeader } from "~/components/ui/page";
import { redirectWithFlash } from "~/flash.server";
import { countryName, formatNumber } from "~/lib/format";
import { formValues, parseForm, type FieldErrors } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { idParam } from "~/lib/params";
import { organisationSchema } from "~/lib/schemas/organisations";
import { countryCodes } from "~/lib/zoned";
import { getOrganisation, updateOrganisation, ValidationError } from "~/models/organisations.server";
import { readFormData } from "~/lib/form-data.server";

/** The translation namespaces this page uses besides the common ones (root.tsx) and its parents'. */
export const handle = { i18n: ["errors", "form", "organisationKind", "organisations"] };

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  data ? pageTitle(matches, "organisations.pageTitle", { name: data.organisation.name }) : pageTitle(matches, "organisations.title");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request, AREA_ROLES.organisations);
  const { organisation, fundedProgrammes } = await getOrganisation(actor, idParam(params.organisationId));
  return { organisation, fundedProgrammes, countries: countryCodes() };
}

function refused(formData: FormData, errors: FieldErrors) {
  return data({ ok: false as const, errors, values: formValues(formData) }, { status: 400 });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request, AREA_ROLES.organisations);
  const organisationId = idParam(params.organisationId);
  const formData = await readFormData(request);
  const parsed = parseForm(formData, organisationSchema);
  if (!parsed.ok) return refused(formData, parsed.errors);
  try {
    await updateOrganisation(actor, organisationId, parsed.data);
  } catch (error) {
    if (error instanceof ValidationError) return refused(formData, { [error.field]: error.messageKey });
    throw error;
  }
  return await redirectWithFlash(`/organisations/${organisationId}`, "flash.saved");
}

export default function OrganisationPage() {
  const { organisation, fundedProgrammes, countries } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const errors = actionData?.errors;
  const values: Record<string, string> = actionData?.values ?? {
    name: organisation.name,
    acronym: organisation.acronym ?? "",
    kind: organisation.kind,
    country: organisation.country ?? "",
  };
  const count = (n: number) => ({ count: n, formatted: formatNumber(n, locale) });
  return (
    <div className="space-y-6">
      <PageHeader
        title={organisation.name}
        crumbs={[{ label: t("organisations.title"), to: "/organisations" }, { label: organisation.name }]}
      >
        <p className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm text-slate-700">
          {organisation.acronym ? <bdi>{organisation.acronym}</bdi> : null}
          <span>{t(`organisationKind.${organisation.kind}`)}</span>
          {organisation.country ? <span>{countryName(organisation.country, locale)}</span> : null}
        </p>
      </PageHeader>

      <Card title={t("organisations.inConvene")} className="max-w-2xl">
        <ul className="space-y-1 text-sm">
          <li>{t("organisations.usersCount", count(organisation.users))}</li>
          <li>{t("organisations.peopleCount", count(organisation.people))}</li>
          <li>{t("organisations.eventsCount", count(organisation.events))}</li>
        </ul>
        {organisation.kind === "donor" ? (
          <div className="mt-4 border-t border-slate-200 pt-4">
            <h3 className="mb-2 text-sm font-semibold text-slate-900">{t("organisations.fundedProgrammes")}</h3>
            {fundedProgrammes.length === 0 ? (
              <p className="text-sm text-slate-600">{t("organisations.noFundedProgrammes")}</p>
            ) : (
              <ul className="list-disc space-y-1 ps-5 text-sm">
                {fundedProgrammes.map((p) => (
                  <li key={p.id}>
                    <Link to={`/programmes/${p.id}`}>{p.name}</Link>
                  </li>
                ))}
              </ul>
            )}
          </div>
        ) : null}
      </Card>

      <Card title={t("organisations.detailsTitle")} className="max-w-2xl">
        <Form method="post" className="space-y-4" noValidate>
          <OrganisationFormFields values={values} errors={errors} defaultKind={organisation.kind} countries={countries} />
          <Button>{t("form.save")}</Button>
        </Form>
      </Card>
    </div>
  );
}
