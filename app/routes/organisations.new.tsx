import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/lib/translation";
import { AREA_ROLES } from "~/auth/permissions";
import { requireActor } from "~/auth/session.server";
import { OrganisationFormFields } from "~/components/organisation-form-fields";
import { Button } from "~/components/ui/button";
import { Card, PageHeader } from "~/components/ui/page";
import { redirectWithFlash } from "~/flash.server";
import { ORGANISATION_KINDS, type OrganisationKind } from "~/lib/domain";
import { formValues, parseForm, type FieldErrors } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { organisationSchema } from "~/lib/schemas/organisations";
import { countryCodes } from "~/lib/zoned";
import { createOrganisation, ValidationError } from "~/models/organisations.server";
import { SubmissionKey } from "~/components/ui/submission-key";
import { createOnce, newSubmissionKey, submissionOf } from "~/models/submission-keys.server";
import { readFormData } from "~/lib/form-data.server";

/** The translation namespaces this page uses besides the common ones (root.tsx) and its parents'. */
export const handle = { i18n: ["errors", "form", "organisationKind", "organisations"] };

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "organisations.new");

export async function loader({ request }: LoaderFunctionArgs) {
  await requireActor(request, AREA_ROLES.organisations);
  // "Add a donor organisation" (from a programme's form) arrives with ?kind=donor
  const kind = new URL(request.url).searchParams.get("kind");
  const defaultKind: OrganisationKind = (ORGANISATION_KINDS as readonly string[]).includes(kind ?? "") ? (kind as OrganisationKind) : "government_partner";
  return { defaultKind, countries: countryCodes(), formKey: newSubmissionKey() };
}

function refused(formData: FormData, errors: FieldErrors) {
  return data({ ok: false as const, errors, values: formValues(formData) }, { status: 400 });
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireActor(request, AREA_ROLES.organisations);
  const formData = await readFormData(request);
  const parsed = parseForm(formData, organisationSchema);
  if (!parsed.ok) return refused(formData, parsed.errors);
  let location: string;
  try {
    location = await createOnce(submissionOf(request, formData, "organisation", actor.user.id), async () => `/organisations/${(await createOrganisation(actor, parsed.data))}`);
  } catch (error) {
    if (error instanceof ValidationError) return refused(formData, { [error.field]: error.messageKey });
    throw error;
  }
  return await redirectWithFlash(location, "flash.saved");
}

export default function NewOrganisation() {
  const { defaultKind, countries, formKey } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const errors = actionData?.errors;
  const values = actionData?.values ?? {};
  return (
    <div className="max-w-2xl">
      <PageHeader
        title={t("organisations.new")}
        crumbs={[{ label: t("organisations.title"), to: "/organisations" }, { label: t("organisations.new") }]}
      />
      <Card>
        <p className="mb-4 text-sm text-slate-600">{t("organisations.newIntro")}</p>
        <Form method="post" className="space-y-4" noValidate>
          <SubmissionKey value={formKey} />
          <OrganisationFormFields values={values} errors={errors} defaultKind={defaultKind} countries={countries} />
          <Button>{t("organisations.create")}</Button>
        </Form>
      </Card>
    </div>
  );
}
