import { Form } from "@remix-run/react";
import { useEffect, useState } from "react";
import { useTranslation } from "~/lib/translation";
import { Button, LinkButton } from "~/components/ui/button";
import { describedBy, ErrorSummary, FieldFrame, inputClass } from "~/components/ui/field";
import { fieldMessage, type FieldErrors } from "~/lib/form-messages";
import { OPTION_LABEL_MAX, OPTIONS_MAX, QUESTION_EXPLANATION_MAX, QUESTION_KINDS, QUESTION_PROMPT_MAX, type QuestionKind } from "~/lib/knowledge-tests";

/** What the form shows: a saved question, or what was typed when the form came back with errors. */
export type QuestionFormValues = {
  kind: string;
  prompt: string;
  explanation: string;
  /** option rows, in order (empty strings for blank rows) */
  options: string[];
  /** the rows ticked as correct */
  correct: number[];
  trueFalse: string;
};

/**
 * The question form. Without JavaScript both the option rows and the true/false choice are shown
 * (the kind picked decides which is read); once the page runs, only the one the kind needs is.
 */
export function QuestionForm({ values, errors, cancelTo, submitLabel }: { values: QuestionFormValues; errors?: FieldErrors; cancelTo: string; submitLabel: string }) {
  const { t } = useTranslation();
  const [kind, setKind] = useState(values.kind);
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  const rows = Math.min(OPTIONS_MAX, Math.max(4, values.options.length + 1));
  const labels: Record<string, string> = {
    kind: t("knowledgeTests.fields.kind"),
    prompt: t("knowledgeTests.fields.prompt"),
    explanation: t("knowledgeTests.fields.explanation"),
    correct: t("knowledgeTests.fields.options"),
    trueFalse: t("knowledgeTests.fields.trueFalse"),
    ...Object.fromEntries(Array.from({ length: OPTIONS_MAX }, (_, i) => [`option-${i}`, t("knowledgeTests.fields.option", { number: i + 1 })])),
  };
  const showChoices = !hydrated || kind !== "true_false";
  const showTrueFalse = !hydrated || kind === "true_false";
  return (
    <Form method="post" className="max-w-2xl space-y-5" noValidate>
      <ErrorSummary errors={errors} labels={labels} />
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-800">{labels.kind}</legend>
        <div className="flex flex-wrap gap-x-5 gap-y-2">
          {QUESTION_KINDS.map((k: QuestionKind) => (
            <label key={k} className="flex min-h-6 items-center gap-2 text-sm">
              <input type="radio" name="kind" value={k} defaultChecked={values.kind === k} onChange={() => setKind(k)} id={k === QUESTION_KINDS[0] ? "kind" : undefined} />
              {t(`knowledgeTests.kind.${k}`)}
            </label>
          ))}
        </div>
        {errors?.kind ? <p className="text-sm font-medium text-red-700">{fieldMessage(t, errors.kind)}</p> : null}
      </fieldset>

      <FieldFrame name="prompt" label={labels.prompt} error={errors?.prompt} required>
        <textarea
          id="prompt"
          name="prompt"
          rows={3}
          required
          maxLength={QUESTION_PROMPT_MAX}
          defaultValue={values.prompt}
          aria-invalid={errors?.prompt ? true : undefined}
          aria-describedby={describedBy("prompt", undefined, errors?.prompt)}
          className={inputClass(errors?.prompt)}
        />
      </FieldFrame>

      {showChoices ? (
        <fieldset className="space-y-3 rounded-md border border-slate-200 p-3" id="correct">
          <legend className="px-1 text-sm font-medium text-slate-800">{labels.correct}</legend>
          <p className="text-sm text-slate-600">{t(hydrated ? (kind === "multiple" ? "knowledgeTests.optionsHintMultiple" : "knowledgeTests.optionsHintSingle") : "knowledgeTests.optionsHint")}</p>
          {errors?.correct ? <p className="text-sm font-medium text-red-700">{fieldMessage(t, errors.correct)}</p> : null}
          {Array.from({ length: rows }, (_, i) => {
            const name = `option-${i}`;
            const error = errors?.[name];
            return (
              <div key={i} className="flex flex-wrap items-end gap-3">
                <div className="min-w-0 flex-1">
                  <FieldFrame name={name} label={labels[name]} error={error}>
                    <input
                      id={name}
                      name={name}
                      maxLength={OPTION_LABEL_MAX}
                      defaultValue={values.options[i] ?? ""}
                      aria-invalid={error ? true : undefined}
                      aria-describedby={describedBy(name, undefined, error)}
                      className={inputClass(error)}
                    />
                  </FieldFrame>
                </div>
                <label className="flex min-h-10 items-center gap-2 text-sm">
                  <input type="checkbox" name="correct" value={i} defaultChecked={values.correct.includes(i)} />
                  {t("knowledgeTests.correct")}
                  <span className="sr-only">({labels[name]})</span>
                </label>
              </div>
            );
          })}
        </fieldset>
      ) : null}

      {showTrueFalse ? (
        <fieldset className="space-y-2 rounded-md border border-slate-200 p-3" id="trueFalse">
          <legend className="px-1 text-sm font-medium text-slate-800">{labels.trueFalse}</legend>
          {!hydrated ? <p className="text-sm text-slate-600">{t("knowledgeTests.trueFalseHint")}</p> : null}
          <div className="flex flex-wrap gap-5">
            {(["true", "false"] as const).map((v) => (
              <label key={v} className="flex min-h-6 items-center gap-2 text-sm">
                <input type="radio" name="trueFalse" value={v} defaultChecked={values.trueFalse === v} />
                {t(`knowledgeTests.${v}`)}
              </label>
            ))}
          </div>
          {errors?.trueFalse ? <p className="text-sm font-medium text-red-700">{fieldMessage(t, errors.trueFalse)}</p> : null}
        </fieldset>
      ) : null}

      <FieldFrame name="explanation" label={labels.explanation} hint={t("knowledgeTests.explanationHint")} error={errors?.explanation}>
        <textarea
          id="explanation"
          name="explanation"
          rows={3}
          maxLength={QUESTION_EXPLANATION_MAX}
          defaultValue={values.explanation}
          aria-invalid={errors?.explanation ? true : undefined}
          aria-describedby={describedBy("explanation", t("knowledgeTests.explanationHint"), errors?.explanation)}
          className={inputClass(errors?.explanation)}
        />
      </FieldFrame>

      <div className="flex flex-wrap gap-3">
        <Button>{submitLabel}</Button>
        <LinkButton to={cancelTo} variant="secondary">
          {t("knowledgeTests.cancel")}
        </LinkButton>
      </div>
    </Form>
  );
}

/** The form's values from a submitted form (to show it again with its errors). */
export function questionFormValuesFrom(form: FormData): QuestionFormValues {
  const text = (name: string) => {
    const v = form.get(name);
    return typeof v === "string" ? v.slice(0, 4000) : "";
  };
  const options = Array.from({ length: OPTIONS_MAX }, (_, i) => text(`option-${i}`));
  while (options.length > 0 && options.at(-1) === "") options.pop();
  return {
    kind: text("kind"),
    prompt: text("prompt"),
    explanation: text("explanation"),
    options,
    correct: form.getAll("correct").map((v) => Number(v)).filter((n) => Number.isInteger(n) && n >= 0 && n < OPTIONS_MAX),
    trueFalse: text("trueFalse"),
  };
}
