import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requireActor, requireRole } from "~/auth/session.server";
import { ErrorSummary, inputClass } from "~/components/ui/field";
import { Button } from "~/components/ui/button";
import { Notice, PageHeader } from "~/components/ui/page";
import { FEEDBACK_COMMENT_MAX, FEEDBACK_QUESTIONS, FEEDBACK_SCALE } from "~/lib/feedback";
import { readFormData } from "~/lib/form-data.server";
import { formValues, parseForm, tooLong } from "~/lib/forms";
import { fieldMessage } from "~/lib/form-messages";
import { formatDateTimeNamedZone, formatDayRange, formatNumber } from "~/lib/format";
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

const rating = z.enum(["1", "2", "3", "4", "5"], { errorMap: () => ({ message: "feedback.errors.ratingRequired" }) }).transform(Number);
const answerSchema = z.object({
  overall: rating,
  content: rating,
  facilitators: rating,
  relevance: rating,
  confidence: rating,
  comment: z
    .string()
    .optional()
    .transform((v) => v?.trim() ?? "")
    .pipe(z.string().max(FEEDBACK_COMMENT_MAX, tooLong(FEEDBACK_COMMENT_MAX)))
    .transform((v) => (v === "" ? null : v)),
});

type ActionResult = { errors: Record<string, string>; values: Record<string, string>; refusal: string | null; refusalValues: Record<string, string | number> };

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request, ["participant"]);
  const eventId = idParam(params.eventId);
  // someone who is not a confirmed participant of the event learns nothing, not even that their form was wrong
  await myFeedbackForm(actor.user, eventId);
  const form = await readFormData(request);
  const parsed = parseForm(form, answerSchema);
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
  const { event, state, closedAt, answered } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const n = (v: number) => formatNumber(v, locale);
  const at = (v: string | number | Date) => formatDateTimeNamedZone(new Date(v), event.timeZone, locale);
  const values = actionData?.values ?? {};
  const errors = actionData?.errors ?? {};
  // the answers stay on screen after a refusal (closed meanwhile, already answered), but cannot be sent again
  const refused = actionData?.refusal ?? null;
  const showForm = (!answered && state === "open") || refused !== null;
  const labels = Object.fromEntries(FEEDBACK_QUESTIONS.map((q) => [q, t(`feedback.questions.${q}.short`)]));
  const refusalValues = actionData?.refusalValues ?? {};

  return (
    <div className="mx-auto max-w-2xl space-y-4">
      <PageHeader title={t("feedback.form.title")} crumbs={[{ label: t("nav.me"), to: "/me" }, { label: t("feedback.form.title") }]}>
        <p className="text-sm text-slate-700">
          <bdi className="font-medium">{event.title}</bdi> · {formatDayRange(event.startDate, event.endDate, locale)}
        </p>
      </PageHeader>

      {refused ? (
        <Notice tone="error">
          {t(refused as "feedback.errors.closedAnswerNotKept", {
            ...refusalValues,
            ...(typeof refusalValues.at === "number" ? { at: at(refusalValues.at) } : {}),
          })}
        </Notice>
      ) : null}
      {answered && !refused ? <Notice tone="success">{t("feedback.form.thanks")}</Notice> : null}
      {!answered && !refused && state === "notOpened" ? <Notice>{t("feedback.form.notOpenYet")}</Notice> : null}
      {!answered && !refused && state === "closed" ? <Notice>{t("feedback.form.closed", { at: closedAt ? at(closedAt) : "" })}</Notice> : null}

      {showForm ? (
        <Form method="post" noValidate className="space-y-5">
          <p className="text-sm text-slate-700">{t("feedback.form.intro")}</p>
          <ErrorSummary errors={errors} labels={labels} />
          {FEEDBACK_QUESTIONS.map((q) => {
            const error = errors[q];
            return (
              <fieldset
                key={q}
                id={q}
                tabIndex={-1}
                className={`rounded-lg border bg-white p-4 ${error ? "border-red-600" : "border-slate-200"}`}
                aria-describedby={error ? `${q}-error` : `${q}-scale`}
              >
                {/* floated: a legend that wraps stays inside the box instead of breaking its border */}
                <legend className="float-start mb-2 w-full text-base font-medium text-slate-900">
                  {t(`feedback.questions.${q}.text`)}
                  <span className="text-red-700" aria-hidden="true"> *</span>
                </legend>
                <div className="clear-both grid grid-cols-5 gap-2">
                  {FEEDBACK_SCALE.map((value) => (
                    <label
                      key={value}
                      className="flex min-h-12 cursor-pointer items-center justify-center rounded-md border border-slate-300 text-lg font-semibold has-[:checked]:border-brand-700 has-[:checked]:bg-brand-700 has-[:checked]:text-white has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-brand-600"
                    >
                      <input
                        type="radio"
                        name={q}
                        value={value}
                        defaultChecked={values[q] === String(value)}
                        disabled={refused !== null}
                        className="sr-only"
                        aria-label={t("feedback.form.ratingLabel", { value: n(value), low: t(`feedback.questions.${q}.low`), high: t(`feedback.questions.${q}.high`) })}
                      />
                      <span aria-hidden="true">{n(value)}</span>
                    </label>
                  ))}
                </div>
                <p id={`${q}-scale`} className="mt-1 flex justify-between gap-3 text-xs text-slate-600">
                  <span>{t("feedback.form.low", { value: n(1), label: t(`feedback.questions.${q}.low`) })}</span>
                  <span className="text-end">{t("feedback.form.high", { value: n(5), label: t(`feedback.questions.${q}.high`) })}</span>
                </p>
                {error ? (
                  <p id={`${q}-error`} className="mt-1 text-sm font-medium text-red-700">
                    {fieldMessage(t, error)}
                  </p>
                ) : null}
              </fieldset>
            );
          })}
          <div className="space-y-1">
            <label htmlFor="comment" className="block text-base font-medium text-slate-900">
              {t("feedback.form.comment")}
            </label>
            <textarea
              id="comment"
              name="comment"
              rows={5}
              maxLength={FEEDBACK_COMMENT_MAX}
              defaultValue={values.comment ?? ""}
              readOnly={refused !== null}
              aria-describedby={errors.comment ? "comment-hint comment-error" : "comment-hint"}
              className={inputClass(errors.comment)}
            />
            <p id="comment-hint" className="text-sm text-slate-600">
              {t("feedback.form.commentHint")}
            </p>
            {errors.comment ? (
              <p id="comment-error" className="text-sm font-medium text-red-700">
                {fieldMessage(t, errors.comment)}
              </p>
            ) : null}
          </div>
          {refused === null ? (
            <Button className="w-full sm:w-auto" disabled={navigation.state === "submitting"}>
              {t("feedback.form.submit")}
            </Button>
          ) : null}
        </Form>
      ) : null}
    </div>
  );
}
