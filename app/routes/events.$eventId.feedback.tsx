import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
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
import { formatDateTimeNamedZone, formatNumber } from "~/lib/format";
import { parseForm } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { idParam } from "~/lib/params";
import { closeFeedbackForm, feedbackOverview, openFeedbackForm, sendFeedbackReminder } from "~/models/feedback.server";
import { FieldError } from "~/models/field-error.server";

/** The translation namespaces this page uses besides the common ones (root.tsx) and its parents'. */
export const handle = { i18n: ["feedback", "errors"] };

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "feedback.results.title");

/** The event's feedback tab (admins and coordinators): open and close the form, remind, read the results. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request, ["admin", "coordinator"]);
  return await feedbackOverview(actor, idParam(params.eventId));
}

const actionSchema = z.object({ intent: z.enum(["open", "close", "remind"]) });

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

      {o.results ? (
        <>
          <Card title={t("feedback.results.ratingsTitle")}>
            <p className="mb-4 text-sm text-slate-600">{t("feedback.results.scale")}</p>
            <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
              {o.results.questions.map((q) => (
                <div key={q.question} className="space-y-1" data-testid={`feedback-question-${q.question}`}>
                  <BarChart
                    title={t(`feedback.questions.${q.question}.short`)}
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
                    {q.mean === null
                      ? t("feedback.results.none")
                      : t("feedback.results.mean", { mean: n(q.mean), count: q.total, formatted: n(q.total) })}
                  </p>
                </div>
              ))}
            </div>
          </Card>
          <Card title={t("feedback.results.commentsTitle", { count: o.results.comments.length, formatted: n(o.results.comments.length) })}>
            <p className="mb-3 text-sm text-slate-600">{t("feedback.results.commentsHint")}</p>
            {o.results.comments.length === 0 ? (
              <p className="text-sm text-slate-600">{t("feedback.results.noComments")}</p>
            ) : (
              <ul className="space-y-3" data-testid="feedback-comments">
                {o.results.comments.map((c, i) => (
                  <li key={i} dir="auto" className="whitespace-pre-line rounded-md border border-slate-200 bg-slate-50 p-3 text-sm">
                    {c}
                  </li>
                ))}
              </ul>
            )}
          </Card>
        </>
      ) : null}
    </div>
  );
}
