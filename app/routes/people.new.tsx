import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/lib/translation";
import { AREA_ROLES } from "~/auth/permissions";
import { requireActor } from "~/auth/session.server";
import { Button } from "~/components/ui/button";
import { ErrorSummary } from "~/components/ui/field";
import { Card, PageHeader } from "~/components/ui/page";
import { redirectWithFlash } from "~/flash.server";
import { formValues, parseForm, type FieldErrors } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { personSchema } from "~/lib/schemas/people";
import { countryCodes } from "~/lib/zoned";
import { createPerson, personOrganisationOptions, ValidationError, type PersonMatch } from "~/models/people.server";
import { PersonRecordFields, useFieldLabels } from "~/components/person-record-fields";
import { SubmissionKey } from "~/components/ui/submission-key";
import { newSubmissionKey, once, submissionOf } from "~/models/submission-keys.server";
import { readFormData } from "~/lib/form-data.server";

/** The translation namespaces this page uses besides the common ones (root.tsx) and its parents'. */
export const handle = { i18n: ["errors", "form", "organisationKind", "organisationSelect", "people", "person", "roleCategory", "sex"] };

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "people.new");

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request, AREA_ROLES.people);
  return { organisations: await personOrganisationOptions(actor), countries: countryCodes(), formKey: newSubmissionKey() };
}

/** The form again, filled in: 400 for bad input, 409 when the person seems to exist already. */
function refused(formData: FormData, errors: FieldErrors, duplicates: PersonMatch[] = [], status = 400) {
  return data({ ok: false as const, errors, values: formValues(formData), duplicates }, { status });
}

/**
 * personSchema's email is a union ("" or an address), and zod reports a failed union as its own
 * "Invalid input": show our message for a malformed or over-long address instead.
 */
function withEmailMessage(errors: FieldErrors): FieldErrors {
  return errors.email && !errors.email.startsWith("errors.") ? { ...errors, email: "errors.email" } : errors;
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireActor(request, AREA_ROLES.people);
  const formData = await readFormData(request);
  const parsed = parseForm(formData, personSchema);
  if (!parsed.ok) return refused(formData, withEmailMessage(parsed.errors));
  let outcome;
  try {
    outcome = await once(
      submissionOf(request, formData, "person", actor.user.id),
      async () => await createPerson(actor, parsed.data, { confirmDuplicate: formData.get("confirmDuplicate") === "yes" }),
      (created) => (created.ok ? `/people/${created.id}` : null),
    );
  } catch (error) {
    if (error instanceof ValidationError) return refused(formData, { [error.field]: error.messageKey });
    throw error;
  }
  if (outcome.replayed) return await redirectWithFlash(outcome.location, "flash.saved");
  const result = outcome.result;
  if (!result.ok) {
    return refused(formData, result.emailTaken ? { email: "people.errors.emailTaken" } : {}, result.duplicates, 409);
  }
  return await redirectWithFlash(`/people/${result.id}`, "flash.saved");
}

export default function NewPerson() {
  const { organisations, countries, formKey } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const labels = useFieldLabels();
  const errors = actionData?.errors;
  const values = actionData?.values ?? {};
  const duplicates = actionData?.duplicates ?? [];
  const emailTaken = duplicates.some((d) => d.reason === "email");
  return (
    <div className="max-w-2xl">
      <PageHeader title={t("people.new")} crumbs={[{ label: t("people.title"), to: "/people" }, { label: t("people.new") }]} />
      <Card>
        <p className="mb-4 text-sm text-slate-600">{t("people.newIntro")}</p>
        <Form method="post" className="space-y-4" noValidate>
          <SubmissionKey value={formKey} />
          <ErrorSummary errors={errors} labels={labels} />
          {duplicates.length > 0 ? <Duplicates duplicates={duplicates} emailTaken={emailTaken} /> : null}
          <PersonRecordFields values={values} errors={errors} organisations={organisations} countries={countries} />
          <Button>{t("people.create")}</Button>
        </Form>
      </Card>
    </div>
  );
}

/** The people the details match, each with a link to their record; for a name match, "create anyway". */
function Duplicates({ duplicates, emailTaken }: { duplicates: PersonMatch[]; emailTaken: boolean }) {
  const { t } = useTranslation();
  return (
    <div role="alert" className="space-y-3 rounded-md border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950">
      <h2 className="font-semibold">{t(emailTaken ? "people.duplicates.emailTitle" : "people.duplicates.nameTitle")}</h2>
      <p>{t(emailTaken ? "people.duplicates.emailBody" : "people.duplicates.nameBody")}</p>
      <ul className="space-y-1">
        {duplicates.map((d) => (
          <li key={d.id} className="flex flex-wrap items-baseline gap-x-2">
            <Link to={`/people/${d.id}`} className="font-medium">
              <bdi>{`${d.givenName} ${d.familyName}`}</bdi>
            </Link>
            {d.organisationName ? <bdi className="text-slate-700">{d.organisationName}</bdi> : null}
            {d.email ? <bdi className="text-slate-700">{d.email}</bdi> : null}
            <span className="text-slate-700">({t(d.reason === "email" ? "people.duplicates.byEmail" : "people.duplicates.byName")})</span>
          </li>
        ))}
      </ul>
      {emailTaken ? null : (
        <div>
          <label className="flex items-center gap-2 font-medium">
            <input type="checkbox" name="confirmDuplicate" value="yes" aria-describedby="confirmDuplicate-hint" className="h-4 w-4" />
            {t("people.duplicates.confirm")}
          </label>
          <p id="confirmDuplicate-hint" className="mt-1 text-slate-700">
            {t("people.duplicates.confirmHint")}
          </p>
        </div>
      )}
    </div>
  );
}
