import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/lib/translation";
import { z } from "zod";
import { requireActor, requireRole } from "~/auth/session.server";
import { Badge } from "~/components/ui/badge";
import { Parts } from "~/components/ui/bidi";
import { Button, buttonClass, LinkButton } from "~/components/ui/button";
import { Card, Notice, PageHeader } from "~/components/ui/page";
import { config } from "~/config.server";
import { redirectWithFlash } from "~/flash.server";
import { now } from "~/lib/clock";
import { countryName, formatDateTimeNamedZone, formatDayRange, formatNumber, formatSessionTime } from "~/lib/format";
import { pageTitle } from "~/lib/meta";
import { FieldError } from "~/models/field-error.server";
import { myActionPlans } from "~/models/action-plans.server";
import { OverdueBadge, PlanStatusBadge } from "~/components/action-plans";
import { cancelOwnRegistration, myRegistrations } from "~/models/registrations.server";
import { myCertificates } from "~/models/certificates.server";
import { myCertificateProgress } from "~/models/certificate-requirements.server";
import { myOpenTests } from "~/models/knowledge-tests.server";
import { myOpenFeedbackForms } from "~/models/feedback.server";
import { myOpenSessionFeedbackForms } from "~/models/session-feedback.server";
import { readFormData } from "~/lib/form-data.server";
import { idNumber } from "~/lib/params";

/** The translation namespaces this page uses besides the common ones (root.tsx) and its parents'. */
export const handle = { i18n: ["actionPlans", "certificates", "errors", "home", "me", "myTrainings", "registration", "registrationStatus", "testTaking"] };

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "nav.me");

/** A participant's own page: upcoming and past trainings, registration statuses, action plans. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ["participant"]);
  const today = now().toISOString().slice(0, 10);
  const registrations = await myRegistrations(user);
  return {
    name: user.name,
    upcoming: registrations.filter((r) => r.endDate >= today),
    past: registrations.filter((r) => r.endDate < today),
    plans: await myActionPlans(user),
    certificates: await myCertificates(user),
    progress: await myCertificateProgress(user),
    tests: await myOpenTests(user),
    feedback: await myOpenFeedbackForms(user),
    sessionFeedback: await myOpenSessionFeedbackForms(user),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireActor(request, ["participant"]);
  const form = await readFormData(request);
  const parsed = z.object({ intent: z.literal("cancel"), registrationId: idNumber }).safeParse(Object.fromEntries(form));
  if (!parsed.success) return data({ error: "errors.unknownAction" }, { status: 400 });
  try {
    await cancelOwnRegistration(actor, parsed.data.registrationId, config().appUrl);
  } catch (error) {
    if (error instanceof FieldError) return data({ error: error.messageKey }, { status: 400 });
    throw error;
  }
  return await redirectWithFlash("/me", "flash.registrationCancelled");
}

type Progress = ReturnType<typeof useLoaderData<typeof loader>>["progress"][number];

/** One event's way to a certificate: each requirement, done or still to do, with the link that does it. */
function CertificateProgress({ progress: p }: { progress: Progress }) {
  const { t, i18n } = useTranslation();
  const n = (v: number) => formatNumber(v, i18n.language);
  const missing = (kind: string) => p.missing.find((m) => m.kind === kind);
  const score = p.missing.find((m) => m.kind === "postTestScore");
  const line = (label: string, done: boolean, extra?: React.ReactNode) => (
    <li className="flex flex-wrap items-center gap-2">
      <Badge tone={done ? "active" : "invited"}>{t(done ? "certificates.progress.done" : "certificates.progress.toDo")}</Badge>
      <span>{label}</span>
      {extra}
    </li>
  );
  const allDone = p.attendanceMet && p.missing.length === 0;
  return (
    <li className="space-y-2 py-3">
      <p className="font-medium"><bdi>{p.title}</bdi></p>
      <ul className="space-y-1.5 text-sm">
        {line(
          p.attendanceRate === null
            ? t("certificates.progress.attendanceNone", { threshold: n(p.threshold) })
            : t("certificates.progress.attendance", { rate: n(p.attendanceRate), threshold: n(p.threshold) }),
          p.attendanceMet,
        )}
        {p.rule.postTestRequired
          ? line(
              p.rule.postTestMinScore !== null ? t("certificates.progress.postTestMin", { min: n(p.rule.postTestMinScore) }) : t("certificates.progress.postTest"),
              !missing("postTest") && !score,
              missing("postTest") ? (
                <Link to={`/me/tests/${p.eventId}/post`} className="font-medium">{t("certificates.progress.takePostTest")}</Link>
              ) : score && score.kind === "postTestScore" ? (
                <span className="text-amber-900">
                  {t("certificates.progress.scoreShort", { score: n(score.score), min: n(score.min) })} {t("certificates.progress.scoreAdvice")}
                </span>
              ) : null,
            )
          : null}
        {p.rule.feedbackRequired
          ? line(
              t("certificates.progress.feedback"),
              !missing("feedback"),
              missing("feedback") ? <Link to={`/me/feedback/${p.eventId}`} className="font-medium">{t("certificates.progress.giveFeedback")}</Link> : null,
            )
          : null}
      </ul>
      {allDone ? <p className="text-sm text-slate-700">{t("certificates.progress.allDone")}</p> : null}
    </li>
  );
}

