import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AREA_ROLES } from "~/auth/permissions";
import { requireActor } from "~/auth/session.server";
import { Button } from "~/components/ui/button";
import { ErrorSummary, TextField } from "~/components/ui/field";
import { Card, PageHeader } from "~/components/ui/page";
import { redirectWithFlash } from "~/flash.server";
import { formValues, parseForm, type FieldErrors } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { programmeSchema } from "~/lib/schemas/programmes";
import { createProgramme, donorOptions, ValidationError } from "~/models/programmes.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "programmes.new");

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request, AREA_ROLES.programmes);
  return { donors: donorOptions(actor) };
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
  const formData = await request.formData();
  const parsed = parseForm(formData, programmeSchema);
  if (!parsed.ok) return refused(formData, parsed.errors);
  let id: number;
  try {
    id = createProgramme(actor, parsed.data);
  } catch (error) {
    if (error instanceof ValidationError) return refused(formData, { [error.field]: error.messageKey });
    throw error;
  }
  return redirectWithFlash(`/programmes/${id}`, "flash.saved");
}

export default function NewProgramme() {
  const { donors } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const errors = actionData?.errors;
  const values = actionData?.values ?? {};
  const checked = new Set(actionData?.donorIds ?? []);
  const inputClass = `block w-full rounded-md border bg-white px-3 py-2 text-base shadow-sm focus:border-brand-600 ${
    errors?.description ? "border-red-600" : "border-slate-300"
  }`;
  return (
    <div className="max-w-2xl">
      <PageHeader
        title={t("programmes.new")}
        crumbs={[{ label: t("programmes.title"), to: "/programmes" }, { label: t("programmes.new") }]}
      />
      <Card>
        <p className="mb-4 text-sm text-slate-600">{t("programmes.newIntro")}</p>
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
              className={inputClass}
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
            {donors.length === 0 ? (
              <p className="text-sm text-slate-600">
                {t("programmes.noDonorOrganisations")} <Link to="/organisations/new?kind=donor">{t("programmes.addDonorOrganisation")}</Link>
              </p>
            ) : (
              <ul className="grid gap-2 sm:grid-cols-2">
                {donors.map((d) => (
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
          <Button>{t("programmes.create")}</Button>
        </Form>
      </Card>
    </div>
  );
}
