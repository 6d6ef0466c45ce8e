import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/lib/translation";
import { requireActor, requireRole } from "~/auth/session.server";
import { FeedbackAnswering, type FeedbackActionResult } from "~/components/feedback-answering";
import { PageHeader } from "~/components/ui/page";
import { readFormData } from "~/lib/form-data.server";
import { formValues, parseForm } from "~/lib/forms";
import { formatDayRange } from "~/lib/format";
import { feedbackAnswerSchema } from "~/lib/schemas/feedback";
import { pageTitle } from "~/lib/meta";
import { idParam } from "~/lib/params";
import { myFeedbackForm, submitFeedback } from "~/models/feedback.server";
import { FieldError } from "~/models/field-error.server";

/** The translation namespaces this page uses besides the common ones (root.tsx) and its parents'. */
export const handle = { i18n: ["errors", "feedback", "form"] };

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "feedback.form.title");

/** A participant's feedback form for one event (confirmed participants only; others: not found). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, ["participant"]);
  return await myFeedbackForm(user, idParam(params.eventId));
}

type ActionResult = FeedbackActionResult;

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request, ["participant"]);
  const eventId = idParam(params.eventId);
  // someone who is not a confirmed participant of the event learns nothing, not even that their form was wrong
  await myFeedbackForm(actor.user, eventId);
  const form = await readFormData(request);
  const parsed = parseForm(form, feedbackAnswerSchema);
  if (!parsed.ok) return data<ActionResult>({ errors: parsed.errors, values: parsed.values, refusal: null, refusalValues: {} }, { status: 400 });
  try {
    await submitFeedback(actor, eventId, parsed.data);
  } catch (error) {
    if (error instanceof FieldError) {
      return data<ActionResult>({ errors: {}, values: formValues(form), refusal: error.messageKey, refusalValues: error.values }, { status: 400 });
    }
    throw error;
  }
  return redirect(`/me/feedback/${eventId}`);
}

export default function FeedbackForm() {
  const form = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, i18n } = useTranslation();
  const { event } = form;
  return (
    <div className="mx-auto max-w-2xl space-y-4">
      <PageHeader title={t("feedback.form.title")} crumbs={[{ label: t("nav.me"), to: "/me" }, { label: t("feedback.form.title") }]}>
        <p className="text-sm text-slate-700">
          <bdi className="font-medium">{event.title}</bdi> · {formatDayRange(event.startDate, event.endDate, i18n.language)}
        </p>
      </PageHeader>
      <FeedbackAnswering form={form} actionData={actionData} />
    </div>
  );
}
