import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/lib/translation";
import { z } from "zod";
import { requireActor } from "~/auth/session.server";
import { Badge } from "~/components/ui/badge";
import { Button, LinkButton } from "~/components/ui/button";
import { describedBy, ErrorSummary, FieldFrame, inputClass, SelectField } from "~/components/ui/field";
import { Card, EmptyState, Notice } from "~/components/ui/page";
import { formatDateTimeNamedZone, formatDayRange, formatNumber, zoneLabel } from "~/lib/format";
import { readFormData } from "~/lib/form-data.server";
import { fieldMessage, messageWith, parseForm, type FieldErrors } from "~/lib/forms";
import { TEST_PHASES, type TestPhase } from "~/lib/knowledge-tests";
import { pageTitle } from "~/lib/meta";
import { idNumber, idParam } from "~/lib/params";
import { scheduleSchema } from "~/lib/schemas/knowledge-tests";
import { utcToZoned } from "~/lib/zoned";
import { FieldError } from "~/models/field-error.server";
import {
  closePhase,
  copyQuestions,
  deleteQuestion,
  moveQuestion,
  openPhase,
  schedulePhase,
  testForEditing,
  unschedulePhase,
  type PhaseState,
} from "~/models/knowledge-tests.server";

/** The translation namespaces this page uses besides the common ones (root.tsx) and its parents'. */
export const handle = { i18n: ["errors", "form", "knowledgeTests"] };

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "knowledgeTests.title");

const DONE = ["opened", "closed", "scheduled", "unscheduled", "moved", "deleted", "copied", "saved"] as const;
type Done = (typeof DONE)[number];

function doneOf(url: URL) {
  const done = url.searchParams.get("done");
  const n = Number(url.searchParams.get("n"));
  const phase = url.searchParams.get("phase");
  if (!DONE.includes(done as Done)) return null;
  return { kind: done as Done, n: Number.isSafeInteger(n) && n > 0 ? n : 0, phase: (phase === "pre" || phase === "post" ? phase : null) as TestPhase | null };
}

/** The event's knowledge test (admins and coordinators): its questions and the two phases' windows. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request, ["admin", "coordinator"]);
  const eventId = idParam(params.eventId);
  return { ...(await testForEditing(actor, eventId)), done: doneOf(new URL(request.url)) };
}

const phase = z.enum(TEST_PHASES);
const actionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("move"), questionId: idNumber, direction: z.enum(["up", "down"]) }),
  z.object({ intent: z.literal("delete"), questionId: idNumber }),
  z.object({ intent: z.literal("copy"), fromEventId: z.preprocess((v) => (v === "" ? undefined : v), idNumber.optional()) }),
  z.object({ intent: z.literal("open"), phase }),
  z.object({ intent: z.literal("close"), phase }),
  z.object({ intent: z.literal("unschedule"), phase }),
]);

type ActionData = { error?: string; errorValues?: Record<string, string | number>; errors?: FieldErrors; values?: Record<string, string>; phase?: TestPhase | null };

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request, ["admin", "coordinator"]);
  const eventId = idParam(params.eventId);
  const form = await readFormData(request);
  const back = (done: Done, extra = "") => redirect(`/events/${eventId}/tests?done=${done}${extra}`);
  try {
    if (form.get("intent") === "schedule") {
      const which = phase.safeParse(form.get("phase"));
      if (!which.success) return data<ActionData>({ error: "errors.unknownAction" }, { status: 400 });
      const parsed = parseForm(form, scheduleSchema);
      if (!parsed.ok) return data<ActionData>({ errors: parsed.errors, values: parsed.values, phase: which.data }, { status: 400 });
      const result = await schedulePhase(actor, eventId, which.data, parsed.data);
      if (!result.ok) return data<ActionData>({ errors: result.errors, values: Object.fromEntries([...form].map(([k, v]) => [k, String(v).slice(0, 100)])), phase: which.data }, { status: 400 });
      return back("scheduled", `&phase=${which.data}`);
    }
    const parsed = parseForm(form, actionSchema);
    if (!parsed.ok) return data<ActionData>({ error: "errors.unknownAction" }, { status: 400 });
    const input = parsed.data;
    switch (input.intent) {
      case "move":
        await moveQuestion(actor, eventId, input.questionId, input.direction);
        return back("moved");
      case "delete":
        await deleteQuestion(actor, eventId, input.questionId);
        return back("deleted");
      case "copy": {
        if (input.fromEventId === undefined) return data<ActionData>({ errors: { fromEventId: "knowledgeTests.errors.copyChoose" } }, { status: 400 });
        const n = await copyQuestions(actor, eventId, input.fromEventId);
        return back("copied", `&n=${n}`);
      }
      case "open":
        await openPhase(actor, eventId, input.phase);
        return back("opened", `&phase=${input.phase}`);
      case "close":
        await closePhase(actor, eventId, input.phase);
        return back("closed", `&phase=${input.phase}`);
      case "unschedule":
        await unschedulePhase(actor, eventId, input.phase);
        return back("unscheduled", `&phase=${input.phase}`);
    }
  } catch (error) {
    if (error instanceof FieldError) {
      const phaseOf = form.get("phase");
      const errorPhase = phaseOf === "pre" || phaseOf === "post" ? phaseOf : null;
      if (error.field === "fromEventId") return data<ActionData>({ errors: { fromEventId: (Object.keys(error.values).length > 0 ? messageWith(error.messageKey, error.values) : error.messageKey) } }, { status: 400 });
      return data<ActionData>({ error: error.messageKey, errorValues: error.values, phase: errorPhase }, { status: 400 });
    }
    throw error;
  }
}

/** A date or time of a phase's window: two phases' forms share the page, so the ids carry the phase. */
function WindowField({ phase, name, type, label, required, defaultValue, error }: { phase: TestPhase; name: string; type: "date" | "time"; label: string; required?: boolean; defaultValue: string; error?: string }) {
  const id = `${phase}-${name}`;
  return (
    <FieldFrame name={id} label={label} error={error} required={required}>
      <input id={id} name={name} type={type} required={required} defaultValue={defaultValue} aria-invalid={error ? true : undefined} aria-describedby={describedBy(id, undefined, error)} className={inputClass(error)} />
    </FieldFrame>
  );
}

