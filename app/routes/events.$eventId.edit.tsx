import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/lib/translation";
import { requireActor } from "~/auth/session.server";
import { EventForm } from "~/components/event-form";
import { redirectWithFlash } from "~/flash.server";
import { formValuesAll, parseForm } from "~/lib/forms";
import { idParam } from "~/lib/params";
import { eventSchema } from "~/lib/schemas/events";
import { eventFormOptions, getEventForEdit, updateEvent } from "~/models/events.server";
import { FieldError } from "~/models/field-error.server";
import { readFormData } from "~/lib/form-data.server";

/** The translation namespaces this page uses besides the common ones (root.tsx) and its parents'. */
export const handle = { i18n: ["errors", "eventType", "events", "form", "gcm", "organisationKind", "organisationSelect", "roleCategory"] };

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request, ["admin", "coordinator"]);
  const event = await getEventForEdit(actor, idParam(params.eventId));
  return { event, options: await eventFormOptions(actor, (event.values.partnerIds ?? []).map(Number)) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request, ["admin", "coordinator"]);
  const eventId = idParam(params.eventId);
  const formData = await readFormData(request);
  const parsed = parseForm(formData, eventSchema);
  if (!parsed.ok) return data({ errors: parsed.errors, values: formValuesAll(formData) }, { status: 400 });
  try {
    await updateEvent(actor, eventId, parsed.data);
    return await redirectWithFlash(`/events/${eventId}`, "flash.saved");
  } catch (error) {
    if (error instanceof FieldError) {
      return data(
        { errors: { [error.field]: error.messageKey }, values: formValuesAll(formData), errorValues: error.values },
        { status: 400 },
      );
    }
    throw error;
  }
}

export default function EditEvent() {
  const { event, options } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  return (
    <div className="max-w-4xl">
      <h2 className="mb-4 text-xl font-semibold">{t("events.form.editTitle")}</h2>
      <EventForm values={actionData?.values ?? event.values} errors={actionData?.errors} options={options} submitLabel={t("form.save")} />
    </div>
  );
}
