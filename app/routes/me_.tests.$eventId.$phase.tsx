import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useFetcher, useLoaderData } from "@remix-run/react";
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { requireActor, requireUser } from "~/auth/session.server";
import { Button } from "~/components/ui/button";
import { Notice, PageHeader } from "~/components/ui/page";
import { readFormData } from "~/lib/form-data.server";
import { formatDateTimeNamedZone, formatNumber } from "~/lib/format";
import { isTestPhase, OPTIONS_MAX, QUESTIONS_MAX } from "~/lib/knowledge-tests";
import { pageTitle } from "~/lib/meta";
import { idParam } from "~/lib/params";
import { parseAnswerFields } from "~/lib/schemas/knowledge-tests";
import { answerTest, requireTestTaker, testForParticipant } from "~/models/knowledge-tests.server";

/** The translation namespaces this page uses besides the common ones (root.tsx) and its parents'. */
export const handle = { i18n: ["errors", "testTaking"] };

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "testTaking.title");

function phaseParam(value: string | undefined) {
  if (!isTestPhase(value)) throw new Response("Not found", { status: 404 });
  return value;
}

/** A participant's pre-test or post-test, on their phone: the questions, their saved answers, where the phase stands. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const eventId = idParam(params.eventId);
  const phase = phaseParam(params.phase);
  const test = await testForParticipant(user, eventId, phase);
  const url = new URL(request.url);
  return { ...test, justSaved: url.searchParams.get("done") === "saved", justSubmitted: url.searchParams.get("done") === "submitted" };
}

type ActionData = { ok: false; error: string; values?: Record<string, string | number>; answers: Record<string, number[]> } | { ok: true; autosaved: true };

/**
 * Save (as the person goes: `autosave` from the page's script, `save` from the button) or submit.
 * Whose answers they are comes from the session: the form carries only question and option ids.
 */
export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const eventId = idParam(params.eventId);
  const phase = phaseParam(params.phase);
  // rights first: someone who may not take this test gets 404, whatever the form says
  await requireTestTaker(actor.user, eventId);
  const form = await readFormData(request);
  const intent = form.get("intent");
  if (intent !== "autosave" && intent !== "save" && intent !== "submit") return data<ActionData>({ ok: false, error: "errors.unknownAction", answers: {} }, { status: 400 });
  const answers = parseAnswerFields(form, QUESTIONS_MAX * OPTIONS_MAX);
  if (answers === null) return data<ActionData>({ ok: false, error: "testTaking.errors.mismatch", answers: {} }, { status: 400 });
  const result = await answerTest(actor, eventId, phase, answers, intent === "submit");
  if (!result.ok) {
    return data<ActionData>({ ok: false, error: result.error, values: result.values, answers: Object.fromEntries(answers) }, { status: result.error === "testTaking.errors.alreadySubmitted" ? 409 : 400 });
  }
  if (intent === "autosave") return data<ActionData>({ ok: true, autosaved: true });
  return redirect(`/me/tests/${eventId}/${phase}?done=${intent === "submit" ? "submitted" : "saved"}`);
}

export default function TakeTest() {
  const test = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const fetcher = useFetcher<typeof action>();
  const formRef = useRef<HTMLFormElement>(null);
  const [dirty, setDirty] = useState(false);
  const at = (v: Date | string | number) => formatDateTimeNamedZone(new Date(v), test.event.timeZone, locale);
  const phaseName = t(`testTaking.phase.${test.phase}`);
  const refused = actionData && !actionData.ok ? actionData : null;
  // what to show checked: what was just refused (kept visible), else what is saved
  const answers: Record<string, number[]> = refused && Object.keys(refused.answers).length > 0 ? refused.answers : test.saved;
  const answeredCount = (source: Record<string, number[]>) => test.questions.filter((q) => (source[q.id]?.length ?? 0) > 0).length;
  const [answered, setAnswered] = useState(() => answeredCount(answers));
  const canAnswer = test.state === "open" && test.submitted === null;

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
      : fetcher.data && (fetcher.data as ActionData).ok
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
    <div className="mx-auto max-w-2xl space-y-5">
      <PageHeader title={t("testTaking.heading", { phase: phaseName })} crumbs={[{ label: t("nav.me"), to: "/me" }, { label: phaseName }]}>
        <p className="text-sm text-slate-700">
          <bdi>{test.event.title}</bdi>
        </p>
      </PageHeader>

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
        <Form method="post" ref={formRef} onChange={canAnswer ? onChange : undefined} className="space-y-4">
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
                            <span className="flex-1">
                              <bdi>{optionLabel(q.kind, o.label)}</bdi>
                            </span>
                            {correct ? <span className="text-sm font-semibold text-green-800">{t("testTaking.correctAnswer")}</span> : null}
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
                <Button name="intent" value="submit">{t("testTaking.submit")}</Button>
                <Button name="intent" value="save" variant="secondary">{t("testTaking.save")}</Button>
              </div>
              <p className="text-xs text-slate-600">{t("testTaking.submitHint")}</p>
            </div>
          ) : null}
        </Form>
      ) : null}

      <p className="text-sm">
        <Link to="/me">{t("testTaking.backToMe")}</Link>
      </p>
    </div>
  );
}
