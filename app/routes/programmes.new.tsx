import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/lib/translation";
import { AREA_ROLES } from "~/auth/permissions";
import { requireActor } from "~/auth/session.server";
import { ProgrammeFormFields } from "~/components/programme-form-fields";
import { Button } from "~/components/ui/button";
import { Card, PageHeader } from "~/components/ui/page";
import { redirectWithFlash } from "~/flash.server";
import { formValues, parseForm, type FieldErrors } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { programmeSchema } from "~/lib/schemas/programmes";
import { createProgramme, donorOptions, ValidationError } from "~/models/programmes.server";
import { SubmissionKey } from "~/components/ui/submission-key";
import { createOnce, newSubmissionKey, submissionOf } from "~/models/submission-keys.server";
import { readFormData } from "~/lib/form-data.server";

/** The translation namespaces this page uses besides the common ones (root.tsx) and its parents'. */
export const handle = { i18n: ["errors", "form", "programmes"] };

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "programmes.new");

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request, AREA_ROLES.programmes);
  return { donors: await donorOptions(actor), formKey: newSubmissionKey() };
}

/** 400 with the field errors and everything typed (the checked donors too), so nothing is lost. */
function refused(formData: FormData, errors: FieldErrors) {
  return data(
    { ok: false as const, errors, values: formValues(formData), donorIds: formData.getAll("donorIds").map(String) },
    { status: 400 },
  );
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireActor(request, AREA_ROLES.programmes);
  const formData = await readFormData(request);
  const parsed = parseForm(formData, programmeSchema);
  if (!parsed.ok) return refused(formData, parsed.errors);
  let location: string;
  try {
    location = await createOnce(submissionOf(request, formData, "programme", actor.user.id), async () => `/programmes/${(await createProgramme(actor, parsed.data))}`);
  } catch (error) {
    if (error instanceof ValidationError) return refused(formData, { [error.field]: error.messageKey });
    throw error;
  }
  return await redirectWithFlash(location, "flash.saved");
}

export default function NewProgramme() {
  const { donors, formKey } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const errors = actionData?.errors;
  const values = actionData?.values ?? {};
  return (
    <div className="max-w-2xl">
      <PageHeader
        title={t("programmes.new")}
        crumbs={[{ label: t("programmes.title"), to: "/programmes" }, { label: t("programmes.new") }]}
      />
      <Card>
        <p className="mb-4 text-sm text-slate-600">{t("programmes.newIntro")}</p>
        <Form method="post" className="space-y-4" noValidate>
          <SubmissionKey value={formKey} />
          <ProgrammeFormFields values={values} errors={errors} donors={donors} checkedDonorIds={actionData?.donorIds ?? []} />
          <Button>{t("programmes.create")}</Button>
        </Form>
      </Card>
    </div>
  );
}
