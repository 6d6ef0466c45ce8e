import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/lib/translation";
import { requireActor, requireUser } from "~/auth/session.server";
import { Button } from "~/components/ui/button";
import { SessionFormFields } from "~/components/session-form-fields";
import { Card, Notice } from "~/components/ui/page";
import { redirectWithFlash } from "~/flash.server";
import { formatDay, formatTimeRange } from "~/lib/format";
import { formValues, parseForm } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { idParam } from "~/lib/params";
import { sessionSchema } from "~/lib/schemas/sessions";
import { deleteSession, getSession, requireTimetableEditor, sessionFormOptions, updateSession } from "~/models/sessions.server";
import { readFormData } from "~/lib/form-data.server";
import { FieldError } from "~/models/field-error.server";

/** The translation namespaces this page uses besides the common ones (root.tsx) and its parents'. */
export const handle = { i18n: ["errors", "form"] };

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "sessions.editTitle");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const eventId = idParam(params.eventId);
  const sessionId = idParam(params.sessionId);
  const options = await sessionFormOptions(user, eventId, sessionId);
  const { session } = await getSession(user, eventId, sessionId);
  return {
    ...options,
    // a session left outside the event's days (its dates changed since) keeps its day until moved
    days: options.days.includes(session.day) ? options.days : [...options.days, session.day].sort(),
    session,
    defaults: {
      title: session.title,
      kind: session.kind,
      day: session.day,
      start: session.start,
      end: session.end,
      room: session.room ?? "",
      description: session.description ?? "",
    } as Record<string, string>,
    selected: (session.facilitators ?? []).map((f) => f.ref),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const eventId = idParam(params.eventId);
  const sessionId = idParam(params.sessionId);
  // rights first: someone who may not change the timetable gets 403/404, not a form error
  await requireTimetableEditor(actor.user, eventId);
  const formData = await readFormData(request);
  const timetable = `/events/${eventId}/sessions`;
  switch (formData.get("intent")) {
    case "update": {
      const selected = formData.getAll("facilitator").filter((v): v is string => typeof v === "string").slice(0, 100);
      const parsed = parseForm(formData, sessionSchema);
      if (!parsed.ok) return data({ ...parsed, selected, conflict: null }, { status: 400 });
      const result = await updateSession(actor, eventId, sessionId, parsed.data);
      if (!result.ok) {
        return data(
          { ok: false as const, errors: result.errors, values: formValues(formData), selected, conflict: result.conflict },
          { status: 400 },
        );
      }
      return await redirectWithFlash(timetable, "flash.saved");
    }
    case "delete":
      try {
        await deleteSession(actor, eventId, sessionId);
      } catch (error) {
        if (!(error instanceof FieldError)) throw error;
        return data(
          { ok: false as const, errors: { form: error.messageKey } as Record<string, string>, values: {} as Record<string, string>, selected: [] as string[], conflict: null },
          { status: 400 },
        );
      }
      return await redirectWithFlash(timetable, "flash.saved");
    default:
      return data(
        { ok: false as const, errors: { form: "errors.unknownAction" } as Record<string, string>, values: {} as Record<string, string>, selected: [] as string[], conflict: null },
        { status: 400 },
      );
  }
}

export default function EditSession() {
  const { event, days, facilitatorUsers, rosterFacilitators, defaults, selected, session } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const errors = actionData?.errors;
  const failedUpdate = actionData && !errors?.form;
  const time = formatTimeRange(new Date(session.startsAt), new Date(session.endsAt), event.timeZone, locale);
  return (
    <div className="space-y-6">
      <Card>
        <p className="mb-2 text-sm">
          <Link to={`/events/${event.id}/sessions`}>{t("sessions.back")}</Link>
        </p>
        <h2 className="mb-4 text-lg font-semibold text-slate-900">{t("sessions.editTitle")}</h2>
        {errors?.form ? (
          <div className="mb-4">
            <Notice tone="error">{t(errors.form as "errors.unknownAction")}</Notice>
          </div>
        ) : null}
        <Form method="post" className="max-w-2xl space-y-4" noValidate>
          <SessionFormFields
            values={failedUpdate ? actionData.values : defaults}
            selected={failedUpdate ? actionData.selected : selected}
            errors={failedUpdate ? errors : undefined}
            conflict={failedUpdate ? actionData.conflict : null}
            days={days}
            timeZone={event.timeZone}
            facilitatorUsers={facilitatorUsers}
            rosterFacilitators={rosterFacilitators}
          />
          <Button name="intent" value="update">
            {t("form.save")}
          </Button>
        </Form>
      </Card>
      <Card title={t("sessions.removeTitle")}>
        <details className="text-sm">
          <summary className="cursor-pointer font-medium text-red-800">{t("sessions.remove")}</summary>
          <Form method="post" className="mt-3 max-w-xl space-y-2 rounded-md border border-red-200 bg-red-50 p-3">
            <p className="font-medium text-red-900">
              {t("sessions.removeQuestion", { title: session.title, day: formatDay(session.day, locale, "long"), time })}
            </p>
            <p className="text-red-900">{t("sessions.removeFacilitators")}</p>
            {session.attendanceCount ? <p className="text-red-900">{t("sessions.removeAttendance", { count: session.attendanceCount })}</p> : null}
            {session.feedbackAnswered ? (
              <p className="font-medium text-red-900">{t("sessions.errors.hasFeedback")}</p>
            ) : (
              <>
                <p className="text-red-900">{t("sessions.removeFinal")}</p>
                <Button name="intent" value="delete" variant="danger">
                  {t("sessions.removeConfirm")}
                </Button>
              </>
            )}
          </Form>
        </details>
      </Card>
    </div>
  );
}
