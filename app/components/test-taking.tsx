import { Form, useFetcher, useNavigation, type ShouldRevalidateFunction } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "~/lib/translation";
import { Button } from "~/components/ui/button";
import { Notice } from "~/components/ui/page";
import { formatDateTimeNamedZone, formatNumber } from "~/lib/format";
import type { QuestionKind, TestPhase } from "~/lib/knowledge-tests";

/** What a test page's loader gives the component (testForTaker, serialised). */
export type TakingTest = {
  event: { id: number; title: string; timeZone: string };
  phase: TestPhase;
  state: "notScheduled" | "scheduled" | "open" | "closed";
  opensAt: Date | string | null;
  closesAt: Date | string | null;
  submitted: { at: Date | string; source: string; correct: number; total: number; score: number } | null;
  saved: Record<string, number[]>;
  review: boolean;
  questions: { id: number; kind: QuestionKind; prompt: string; explanation: string | null; options: { id: number; label: string; isCorrect?: boolean }[] }[];
  justSaved: boolean;
};

/** What a test page's action answers: a refusal (with the answers sent, kept on screen) or an autosave. */
export type TestActionData = { ok: false; error: string; values?: Record<string, string | number>; answers: Record<string, number[]> } | { ok: true; autosaved: true };

/**
 * The test pages' revalidation: also after a refused second submission (409), so that the page
 * shows the submitted test and its score beside the refusal instead of the form it still had
 * (a double tap sends "submit" twice: the first is saved, the second refused).
 */
export const revalidateAfterSecondSubmission: ShouldRevalidateFunction = ({ actionStatus, defaultShouldRevalidate }) =>
  actionStatus === 409 ? true : defaultShouldRevalidate;

/**
 * A knowledge test as the person taking it sees it (signed in on /me, or through a personal link
 * or code on /take): where the phase stands, the questions in this person's order, their saved
 * answers kept as they go (each change is saved at once by the page's script), and submitting.
 */
