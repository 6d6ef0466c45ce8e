import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/lib/translation";
import { requireActor } from "~/auth/session.server";
import { PersonFields } from "~/components/person-fields";
import { countryCodes } from "~/lib/zoned";
import { Button } from "~/components/ui/button";
import { ErrorSummary, SelectField } from "~/components/ui/field";
import { Card } from "~/components/ui/page";
import { config } from "~/config.server";
import { redirectWithFlash } from "~/flash.server";
import { EVENT_ROLES, REGISTRATION_STATUSES } from "~/lib/domain";
import { formValues, parseForm } from "~/lib/forms";
import { idParam } from "~/lib/params";
import { rosterAddSchema } from "~/lib/schemas/registration";
import { FieldError } from "~/models/field-error.server";
import { addToRoster, rosterOrganisations } from "~/models/registrations.server";
import { SubmissionKey } from "~/components/ui/submission-key";
import { createOnce, newSubmissionKey, submissionOf } from "~/models/submission-keys.server";
import { readFormData } from "~/lib/form-data.server";

/** The translation namespaces this page uses besides the common ones (root.tsx) and its parents'. */
export const handle = { i18n: ["errors", "eventRole", "form", "organisationKind", "organisationSelect", "person", "registration", "registrationStatus", "roleCategory", "roster"] };

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireActor(request, ["admin", "coordinator"]);
  idParam(params.eventId);
  return { organisations: await rosterOrganisations(), countries: countryCodes(), formKey: newSubmissionKey() };
}

/** A coordinator adds a participant, facilitator, observer or organiser (an existing person is recognised). */
export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request, ["admin", "coordinator"]);
  const eventId = idParam(params.eventId);
  const formData = await readFormData(request);
  const parsed = parseForm(formData, rosterAddSchema);
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  try {
    await createOnce(submissionOf(request, formData, "roster_add", actor.user.id), async () => {
      await addToRoster(actor, eventId, parsed.data, config().appUrl);
      return `/events/${eventId}/roster`;
    });
  } catch (error) {
    if (error instanceof FieldError) return data({ errors: { [error.field]: error.messageKey }, values: formValues(formData) }, { status: 400 });
    throw error;
  }
  return await redirectWithFlash(`/events/${eventId}/roster`, "flash.rosterUpdated");
}

export default function RosterAdd() {
  const { organisations, countries, formKey } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const values = actionData?.values ?? {};
  return (
    <div className="max-w-3xl">
      <h2 className="mb-4 text-xl font-semibold">{t("roster.addTitle")}</h2>
      <Form method="post" className="space-y-4" noValidate>
        <SubmissionKey value={formKey} />
        <ErrorSummary errors={actionData?.errors} labels={{ givenName: t("person.givenName"), familyName: t("person.familyName"), email: t("person.email") }} />
        <Card>
          <div className="mb-4 grid gap-4 md:grid-cols-2">
            <SelectField
              name="eventRole"
              label={t("roster.columns.eventRole")}
              required
              defaultValue={values.eventRole ?? "participant"}
              error={actionData?.errors?.eventRole}
              options={EVENT_ROLES.map((r) => ({ value: r, label: t(`eventRole.${r}`) }))}
            />
            <SelectField
              name="status"
              label={t("roster.columns.status")}
              required
              defaultValue={values.status ?? "confirmed"}
              error={actionData?.errors?.status}
              options={REGISTRATION_STATUSES.map((s) => ({ value: s, label: t(`registrationStatus.${s}`) }))}
            />
          </div>
          <PersonFields values={values} errors={actionData?.errors} countries={countries} organisations={organisations} />
        </Card>
        <p className="text-sm text-slate-600">{t("roster.addHelp")}</p>
        <Button>{t("roster.addSubmit")}</Button>
      </Form>
    </div>
  );
}
