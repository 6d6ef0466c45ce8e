import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/lib/translation";
import { requireActor, requireRole } from "~/auth/session.server";
import { FeedbackAnswering, type FeedbackActionResult } from "~/components/feedback-answering";
import { PageHeader } from "~/components/ui/page";
import { readFormData } from "~/lib/form-data.server";
import { formValues, parseForm } from "~/lib/forms";
import { formatSessionTime } from "~/lib/format";
import { sessionFeedbackAnswerSchema } from "~/lib/schemas/feedback";
import { pageTitle } from "~/lib/meta";
import { idParam } from "~/lib/params";
import { FieldError } from "~/models/field-error.server";
import { mySessionFeedbackForm, submitSessionFeedback } from "~/models/session-feedback.server";

/** The translation namespaces this page uses besides the common ones (root.tsx) and its parents'. */
export const handle = { i18n: ["errors", "feedback", "form"] };

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "feedback.sessionForm.title");

/** A participant's feedback form for one session (confirmed participants of the event only; others: not found). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, ["participant"]);
  return await mySessionFeedbackForm(user, idParam(params.eventId), idParam(params.sessionId));
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request, ["participant"]);
  const eventId = idParam(params.eventId);
  const sessionId = idParam(params.sessionId);
  // someone who may not answer this form learns nothing, not even that their answers were malformed
  await mySessionFeedbackForm(actor.user, eventId, sessionId);
  const form = await readFormData(request);
  const parsed = parseForm(form, sessionFeedbackAnswerSchema);
  if (!parsed.ok) return data<FeedbackActionResult>({ errors: parsed.errors, values: parsed.values, refusal: null, refusalValues: {} }, { status: 400 });
  try {
    await submitSessionFeedback(actor, eventId, sessionId, parsed.data);
  } catch (error) {
    if (error instanceof FieldError) {
      return data<FeedbackActionResult>({ errors: {}, values: formValues(form), refusal: error.messageKey, refusalValues: error.values }, { status: 400 });
    }
    throw error;
  }
  return redirect(`/me/feedback/${eventId}/sessions/${sessionId}`);
}

export default function SessionFeedbackForm() {
  const form = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const { event, session } = form;
  return (
    <div className="mx-auto max-w-2xl space-y-4">
      <PageHeader title={t("feedback.sessionForm.title")} crumbs={[{ label: t("nav.me"), to: "/me" }, { label: t("feedback.sessionForm.title") }]}>
        <p className="text-base font-medium text-slate-900">
          <bdi>{session.title}</bdi>
        </p>
        <p className="text-sm text-slate-700">{formatSessionTime(new Date(session.startsAt), new Date(session.endsAt), event.timeZone, locale)}</p>
        <p className="text-sm text-slate-700">
          <bdi>{event.title}</bdi>
        </p>
      </PageHeader>
      <FeedbackAnswering form={form} actionData={actionData} kind="session" />
    </div>
  );
}