export function TestTaking({ test, actionData }: { test: TakingTest; actionData: TestActionData | undefined }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const fetcher = useFetcher<TestActionData>();
  const formRef = useRef<HTMLFormElement>(null);
  const [dirty, setDirty] = useState(false);
  const at = (v: Date | string | number) => formatDateTimeNamedZone(new Date(v), test.event.timeZone, locale);
  const refused = actionData && !actionData.ok ? actionData : null;
  // what to show checked: what was just refused (kept visible), else what is saved
  const answers: Record<string, number[]> = refused && Object.keys(refused.answers).length > 0 ? refused.answers : test.saved;
  const answeredCount = (source: Record<string, number[]>) => test.questions.filter((q) => (source[q.id]?.length ?? 0) > 0).length;
  const [answered, setAnswered] = useState(() => answeredCount(answers));
  const canAnswer = test.state === "open" && test.submitted === null;
  // one submission of the form at a time: a second tap while the first is on its way is dropped
  const navigation = useNavigation();
  const sending = navigation.state !== "idle" && navigation.formMethod?.toLowerCase() === "post";
  const sent = useRef(false);
  useEffect(() => {
    if (navigation.state === "idle") sent.current = false;
  }, [navigation.state]);
  const onSubmit = (event: React.FormEvent<HTMLFormElement>) => {
    if (sent.current) event.preventDefault();
    else sent.current = true;
  };

  const onChange = () => {
    const form = formRef.current;
    if (!form) return;
    const body = new FormData(form);
    const now: Record<string, number[]> = {};
    for (const q of test.questions) now[q.id] = body.getAll(`q-${q.id}`).map(Number);
    setAnswered(answeredCount(now));
    // every question is sent, answered or not: clearing a choice clears it in the draft too
    const save = new FormData();
    save.set("intent", "autosave");
    for (const q of test.questions) for (const id of now[q.id]) save.append(`q-${q.id}`, String(id));
    setDirty(true);
    fetcher.submit(save, { method: "post" });
  };

  const autosave =
    fetcher.state !== "idle"
      ? t("testTaking.saving")
      : fetcher.data && fetcher.data.ok
        ? t("testTaking.savedAuto")
        : dirty && fetcher.data
          ? t("testTaking.notSaved")
          : null;

  const refusalText = refused
    ? t(refused.error as "testTaking.errors.closed", {
        ...(refused.values ?? {}),
        count: Number(refused.values?.count ?? 0),
        ...(typeof refused.values?.at === "number" ? { at: at(refused.values.at) } : {}),
      })
    : null;

  const optionLabel = (kind: string, label: string) => (kind === "true_false" ? t(label === "true" ? "testTaking.true" : "testTaking.false") : label);

  return (
    <>
      {refusalText ? <Notice tone="error">{refusalText}</Notice> : null}
      {test.justSaved && canAnswer ? <Notice tone="success">{t("testTaking.savedButton")}</Notice> : null}

      {test.submitted ? (
        <Notice tone="success">
          <p className="font-semibold">{t(test.submitted.source === "paper" ? "testTaking.submittedPaper" : "testTaking.submitted", { at: at(test.submitted.at) })}</p>
          <p>
            {t("testTaking.score", {
              correct: formatNumber(test.submitted.correct, locale),
              total: formatNumber(test.submitted.total, locale),
              percent: formatNumber(test.submitted.score, locale),
            })}
          </p>
          {!test.review ? <p>{t("testTaking.reviewLater")}</p> : null}
        </Notice>
      ) : test.state === "notScheduled" ? (
        <Notice>{t("testTaking.notOpen")}</Notice>
      ) : test.state === "scheduled" ? (
        <Notice>{t("testTaking.opensAt", { at: at(test.opensAt!) })}</Notice>
      ) : test.state === "closed" ? (
        <Notice>{t("testTaking.closedAt", { at: at(test.closesAt!) })}</Notice>
      ) : (
        <div className="space-y-1 text-sm text-slate-700">
          <p>{t("testTaking.intro", { count: test.questions.length, formatted: formatNumber(test.questions.length, locale) })}</p>
          {test.closesAt ? <p className="font-medium">{t("testTaking.closesAt", { at: at(test.closesAt) })}</p> : null}
        </div>
      )}

      {test.questions.length > 0 && (canAnswer || test.review || Object.keys(answers).length > 0) ? (
        <Form method="post" ref={formRef} onChange={canAnswer ? onChange : undefined} onSubmit={onSubmit} className="space-y-4">
          <ol className="space-y-4">
            {test.questions.map((q, index) => {
              const chosen = new Set(answers[q.id] ?? []);
              return (
                <li key={q.id}>
                  <fieldset className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm" disabled={!canAnswer}>
                    <legend className="sr-only">{t("testTaking.questionNumber", { number: index + 1, total: test.questions.length })}</legend>
                    <p className="text-xs font-medium text-slate-600" aria-hidden="true">
                      {t("testTaking.questionNumber", { number: formatNumber(index + 1, locale), total: formatNumber(test.questions.length, locale) })}
                    </p>
                    <p className="whitespace-pre-line font-medium" id={`prompt-${q.id}`}>
                      <bdi>{q.prompt}</bdi>
                    </p>
                    {q.kind === "multiple" ? <p className="text-sm text-slate-600">{t("testTaking.chooseSeveral")}</p> : null}
                    <div className="space-y-2" role="group" aria-labelledby={`prompt-${q.id}`}>
                      {q.options.map((o) => {
                        const correct = "isCorrect" in o ? o.isCorrect : undefined;
                        return (
                          <label
                            key={o.id}
                            className="flex min-h-11 cursor-pointer items-center gap-3 rounded-md border border-slate-300 px-3 py-2 has-checked:border-brand-700 has-checked:bg-brand-50"
                          >
                            <input
                              type={q.kind === "multiple" ? "checkbox" : "radio"}
                              name={`q-${q.id}`}
                              value={o.id}
                              defaultChecked={chosen.has(o.id)}
                              className="size-5 shrink-0"
                            />
                            {/* the mark of the correct answer under the option's text, which keeps the width */}
                            <span className="flex flex-1 flex-col">
                              <bdi>{optionLabel(q.kind, o.label)}</bdi>
                              {correct ? <span className="text-sm font-semibold text-green-800">{t("testTaking.correctAnswer")}</span> : null}
                            </span>
                          </label>
                        );
                      })}
                    </div>
                    {q.explanation ? (
                      <p className="text-sm text-slate-700">
                        <span className="font-medium">{t("testTaking.explanation")}</span> <bdi>{q.explanation}</bdi>
                      </p>
                    ) : null}
                  </fieldset>
                </li>
              );
            })}
          </ol>
          {canAnswer ? (
            <div className="sticky bottom-0 space-y-2 border-t border-slate-200 bg-slate-50 py-3">
              <p className="text-sm text-slate-700" aria-live="polite">
                {t("testTaking.progress", { answered: formatNumber(answered, locale), total: formatNumber(test.questions.length, locale) })}
                {autosave ? <span className="ms-2 text-slate-600"><span aria-hidden="true">· </span><span data-autosave="">{autosave}</span></span> : null}
              </p>
              <div className="flex flex-wrap gap-3">
                <Button name="intent" value="submit" disabled={sending}>{t("testTaking.submit")}</Button>
                <Button name="intent" value="save" variant="secondary" disabled={sending}>{t("testTaking.save")}</Button>
              </div>
              <p className="text-xs text-slate-600">{t("testTaking.submitHint")}</p>
            </div>
          ) : null}
        </Form>
      ) : null}

    </>
  );
}
