import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/lib/translation";
import { z } from "zod";
import { requireActor } from "~/auth/session.server";
import { BarChart } from "~/components/report-charts";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { Card, Notice } from "~/components/ui/page";
import { config } from "~/config.server";
import { redirectWithFlash } from "~/flash.server";
import { directionOf } from "~/i18n";
import { FEEDBACK_SCALE } from "~/lib/feedback";
import { readFormData } from "~/lib/form-data.server";
import { formatDateTimeNamedZone, formatNumber, formatSessionTime } from "~/lib/format";
import { parseForm } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { idNumber, idParam } from "~/lib/params";
import { closeFeedbackForm, feedbackOverview, openFeedbackForm, sendFeedbackReminder } from "~/models/feedback.server";
import { FieldError } from "~/models/field-error.server";
import { closeSessionFeedbackForm, openSessionFeedbackForm, sessionFeedbackOverview } from "~/models/session-feedback.server";

/** The translation namespaces this page uses besides the common ones (root.tsx) and its parents'. */
export const handle = { i18n: ["feedback", "errors"] };

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "feedback.results.title");

/**
 * The event's feedback tab (admins and coordinators): open and close the end-of-event form,
 * remind, read the results; below it, the optional forms of single sessions.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request, ["admin", "coordinator"]);
  const eventId = idParam(params.eventId);
  const overview = await feedbackOverview(actor, eventId);
  return { ...overview, sessionForms: await sessionFeedbackOverview(actor, eventId) };
}

const actionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.enum(["open", "close", "remind"]) }),
  z.object({ intent: z.enum(["openSession", "closeSession"]), sessionId: idNumber }),
]);

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request, ["admin", "coordinator"]);
  const eventId = idParam(params.eventId);
  const parsed = parseForm(await readFormData(request), actionSchema);
  if (!parsed.ok) return data({ error: "errors.unknownAction", values: {} as Record<string, string | number> }, { status: 400 });
  const back = `/events/${eventId}/feedback`;
  try {
    switch (parsed.data.intent) {
      case "open":
        await openFeedbackForm(actor, eventId);
        return await redirectWithFlash(back, "flash.feedbackOpened");
      case "close":
        await closeFeedbackForm(actor, eventId);
        return await redirectWithFlash(back, "flash.feedbackClosed");
      case "remind":
        await sendFeedbackReminder(actor, eventId, config().appUrl);
        return await redirectWithFlash(back, "flash.feedbackReminded");
      case "openSession":
        await openSessionFeedbackForm(actor, eventId, parsed.data.sessionId);
        return await redirectWithFlash(`${back}#session-${parsed.data.sessionId}`, "flash.sessionFeedbackOpened");
      case "closeSession":
        await closeSessionFeedbackForm(actor, eventId, parsed.data.sessionId);
        return await redirectWithFlash(`${back}#session-${parsed.data.sessionId}`, "flash.sessionFeedbackClosed");
    }
  } catch (error) {
    if (error instanceof FieldError) return data({ error: error.messageKey, values: error.values }, { status: 400 });
    throw error;
  }
}

const STATE_TONE = { notOpened: "draft", open: "active", closed: "disabled" } as const;

export default function FeedbackResults() {
  const o = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const dir = directionOf(locale);
  const n = (v: number) => formatNumber(v, locale);
  const at = (v: string | number | Date) => formatDateTimeNamedZone(new Date(v), o.event.timeZone, locale);
  const errorValues = (actionData?.values ?? {}) as Record<string, string | number>;
  const valueLine = (label: string, value: string) => t("feedback.results.valueLine", { label, value });

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="space-y-1">
          <h2 className="text-xl font-semibold">{t("feedback.results.title")}</h2>
          <p className="flex flex-wrap items-center gap-2 text-sm text-slate-700">
            <Badge tone={STATE_TONE[o.state]}>{t(`feedback.state.${o.state}`)}</Badge>
            {o.openedAt ? <span>{t("feedback.results.openedAt", { at: at(o.openedAt) })}</span> : null}
            {o.closedAt ? <span>{t("feedback.results.closedAt", { at: at(o.closedAt) })}</span> : null}
          </p>
        </div>
        {o.state === "notOpened" && o.canOpen ? (
          <Form method="post">
            <input type="hidden" name="intent" value="open" />
            <Button>{t("feedback.results.open")}</Button>
          </Form>
        ) : null}
      </div>
      <p className="max-w-3xl text-sm text-slate-700">{t("feedback.results.intro", { min: n(o.minimumShown) })}</p>
      <p className="max-w-3xl text-sm text-slate-700">{t("feedback.results.endOfEventRule")}</p>

      {actionData?.error ? (
        <Notice tone="error">
          {t(actionData.error as "feedback.errors.reminderAlreadySent", {
            ...errorValues,
            ...(typeof errorValues.at === "number" ? { at: at(errorValues.at) } : {}),
          })}
        </Notice>
      ) : null}
      {o.state === "notOpened" && !o.canOpen ? <Notice>{t("feedback.errors.eventNotRunning")}</Notice> : null}

      {o.state !== "notOpened" ? (
        <Card title={t("feedback.results.responseTitle")}>
          <p className="text-lg font-semibold" data-testid="feedback-response-rate">
            {t("feedback.results.answered", { count: o.confirmed, answered: n(o.answeredConfirmed), formatted: n(o.confirmed) })}
          </p>
          {o.respondents !== o.answeredConfirmed ? (
            <p className="text-sm text-slate-600">{t("feedback.results.answersTotal", { count: o.respondents, formatted: n(o.respondents) })}</p>
          ) : null}

          {o.state === "open" ? (
            <div className="mt-4 flex flex-wrap items-start gap-4">
              <details className="max-w-md">
                <summary className="cursor-pointer font-medium text-red-800">{t("feedback.results.close")}</summary>
                <Form method="post" className="mt-2 space-y-2 rounded-md border border-red-200 bg-red-50 p-3 text-sm">
                  <input type="hidden" name="intent" value="close" />
                  <p>{t("feedback.results.closeQuestion")}</p>
                  <Button variant="danger">{t("feedback.results.closeConfirm")}</Button>
                </Form>
              </details>
            </div>
          ) : null}
        </Card>
      ) : null}

      {o.state !== "notOpened" ? (
        <Card title={t("feedback.results.nonRespondentsTitle", { count: o.nonRespondents.length, formatted: n(o.nonRespondents.length) })}>
          {o.nonRespondents.length === 0 ? (
            <p className="text-sm text-slate-600">{t("feedback.results.everyoneAnswered")}</p>
          ) : (
            <ul className="divide-y divide-slate-100" data-testid="feedback-non-respondents">
              {o.nonRespondents.map((p) => (
                <li key={p.personId} className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-0.5 py-2 text-sm">
                  <div>
                    <bdi className="font-medium">{p.name}</bdi>
                    {p.organisationName ? (
                      <div className="text-xs text-slate-600">
                        <bdi>{p.organisationName}</bdi>
                      </div>
                    ) : null}
                  </div>
                  {!p.online ? <span className="text-xs text-slate-600">{t("feedback.results.noAccount")}</span> : null}
                </li>
              ))}
            </ul>
          )}
          {o.state === "open" ? (
            <div className="mt-4 space-y-2 border-t border-slate-100 pt-4">
              {o.reminderSentAt ? (
                <p className="text-sm text-slate-700" data-testid="feedback-reminder-sent">
                  {t("feedback.results.reminderSent", { at: at(o.reminderSentAt) })}
                </p>
              ) : o.nonRespondents.length > 0 ? (
                <Form method="post" className="space-y-1">
                  <input type="hidden" name="intent" value="remind" />
                  <Button variant="secondary">{t("feedback.results.remind")}</Button>
                  <p className="text-xs text-slate-600">{t("feedback.results.remindHint")}</p>
                </Form>
              ) : null}
            </div>
          ) : null}
        </Card>
      ) : null}

      {o.state === "open" ? <Notice>{t("feedback.results.hiddenWhileOpen")}</Notice> : null}
      {o.state === "closed" && !o.results ? <Notice>{t("feedback.results.tooFew", { min: n(o.minimumShown) })}</Notice> : null}

      {o.results ? <ResultsOfForm questions={o.results.questions} comments={o.results.comments} texts="feedback.questions" /> : null}

      <SessionForms />
    </div>
  );
}

type QuestionResult = { question: string; counts: number[]; total: number; mean: number | null };

/** The distributions of a closed form's ratings, with counts and means, and its comments. */
function ResultsOfForm({
  questions,
  comments,
  texts,
  headingLevel = 3,
}: {
  questions: QuestionResult[];
  comments: string[];
  texts: "feedback.questions" | "feedback.sessionQuestions";
  headingLevel?: 3 | 4;
}) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const dir = directionOf(locale);
  const n = (v: number) => formatNumber(v, locale);
  const valueLine = (label: string, value: string) => t("feedback.results.valueLine", { label, value });
  const Heading = headingLevel === 3 ? "h3" : "h4";
  const ratings = (
    <>
      <p className="mb-4 text-sm text-slate-600">{t("feedback.results.scale")}</p>
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
        {questions.map((q) => (
          <div key={q.question} className="space-y-1" data-testid={`feedback-question-${q.question}`}>
            <BarChart
              title={t(`${texts}.${q.question}.short` as "feedback.questions.overall.short")}
              data={FEEDBACK_SCALE.map((value, i) => ({
                key: String(value),
                label: t(`feedback.results.rating`, { value: n(value) }),
                value: q.counts[i],
                display: n(q.counts[i]),
              }))}
              dir={dir}
              valueLine={valueLine}
              empty={t("feedback.results.none")}
            />
            <p className="text-sm text-slate-700">
              {q.mean === null ? t("feedback.results.none") : t("feedback.results.mean", { mean: n(q.mean), count: q.total, formatted: n(q.total) })}
            </p>
          </div>
        ))}
      </div>
    </>
  );
  const commentList = (
    <>
      <p className="mb-3 text-sm text-slate-600">{t("feedback.results.commentsHint")}</p>
      {comments.length === 0 ? (
        <p className="text-sm text-slate-600">{t("feedback.results.noComments")}</p>
      ) : (
        <ul className="space-y-3" data-testid="feedback-comments">
          {comments.map((c, i) => (
            <li key={i} dir="auto" className="whitespace-pre-line rounded-md border border-slate-200 bg-slate-50 p-3 text-sm">
              {c}
            </li>
          ))}
        </ul>
      )}
    </>
  );
  if (headingLevel === 3) {
    return (
      <>
        <Card title={t("feedback.results.ratingsTitle")}>{ratings}</Card>
        <Card title={t("feedback.results.commentsTitle", { count: comments.length, formatted: n(comments.length) })}>{commentList}</Card>
      </>
    );
  }
  return (
    <div className="space-y-4 border-t border-slate-100 pt-4">
      <Heading className="font-semibold text-slate-900">{t("feedback.results.ratingsTitle")}</Heading>
      {ratings}
      <Heading className="font-semibold text-slate-900">{t("feedback.results.commentsTitle", { count: comments.length, formatted: n(comments.length) })}</Heading>
      {commentList}
    </div>
  );
}

