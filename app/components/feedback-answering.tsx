import { Form, useNavigation } from "@remix-run/react";
import { useTranslation } from "~/lib/translation";
import { ErrorSummary, inputClass } from "~/components/ui/field";
import { Button } from "~/components/ui/button";
import { Notice } from "~/components/ui/page";
import { FEEDBACK_COMMENT_MAX, FEEDBACK_QUESTIONS, FEEDBACK_SCALE, SESSION_FEEDBACK_QUESTIONS } from "~/lib/feedback";
import { fieldMessage } from "~/lib/form-messages";
import { formatDateTimeNamedZone, formatNumber } from "~/lib/format";

/** What a feedback page's loader gives the component (feedbackFormForPerson, serialised). */
export type AnsweringForm = {
  event: { id: number; title: string; startDate: string; endDate: string; timeZone: string };
  state: "notOpened" | "open" | "closed";
  closedAt: Date | string | null;
  answered: boolean;
};

/** What a feedback page's action answers: field errors, or a refusal of the whole answer; the values sent either way. */
export type FeedbackActionResult = { errors: Record<string, string>; values: Record<string, string>; refusal: string | null; refusalValues: Record<string, string | number> };

/**
 * The feedback form as the person answering sees it (signed in on /me, or through a personal link
 * or code on /take): the five ratings and a comment — or, for a session's form, its three — or
 * why it cannot be answered now. After a refusal the answers stay on screen but cannot be sent
 * again.
 */
export function FeedbackAnswering({
  form,
  actionData,
  kind = "event",
}: {
  form: AnsweringForm;
  actionData: FeedbackActionResult | undefined;
  kind?: "event" | "session";
}) {
  const { event, state, closedAt, answered } = form;
  const questions = kind === "session" ? SESSION_FEEDBACK_QUESTIONS : FEEDBACK_QUESTIONS;
  // a session's questions speak of the session ("this session"), the event's of the training
  const texts = kind === "session" ? "feedback.sessionQuestions" : "feedback.questions";
  const text = (q: string, part: "text" | "short" | "low" | "high") => t(`${texts}.${q}.${part}` as "feedback.questions.overall.text");
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
  const labels = Object.fromEntries(questions.map((q) => [q, text(q, "short")]));
  const refusalValues = actionData?.refusalValues ?? {};

  return (
    <>
      {refused ? (
        <Notice tone="error">
          {t(refused as "feedback.errors.closedAnswerNotKept", {
            ...refusalValues,
            ...(typeof refusalValues.at === "number" ? { at: at(refusalValues.at) } : {}),
          })}
        </Notice>
      ) : null}
      {answered && !refused ? <Notice tone="success">{t("feedback.form.thanks")}</Notice> : null}
      {!answered && !refused && state === "notOpened" ? <Notice>{t(kind === "session" ? "feedback.sessionForm.notOpenYet" : "feedback.form.notOpenYet")}</Notice> : null}
      {!answered && !refused && state === "closed" ? <Notice>{t("feedback.form.closed", { at: closedAt ? at(closedAt) : "" })}</Notice> : null}

      {showForm ? (
        <Form method="post" noValidate className="space-y-5">
          <p className="text-sm text-slate-700">{t("feedback.form.intro")}</p>
          <ErrorSummary errors={errors} labels={labels} />
          {questions.map((q) => {
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
                  {text(q, "text")}
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
                        aria-label={t("feedback.form.ratingLabel", { value: n(value), low: text(q, "low"), high: text(q, "high") })}
                      />
                      <span aria-hidden="true">{n(value)}</span>
                    </label>
                  ))}
                </div>
                <p id={`${q}-scale`} className="mt-1 flex justify-between gap-3 text-xs text-slate-600">
                  <span>{t("feedback.form.low", { value: n(1), label: text(q, "low") })}</span>
                  <span className="text-end">{t("feedback.form.high", { value: n(5), label: text(q, "high") })}</span>
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
    </>
  );
}
