import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/lib/translation";
import { requireActor, requireUser } from "~/auth/session.server";
import { Button } from "~/components/ui/button";
import { SessionFormFields } from "~/components/session-form-fields";
import { Card, Notice } from "~/components/ui/page";
import { redirectWithFlash } from "~/flash.server";
import { formValues, parseForm } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { idParam } from "~/lib/params";
import { sessionSchema } from "~/lib/schemas/sessions";
import { createSession, getSession, requireTimetableEditor, sessionFormOptions } from "~/models/sessions.server";
import { SubmissionKey } from "~/components/ui/submission-key";
import { newSubmissionKey, once, submissionOf } from "~/models/submission-keys.server";
import { readFormData } from "~/lib/form-data.server";

/** The translation namespaces this page uses besides the common ones (root.tsx) and its parents'. */
export const handle = { i18n: ["errors", "form"] };

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "sessions.newTitle");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const eventId = idParam(params.eventId);
  const options = await sessionFormOptions(user, eventId);
  const search = new URL(request.url).searchParams;
  const requested = search.get("day");
  const day = requested && options.days.includes(requested) ? requested : options.days[0];
  // "Duplicate": the form filled in from a session of this event (404 for any other), to be changed before adding
  const from = search.get("from");
  if (from !== null) {
    const { session } = await getSession(user, eventId, idParam(from));
    return {
      ...options,
      formKey: newSubmissionKey(),
      copyOf: session.title,
      defaults: {
        title: session.title,
        kind: session.kind,
        day: options.days.includes(session.day) ? session.day : day,
        start: session.start,
        end: session.end,
        room: session.room ?? "",
        description: session.description ?? "",
      } as Record<string, string>,
      selected: (session.facilitators ?? []).map((f) => f.ref).filter((ref) => [...options.facilitatorUsers, ...options.rosterFacilitators].some((o) => o.ref === ref)),
    };
  }
  return {
    ...options,
    formKey: newSubmissionKey(),
    copyOf: null as string | null,
    defaults: { title: "", kind: "presentation", day, start: "09:00", end: "10:30", room: "", description: "" } as Record<string, string>,
    selected: [] as string[],
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const eventId = idParam(params.eventId);
  // rights first: someone who may not change the timetable gets 403/404, not a form error
  await requireTimetableEditor(actor.user, eventId);
  const formData = await readFormData(request);
  const selected = formData.getAll("facilitator").filter((v): v is string => typeof v === "string").slice(0, 100);
  const parsed = parseForm(formData, sessionSchema);
  if (!parsed.ok) return data({ ...parsed, selected, conflict: null }, { status: 400 });
  const timetable = `/events/${eventId}/sessions`;
  const outcome = await once(
    submissionOf(request, formData, "session", actor.user.id),
    async () => await createSession(actor, eventId, parsed.data),
    (created) => (created.ok ? timetable : null),
  );
  if (outcome.replayed) return await redirectWithFlash(outcome.location, "flash.saved");
  const result = outcome.result;
  if (!result.ok) {
    return data(
      { ok: false as const, errors: result.errors, values: formValues(formData), selected, conflict: result.conflict },
      { status: 400 },
    );
  }
  return await redirectWithFlash(timetable, "flash.saved");
}

export default function NewSession() {
  const { event, days, facilitatorUsers, rosterFacilitators, defaults, formKey, copyOf, selected } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  return (
    <Card>
      <p className="mb-2 text-sm">
        <Link to={`/events/${event.id}/sessions`}>{t("sessions.back")}</Link>
      </p>
      <h2 className="mb-4 text-lg font-semibold text-slate-900">{copyOf ? t("timetableEntry.duplicateTitle") : t("sessions.newTitle")}</h2>
      {copyOf ? (
        <div className="mb-4">
          <Notice>{t("timetableEntry.duplicateNotice", { title: copyOf })}</Notice>
        </div>
      ) : null}
      <Form method="post" className="max-w-2xl space-y-4" noValidate>
        <SubmissionKey value={formKey} />
        <SessionFormFields
          values={actionData?.values ?? defaults}
          selected={actionData ? actionData.selected : selected}
          errors={actionData?.errors}
          conflict={actionData?.conflict ?? null}
          days={days}
          timeZone={event.timeZone}
          facilitatorUsers={facilitatorUsers}
          rosterFacilitators={rosterFacilitators}
        />
        <Button>{t("sessions.create")}</Button>
      </Form>
    </Card>
  );
}