const STATE_TONE: Record<PhaseState, string> = { notScheduled: "draft", scheduled: "invited", open: "active", closed: "completed" };

export default function KnowledgeTestTab() {
  const { event, questions, phases, lock, openingProblem, sources, done } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const at = (v: Date | string | number) => formatDateTimeNamedZone(new Date(v), event.timeZone, locale);
  const zone = zoneLabel(event.timeZone, new Date(`${event.startDate}T12:00:00Z`), locale);
  const base = `/events/${event.id}/tests`;
  const editable = lock === null;
  const phaseName = (p: TestPhase) => t(`knowledgeTests.phase.${p}`);
  /** the phase inside a sentence ("Open the pre-test now") */
  const phaseWord = (p: TestPhase) => t(`knowledgeTests.phaseLower.${p}`);

  const doneText = () => {
    if (!done) return null;
    if (done.kind === "copied") return t("knowledgeTests.done.copied", { count: done.n, formatted: formatNumber(done.n, locale) });
    if (done.phase && (done.kind === "opened" || done.kind === "closed" || done.kind === "scheduled" || done.kind === "unscheduled")) {
      return t(`knowledgeTests.done.${done.kind}`, { phase: phaseWord(done.phase) });
    }
    if (done.kind === "moved" || done.kind === "deleted" || done.kind === "saved") return t(`knowledgeTests.done.${done.kind}`);
    return null;
  };
  const message = doneText();

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h2 className="text-xl font-semibold">{t("knowledgeTests.title")}</h2>
          <p className="max-w-prose text-sm text-slate-700">{t("knowledgeTests.intro")}</p>
        </div>
        <LinkButton to={`${base}/results`} variant="secondary">
          {t("knowledgeTests.resultsLink")}
        </LinkButton>
      </div>

      {message ? <Notice tone="success">{message}</Notice> : null}
      {actionData?.error ? (
        <Notice tone="error">
          {t(actionData.error as "knowledgeTests.errors.noQuestions", { ...(actionData.errorValues ?? {}), count: Number(actionData.errorValues?.count ?? 0) })}
        </Notice>
      ) : null}

      <section aria-labelledby="phases-title" className="space-y-3">
        <h3 id="phases-title" className="text-lg font-semibold">{t("knowledgeTests.phasesTitle")}</h3>
        {openingProblem && questions.length > 0 ? (
          <Notice>
            {t(openingProblem.key as "knowledgeTests.errors.noQuestions", { ...openingProblem.values, count: Number(openingProblem.values.count ?? 0) })}
          </Notice>
        ) : null}
        <div className="grid gap-4 md:grid-cols-2">
          {phases.map((p) => {
            const failed = actionData?.phase === p.phase && actionData.errors ? actionData : null;
            const defaults = (field: string, fallback: string) => failed?.values?.[field] ?? fallback;
            const opens = p.opensAt ? utcToZoned(new Date(p.opensAt), event.timeZone) : { day: p.phase === "pre" ? event.startDate : event.endDate, time: p.phase === "pre" ? "09:00" : "15:00" };
            const closes = p.closesAt ? utcToZoned(new Date(p.closesAt), event.timeZone) : { day: "", time: "" };
            const errors = failed?.errors ?? {};
            return (
              <Card key={p.phase} title={phaseName(p.phase)}>
                <div className="space-y-3 text-sm">
                  <p className="flex flex-wrap items-center gap-2">
                    <Badge tone={STATE_TONE[p.state]}>{t(`knowledgeTests.state.${p.state}`)}</Badge>
                    <span>{t("knowledgeTests.submittedCount", { count: p.submitted, formatted: formatNumber(p.submitted, locale) })}</span>
                  </p>
                  <p>
                    {p.state === "notScheduled"
                      ? t("knowledgeTests.window.notScheduled")
                      : p.state === "scheduled"
                        ? p.closesAt
                          ? t("knowledgeTests.window.scheduledUntil", { opens: at(p.opensAt!), closes: at(p.closesAt) })
                          : t("knowledgeTests.window.scheduled", { opens: at(p.opensAt!) })
                        : p.state === "open"
                          ? p.closesAt
                            ? t("knowledgeTests.window.openUntil", { opens: at(p.opensAt!), closes: at(p.closesAt) })
                            : t("knowledgeTests.window.open", { opens: at(p.opensAt!) })
                          : t("knowledgeTests.window.closed", { closes: at(p.closesAt!) })}
                  </p>
                  <div className="flex flex-wrap gap-2">
                    {p.state === "open" ? (
                      <Form method="post">
                        <input type="hidden" name="intent" value="close" />
                        <input type="hidden" name="phase" value={p.phase} />
                        <Button variant="danger">{t("knowledgeTests.closeNow", { phase: phaseWord(p.phase) })}</Button>
                      </Form>
                    ) : (
                      <Form method="post">
                        <input type="hidden" name="intent" value="open" />
                        <input type="hidden" name="phase" value={p.phase} />
                        <Button disabled={openingProblem !== null}>{t("knowledgeTests.openNow", { phase: phaseWord(p.phase) })}</Button>
                      </Form>
                    )}
                    {p.state === "scheduled" ? (
                      <Form method="post">
                        <input type="hidden" name="intent" value="unschedule" />
                        <input type="hidden" name="phase" value={p.phase} />
                        <Button variant="secondary">{t("knowledgeTests.unschedule")}</Button>
                      </Form>
                    ) : null}
                  </div>
                  <details open={failed !== null}>
                    <summary className="cursor-pointer font-medium text-brand-700">{t("knowledgeTests.setTimes")}</summary>
                    <Form method="post" className="mt-3 space-y-3" noValidate>
                      <input type="hidden" name="intent" value="schedule" />
                      <input type="hidden" name="phase" value={p.phase} />
                      <p className="text-slate-600">{t("knowledgeTests.timesHint", { zone })}</p>
                      <div className="grid grid-cols-2 gap-3">
                        <WindowField phase={p.phase} name="opensDay" type="date" label={t("knowledgeTests.fields.opensDay")} required defaultValue={defaults("opensDay", opens.day)} error={errors.opensDay} />
                        <WindowField phase={p.phase} name="opensTime" type="time" label={t("knowledgeTests.fields.opensTime")} required defaultValue={defaults("opensTime", opens.time)} error={errors.opensTime} />
                        <WindowField phase={p.phase} name="closesDay" type="date" label={t("knowledgeTests.fields.closesDay")} defaultValue={defaults("closesDay", closes.day)} error={errors.closesDay} />
                        <WindowField phase={p.phase} name="closesTime" type="time" label={t("knowledgeTests.fields.closesTime")} defaultValue={defaults("closesTime", closes.time)} error={errors.closesTime} />
                      </div>
                      <p className="text-slate-600">{t("knowledgeTests.closesHint")}</p>
                      <Button variant="secondary">{t("knowledgeTests.saveTimes", { phase: phaseWord(p.phase) })}</Button>
                    </Form>
                  </details>
                </div>
              </Card>
            );
          })}
        </div>
      </section>

      <section aria-labelledby="questions-title" className="space-y-3">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h3 id="questions-title" className="text-lg font-semibold">
            {t("knowledgeTests.questionsTitle", { count: questions.length, formatted: formatNumber(questions.length, locale) })}
          </h3>
          {editable ? <LinkButton to={`${base}/questions/new`}>{t("knowledgeTests.addQuestion")}</LinkButton> : null}
        </div>
        {lock ? <Notice>{t(`knowledgeTests.locked.${lock}`)}</Notice> : null}
        {questions.length === 0 ? (
          <EmptyState message={t("knowledgeTests.empty")} />
        ) : (
          <ol className="space-y-3" data-questions="">
            {questions.map((q, index) => {
              const hasCorrect = q.options.some((o) => o.isCorrect);
              return (
                <li key={q.id} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
                  <div className="flex flex-wrap items-start justify-between gap-3">
                    <div className="min-w-0 flex-1 space-y-2">
                      <p className="text-xs font-medium uppercase tracking-wide text-slate-600">
                        {t("knowledgeTests.questionNumber", { number: formatNumber(index + 1, locale) })} · {t(`knowledgeTests.kind.${q.kind}`)}
                      </p>
                      <p className="whitespace-pre-line font-medium"><bdi>{q.prompt}</bdi></p>
                      <ul className="space-y-1 text-sm">
                        {q.options.map((o) => (
                          <li key={o.id} className="flex items-start gap-2">
                            <span aria-hidden="true" className={o.isCorrect ? "text-green-700" : "text-slate-400"}>{o.isCorrect ? "✓" : "○"}</span>
                            <span>
                              <bdi>{q.kind === "true_false" ? t(`knowledgeTests.${o.label === "true" ? "true" : "false"}`) : o.label}</bdi>
                              {o.isCorrect ? <span className="ms-2 text-xs font-semibold text-green-800">{t("knowledgeTests.correct")}</span> : null}
                            </span>
                          </li>
                        ))}
                      </ul>
                      {!hasCorrect ? <Badge tone="invited">{t("knowledgeTests.noCorrectAnswer")}</Badge> : null}
                      {q.explanation ? (
                        <p className="text-sm text-slate-700">
                          <span className="font-medium">{t("knowledgeTests.explanation")}:</span> <bdi>{q.explanation}</bdi>
                        </p>
                      ) : null}
                    </div>
                    {editable ? (
                      <div className="flex flex-wrap items-center gap-2">
                        <LinkButton to={`${base}/questions/${q.id}`} variant="secondary" aria-label={t("knowledgeTests.editNumbered", { number: index + 1 })}>
                          {t("knowledgeTests.edit")}
                        </LinkButton>
                        <Form method="post">
                          <input type="hidden" name="intent" value="move" />
                          <input type="hidden" name="questionId" value={q.id} />
                          <input type="hidden" name="direction" value="up" />
                          <Button variant="secondary" disabled={index === 0} aria-label={t("knowledgeTests.moveUpNumbered", { number: index + 1 })}>
                            <span aria-hidden="true">↑</span> {t("knowledgeTests.moveUp")}
                          </Button>
                        </Form>
                        <Form method="post">
                          <input type="hidden" name="intent" value="move" />
                          <input type="hidden" name="questionId" value={q.id} />
                          <input type="hidden" name="direction" value="down" />
                          <Button variant="secondary" disabled={index === questions.length - 1} aria-label={t("knowledgeTests.moveDownNumbered", { number: index + 1 })}>
                            <span aria-hidden="true">↓</span> {t("knowledgeTests.moveDown")}
                          </Button>
                        </Form>
                        <details>
                          <summary className="cursor-pointer text-sm text-red-800">{t("knowledgeTests.delete")}</summary>
                          <Form method="post" className="mt-2 w-64 max-w-full space-y-2 rounded-md border border-red-200 bg-red-50 p-3 text-sm">
                            <input type="hidden" name="intent" value="delete" />
                            <input type="hidden" name="questionId" value={q.id} />
                            <p>{t("knowledgeTests.deleteQuestion", { number: index + 1 })}</p>
                            <Button variant="danger">{t("knowledgeTests.deleteConfirm")}</Button>
                          </Form>
                        </details>
                      </div>
                    ) : null}
                  </div>
                </li>
              );
            })}
          </ol>
        )}
      </section>

      {editable ? (
        <section aria-labelledby="copy-title">
          <Card>
            <h3 id="copy-title" className="mb-2 text-lg font-semibold">{t("knowledgeTests.copyTitle")}</h3>
            {sources.length === 0 ? (
              <p className="text-sm text-slate-600">{t("knowledgeTests.copyNone")}</p>
            ) : (
              <Form method="post" className="space-y-3">
                <input type="hidden" name="intent" value="copy" />
                <ErrorSummary errors={actionData?.errors && !actionData.phase ? actionData.errors : undefined} labels={{ fromEventId: t("knowledgeTests.copyFrom") }} />
                <SelectField
                  name="fromEventId"
                  label={t("knowledgeTests.copyFrom")}
                  hint={t("knowledgeTests.copyHint")}
                  placeholder={t("knowledgeTests.copyPlaceholder")}
                  error={actionData?.errors && !actionData.phase ? actionData.errors.fromEventId : undefined}
                  options={sources.map((s) => ({
                    value: String(s.id),
                    label: t("knowledgeTests.copyOption", { title: s.title, dates: formatDayRange(s.startDate, s.endDate, locale), count: s.questions }),
                  }))}
                />
                <Button variant="secondary">{t("knowledgeTests.copy")}</Button>
              </Form>
            )}
          </Card>
        </section>
      ) : null}
      {actionData?.errors?.fromEventId && !editable ? <p className="text-sm text-red-700">{fieldMessage(t, actionData.errors.fromEventId)}</p> : null}
    </div>
  );
}