const ACTIVE = new Set(["nominated", "applied", "confirmed", "waitlisted"]);

export default function Me() {
  const { name, upcoming, past, plans, certificates, progress, tests, feedback, sessionFeedback } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const list = (rows: typeof upcoming, cancellable: boolean) =>
    rows.length === 0 ? null : (
      <ul className="divide-y divide-slate-100">
        {rows.map((r) => (
          <li key={r.id} className="flex flex-wrap items-center justify-between gap-3 py-3">
            <div>
              <Link to={`/events/${r.eventId}`} className="font-medium">{r.title}</Link>
              <p className="text-sm text-slate-600">
                {formatDayRange(r.startDate, r.endDate, locale)} · <Parts parts={[r.locality, countryName(r.country, locale)]} />
              </p>
            </div>
            <div className="flex items-center gap-3">
              <Badge tone={r.status === "confirmed" ? "active" : r.status === "waitlisted" ? "invited" : ACTIVE.has(r.status) ? "draft" : "disabled"}>
                {t(`registrationStatus.${r.status}`)}
              </Badge>
              {cancellable && ACTIVE.has(r.status) ? (
                <details>
                  <summary className="cursor-pointer text-sm text-red-800">{t("myTrainings.cancel")}</summary>
                  <Form method="post" className="mt-2 space-y-2 rounded-md border border-red-200 bg-red-50 p-3 text-sm">
                    <input type="hidden" name="intent" value="cancel" />
                    <input type="hidden" name="registrationId" value={r.id} />
                    <p>{t("myTrainings.cancelQuestion", { event: r.title })}</p>
                    <Button variant="danger">{t("myTrainings.cancelConfirm")}</Button>
                  </Form>
                </details>
              ) : null}
            </div>
          </li>
        ))}
      </ul>
    );
  return (
    <div className="space-y-6">
      <PageHeader title={t("me.title", { name })} />
      {actionData?.error ? <Notice tone="error">{t(actionData.error as "errors.unknownAction")}</Notice> : null}
      {tests.length > 0 ? (
        <section aria-labelledby="tests-waiting" className="rounded-lg border border-green-300 bg-green-50 p-4">
          <h2 id="tests-waiting" className="sr-only">{t("testTaking.waitingTitle")}</h2>
          <ul className="space-y-3">
            {tests.map((test) => (
              <li key={test.url} className="flex flex-wrap items-center justify-between gap-3">
                <div>
                  <p className="font-semibold text-green-900">{t(`testTaking.open.${test.phase}`)}</p>
                  <p className="text-sm text-slate-700">
                    <bdi>{test.title}</bdi>
                    {test.closesAt ? <> · {t("testTaking.closesAt", { at: formatDateTimeNamedZone(test.closesAt, test.timeZone, locale) })}</> : null}
                  </p>
                </div>
                <Link to={test.url} className={buttonClass("primary")}>
                  {t(`testTaking.take.${test.phase}`)}
                </Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {feedback.length > 0 || sessionFeedback.length > 0 ? (
        <Card title={t("me.feedback.title")}>
          {feedback.length > 0 ? (
            <ul className="divide-y divide-slate-100" data-testid="my-feedback-forms">
              {feedback.map((f) => (
                <li key={f.eventId} className="flex flex-wrap items-center justify-between gap-3 py-3">
                  <bdi className="font-medium">{f.title}</bdi>
                  {f.answered ? (
                    <span className="text-sm text-slate-700">{t("me.feedback.answered")}</span>
                  ) : (
                    <LinkButton to={`/me/feedback/${f.eventId}`}>{t("me.feedback.give")}</LinkButton>
                  )}
                </li>
              ))}
            </ul>
          ) : null}
          {sessionFeedback.length > 0 ? (
            <>
              <h3 className={`text-sm font-semibold text-slate-900 ${feedback.length > 0 ? "mt-4 border-t border-slate-200 pt-4" : ""}`}>{t("me.feedback.sessionsTitle")}</h3>
              <ul className="divide-y divide-slate-100" data-testid="my-session-feedback-forms">
                {sessionFeedback.map((f) => (
                  <li key={f.sessionId} className="flex flex-wrap items-center justify-between gap-3 py-3">
                    <div className="min-w-0">
                      <bdi className="font-medium">{f.sessionTitle}</bdi>
                      <p className="text-sm text-slate-600">
                        <bdi>{f.eventTitle}</bdi> · {formatSessionTime(f.startsAt, f.endsAt, f.timeZone, locale)}
                      </p>
                    </div>
                    {f.answered ? (
                      <span className="text-sm text-slate-700">{t("me.feedback.answered")}</span>
                    ) : (
                      <LinkButton to={`/me/feedback/${f.eventId}/sessions/${f.sessionId}`} aria-label={t("me.feedback.giveOnSession", { title: f.sessionTitle })}>
                        {t("me.feedback.give")}
                      </LinkButton>
                    )}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </Card>
      ) : null}
      {progress.length > 0 ? (
        <Card title={t("certificates.progress.title")}>
          <ul className="divide-y divide-slate-100" data-testid="certificate-progress">
            {progress.map((p) => <CertificateProgress key={p.eventId} progress={p} />)}
          </ul>
        </Card>
      ) : null}
      <Card title={t("myTrainings.upcoming")}>{list(upcoming, true) ?? <p className="text-sm text-slate-600">{t("myTrainings.noUpcoming")}</p>}</Card>
      <Card title={t("myTrainings.past")}>{list(past, false) ?? <p className="text-sm text-slate-600">{t("home.participant.noTrainings")}</p>}</Card>
      <Card title={t("certificates.mine.title")}>
        {certificates.length === 0 ? (
          <p className="text-sm text-slate-600">{t("certificates.mine.empty")}</p>
        ) : (
          <ul className="divide-y divide-slate-100">
            {certificates.map((c) => (
              <li key={c.id} className="flex flex-wrap items-center justify-between gap-3 py-3">
                <div>
                  <p className="font-medium"><bdi>{c.eventTitle}</bdi></p>
                  <p className="text-sm text-slate-600">
                    {formatDayRange(c.startDate, c.endDate, locale)} · <Parts parts={[c.locality, countryName(c.country, locale)]} />
                  </p>
                  <p className="text-xs text-slate-600">{t("certificates.mine.code", { code: c.code })}</p>
                </div>
                <a href={`/me/certificates/${c.id}.pdf`} className="text-sm font-medium">{t("certificates.mine.download")}</a>
              </li>
            ))}
          </ul>
        )}
      </Card>
      <Card title={t("actionPlans.me.title")}>
        {plans.length === 0 ? (
          <p className="text-sm text-slate-600">{t("actionPlans.me.empty")}</p>
        ) : (
          <ul className="divide-y divide-slate-100">
            {plans.map((p) => (
              <li key={p.id} className="flex flex-wrap items-center justify-between gap-3 py-3">
                <div>
                  <Link to={p.url} className="font-medium">
                    <bdi>{p.title}</bdi>
                  </Link>
                  <p className="text-sm text-slate-600">
                    <bdi>{p.eventTitle}</bdi> · {formatDayRange(p.startDate, p.endDate, locale)}
                  </p>
                </div>
                <div className="flex flex-wrap items-center gap-2 text-sm">
                  <PlanStatusBadge status={p.status} />
                  <span>{p.open > 0 ? t("actionPlans.me.open", { count: p.open, formatted: formatNumber(p.open, locale) }) : t("actionPlans.me.allDone")}</span>
                  {p.items.overdue > 0 ? <OverdueBadge /> : null}
                </div>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}
