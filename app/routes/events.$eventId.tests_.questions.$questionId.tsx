import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/lib/translation";
import { requireActor } from "~/auth/session.server";
import { QuestionForm, questionFormValuesFrom, type QuestionFormValues } from "~/components/knowledge-test-question-form";
import { Notice } from "~/components/ui/page";
import { readFormData } from "~/lib/form-data.server";
import type { FieldErrors } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { idParam } from "~/lib/params";
import { parseQuestionForm } from "~/lib/schemas/knowledge-tests";
import { FieldError } from "~/models/field-error.server";
import { questionForEditing, updateQuestion } from "~/models/knowledge-tests.server";

/** The translation namespaces this page uses besides the common ones (root.tsx) and its parents'. */
export const handle = { i18n: ["errors", "form", "knowledgeTests"] };

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "knowledgeTests.editTitle");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request, ["admin", "coordinator"]);
  const eventId = idParam(params.eventId);
  const { event, question, number, lock } = await questionForEditing(actor, eventId, idParam(params.questionId));
  const values: QuestionFormValues = {
    kind: question.kind,
    prompt: question.prompt,
    explanation: question.explanation ?? "",
    options: question.kind === "true_false" ? [] : question.options.map((o) => o.label),
    correct: question.kind === "true_false" ? [] : question.options.flatMap((o, i) => (o.isCorrect ? [i] : [])),
    trueFalse: question.kind === "true_false" ? (question.options.find((o) => o.isCorrect)?.label ?? "") : "",
  };
  return { eventId: event.id, number, lock, values };
}

type ActionData = { errors: FieldErrors; values: QuestionFormValues; error?: string; errorValues?: Record<string, string | number> };

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request, ["admin", "coordinator"]);
  const eventId = idParam(params.eventId);
  const questionId = idParam(params.questionId);
  // rights and the question's event first: a stranger's form is never read as input
  await questionForEditing(actor, eventId, questionId);
  const form = await readFormData(request);
  const values = questionFormValuesFrom(form);
  const parsed = parseQuestionForm(Object.fromEntries([...new Set(form.keys())].map((k) => [k, form.getAll(k).length > 1 ? form.getAll(k) : form.get(k)])));
  if (!parsed.ok) return data<ActionData>({ errors: parsed.errors, values }, { status: 400 });
  try {
    const result = await updateQuestion(actor, eventId, questionId, parsed.data);
    if (!result.ok) return data<ActionData>({ errors: result.errors, values }, { status: 400 });
  } catch (error) {
    if (error instanceof FieldError) return data<ActionData>({ errors: {}, values, error: error.messageKey, errorValues: error.values }, { status: 400 });
    throw error;
  }
  return redirect(`/events/${eventId}/tests?done=saved`);
}

export default function EditQuestion() {
  const { eventId, number, lock, values } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const { t } = useTranslation();
  const back = `/events/${eventId}/tests`;
  return (
    <div className="space-y-4">
      <p className="text-sm">
        <Link to={back}>{t("knowledgeTests.backToTest")}</Link>
      </p>
      <h2 className="text-xl font-semibold">{t("knowledgeTests.editTitleNumbered", { number })}</h2>
      {lock ? <Notice>{t(`knowledgeTests.locked.${lock}`)}</Notice> : null}
      {actionData?.error ? <Notice tone="error">{t(actionData.error as "knowledgeTests.errors.lockedStarted", actionData.errorValues)}</Notice> : null}
      {lock ? null : <QuestionForm values={actionData?.values ?? values} errors={actionData?.errors} cancelTo={back} submitLabel={t("knowledgeTests.saveQuestion")} />}
    </div>
  );
}
