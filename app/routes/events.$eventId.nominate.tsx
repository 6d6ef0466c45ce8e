import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import type { z } from "zod";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/lib/translation";
import { requireActor } from "~/auth/session.server";
import { PersonFields } from "~/components/person-fields";
import { countryCodes } from "~/lib/zoned";
import { Button } from "~/components/ui/button";
import { ErrorSummary } from "~/components/ui/field";
import { Card, EmptyState, Notice } from "~/components/ui/page";
import { config } from "~/config.server";
import { redirectWithFlash } from "~/flash.server";
import { formValues, parseForm } from "~/lib/forms";
import { idParam } from "~/lib/params";
import { personSchema } from "~/lib/schemas/people";
import { nominationSchema } from "~/lib/schemas/registration";
import { FieldError } from "~/models/field-error.server";
import { nominate, nominationCandidates } from "~/models/registrations.server";
import { SubmissionKey } from "~/components/ui/submission-key";
import { createOnce, newSubmissionKey, submissionOf } from "~/models/submission-keys.server";
import { readFormData } from "~/lib/form-data.server";

/** The translation namespaces this page uses besides the common ones (root.tsx) and its parents'. */
export const handle = { i18n: ["errors", "form", "nomination", "organisationKind", "organisationSelect", "person", "registration", "registrationStatus", "roleCategory"] };

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request, ["partner"]);
  return { ...(await nominationCandidates(actor, idParam(params.eventId))), countries: countryCodes(), formKey: newSubmissionKey() };
}

/**
 * A partner focal point nominates officers of its own agency: several at once from the agency's
 * people, and/or one new officer typed in.
 */
export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request, ["partner"]);
  const eventId = idParam(params.eventId);
  const formData = await readFormData(request);
  const chosen = parseForm(formData, nominationSchema);
  if (!chosen.ok) return data({ errors: chosen.errors, values: formValues(formData) }, { status: 400 });
  const typedSomething = ["givenName", "familyName", "email"].some((f) => String(formData.get(f) ?? "").trim() !== "");
  const newPeople: z.infer<typeof personSchema>[] = [];
  if (typedSomething) {
    const person = parseForm(formData, personSchema);
    if (!person.ok) return data({ errors: person.errors, values: person.values }, { status: 400 });
    newPeople.push(person.data);
  }
  if (chosen.data.personIds.length === 0 && newPeople.length === 0) {
    return data({ errors: { form: "nomination.errors.nobody" } as Record<string, string>, values: formValues(formData) }, { status: 400 });
  }
  try {
    await createOnce(submissionOf(request, formData, "nomination", actor.user.id), async () => {
      await nominate(actor, eventId, { personIds: chosen.data.personIds, newPeople }, config().appUrl);
      return `/events/${eventId}/roster`;
    });
  } catch (error) {
    if (error instanceof FieldError) return data({ errors: { [error.field]: error.messageKey }, values: formValues(formData) }, { status: 400 });
    throw error;
  }
  return await redirectWithFlash(`/events/${eventId}/roster`, "flash.nominated");
}

export default function Nominate() {
  const { officers, countries, formKey } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const errors = actionData?.errors;
  return (
    <div className="max-w-3xl space-y-4">
      <h2 className="text-xl font-semibold">{t("nomination.title")}</h2>
      <p className="text-sm text-slate-700">{t("nomination.intro")}</p>
      {errors?.form ? <Notice tone="error">{t(errors.form as "nomination.errors.nobody")}</Notice> : null}
      <Form method="post" className="space-y-4" noValidate>
        <SubmissionKey value={formKey} />
        <ErrorSummary errors={errors && !errors.form ? errors : undefined} labels={{ givenName: t("person.givenName"), familyName: t("person.familyName"), email: t("person.email") }} />
        <Card title={t("nomination.fromAgency")}>
          {officers.length === 0 ? (
            <EmptyState message={t("nomination.noOfficers")} />
          ) : (
            <ul className="grid gap-2 sm:grid-cols-2">
              {officers.map((o) => (
                <li key={o.id}>
                  <label className="flex items-start gap-2 text-sm">
                    <input type="checkbox" name="personIds" value={o.id} disabled={o.registrationStatus !== null && o.registrationStatus !== "cancelled" && o.registrationStatus !== "declined"} className="mt-1" />
                    <span>
                      <bdi>{o.givenName} {o.familyName}</bdi>
                      {o.registrationStatus ? <span className="text-slate-600"> · {t(`registrationStatus.${o.registrationStatus}`)}</span> : null}
                      {o.position ? <span className="block text-xs text-slate-600"><bdi>{o.position}</bdi></span> : null}
                    </span>
                  </label>
                </li>
              ))}
            </ul>
          )}
        </Card>
        <Card title={t("nomination.newOfficer")}>
          <p className="mb-3 text-sm text-slate-600">{t("nomination.newOfficerHelp")}</p>
          <PersonFields values={actionData?.values ?? {}} errors={errors} countries={countries} organisations={[]} withOrganisation={false} />
        </Card>
        <Button>{t("nomination.submit")}</Button>
      </Form>
    </div>
  );
}
