import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/lib/translation";
import { requireActor } from "~/auth/session.server";
import { EventForm } from "~/components/event-form";
import { PageHeader } from "~/components/ui/page";
import { redirectWithFlash } from "~/flash.server";
import { formValuesAll, parseForm } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { eventSchema } from "~/lib/schemas/events";
import { createEvent, eventFormOptions } from "~/models/events.server";
import { FieldError } from "~/models/field-error.server";
import { createOnce, newSubmissionKey, submissionOf } from "~/models/submission-keys.server";
import { readFormData } from "~/lib/form-data.server";

/** The translation namespaces this page uses besides the common ones (root.tsx) and its parents'. */
export const handle = { i18n: ["errors", "event", "eventType", "events", "form", "gcm", "organisationKind", "organisationSelect", "roleCategory"] };

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "events.form.newTitle");

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request, ["admin", "coordinator"]);
  return { options: await eventFormOptions(actor), formKey: newSubmissionKey() };
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireActor(request, ["admin", "coordinator"]);
  const formData = await readFormData(request);
  const parsed = parseForm(formData, eventSchema);
  if (!parsed.ok) return data({ errors: parsed.errors, values: formValuesAll(formData) }, { status: 400 });
  try {
    const location = await createOnce(submissionOf(request, formData, "event", actor.user.id), async () => `/events/${(await createEvent(actor, parsed.data))}`);
    return await redirectWithFlash(location, "flash.eventCreated");
  } catch (error) {
    if (error instanceof FieldError) {
      return data({ errors: { [error.field]: error.messageKey }, values: formValuesAll(formData) }, { status: 400 });
    }
    throw error;
  }
}

export default function NewEvent() {
  const { options, formKey } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  return (
    <div className="max-w-4xl">
      <PageHeader title={t("events.form.newTitle")} crumbs={[{ label: t("events.title"), to: "/events" }, { label: t("events.form.newTitle") }]} />
      <EventForm values={actionData?.values ?? { country: options.defaultCountry }} errors={actionData?.errors} options={options} submitLabel={t("events.form.create")} submissionKey={formKey} />
    </div>
  );
}