/**
 * The optional forms of single sessions: each session of the timetable with its form's state, the
 * button that opens or closes it, how many answered, and the results of a closed form.
 */
function SessionForms() {
  const o = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const n = (v: number) => formatNumber(v, locale);
  const at = (v: string | number | Date) => formatDateTimeNamedZone(new Date(v), o.event.timeZone, locale);
  const { sessions, canOpen, confirmed } = o.sessionForms;
  return (
    <section aria-labelledby="session-forms-title" className="space-y-3 pt-2">
      <h2 id="session-forms-title" className="text-xl font-semibold">
        {t("feedback.sessions.title")}
      </h2>
      <p className="max-w-3xl text-sm text-slate-700">{t("feedback.sessions.intro", { min: n(o.minimumShown) })}</p>
      {sessions.length === 0 ? (
        <Notice>{t("feedback.sessions.noSessions")}</Notice>
      ) : (
        <ul className="space-y-2" data-testid="session-feedback-forms">
          {sessions.map((s) => (
            <li key={s.session.id} id={`session-${s.session.id}`} className="rounded-lg border border-slate-200 bg-white px-4 py-3">
              <div className="flex flex-wrap items-center justify-between gap-x-4 gap-y-2">
                <div className="min-w-0">
                  <h3 id={`session-title-${s.session.id}`} className="font-semibold text-slate-900">
                    <bdi>{s.session.title}</bdi>
                  </h3>
                  <p className="text-sm text-slate-600">{formatSessionTime(new Date(s.session.startsAt), new Date(s.session.endsAt), o.event.timeZone, locale)}</p>
                </div>
                <div className="flex flex-wrap items-center gap-3">
                  <Badge tone={STATE_TONE[s.state]}>{t(`feedback.state.${s.state}`)}</Badge>
                  {s.state === "notOpened" && canOpen ? (
                    <Form method="post">
                      <input type="hidden" name="intent" value="openSession" />
                      <input type="hidden" name="sessionId" value={s.session.id} />
                      <Button variant="secondary" aria-describedby={`session-title-${s.session.id}`}>
                        {t("feedback.sessions.open")}
                      </Button>
                    </Form>
                  ) : null}
                </div>
              </div>
              {s.state !== "notOpened" ? (
                <p className="mt-2 text-sm text-slate-700">
                  <span className="font-medium" data-testid="session-feedback-answered">
                    {t("feedback.results.answered", { count: confirmed, answered: n(s.answeredConfirmed), formatted: n(confirmed) })}
                  </span>
                  {" · "}
                  {s.closedAt ? t("feedback.results.closedAt", { at: at(s.closedAt) }) : s.openedAt ? t("feedback.results.openedAt", { at: at(s.openedAt) }) : null}
                </p>
              ) : null}
              {s.state === "open" ? (
                <details className="mt-3 max-w-md">
                  <summary className="cursor-pointer text-sm font-medium text-red-800">{t("feedback.results.close")}</summary>
                  <Form method="post" className="mt-2 space-y-2 rounded-md border border-red-200 bg-red-50 p-3 text-sm">
                    <input type="hidden" name="intent" value="closeSession" />
                    <input type="hidden" name="sessionId" value={s.session.id} />
                    <p>{t("feedback.sessions.closeQuestion", { title: s.session.title })}</p>
                    <Button variant="danger">{t("feedback.results.closeConfirm")}</Button>
                  </Form>
                </details>
              ) : null}
              {s.state !== "notOpened" && s.nonRespondents.length > 0 ? (
                <details className="mt-3 text-sm">
                  <summary className="cursor-pointer font-medium text-slate-800">
                    {t("feedback.results.nonRespondentsTitle", { count: s.nonRespondents.length, formatted: n(s.nonRespondents.length) })}
                  </summary>
                  <ul className="mt-2 columns-1 gap-6 sm:columns-2">
                    {s.nonRespondents.map((p) => (
                      <li key={p.personId} className="py-0.5">
                        <bdi>{p.name}</bdi>
                      </li>
                    ))}
                  </ul>
                </details>
              ) : null}
              {s.state === "open" ? <p className="mt-3 text-sm text-slate-600">{t("feedback.results.hiddenWhileOpen")}</p> : null}
              {s.state === "closed" && !s.results ? <p className="mt-3 text-sm text-slate-600">{t("feedback.results.tooFew", { min: n(o.minimumShown) })}</p> : null}
              {s.results ? (
                <div className="mt-3" data-testid={`session-feedback-results-${s.session.id}`}>
                  <ResultsOfForm questions={s.results.questions} comments={s.results.comments} texts="feedback.sessionQuestions" headingLevel={4} />
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
