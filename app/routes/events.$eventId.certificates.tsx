import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/lib/translation";
import { z } from "zod";
import { requireActor } from "~/auth/session.server";
import { Badge } from "~/components/ui/badge";
import { Button, LinkButton } from "~/components/ui/button";
import { EmptyState, Notice } from "~/components/ui/page";
import { config } from "~/config.server";
import { dayInZone, formatDateTimeNamedZone, formatDay, formatNumber } from "~/lib/format";
import { parseForm } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { idNumber, idFrom, idParam } from "~/lib/params";
import { certificateCandidates, issueCertificates, revokeCertificate } from "~/models/certificates.server";
import { certificateRuleForEditing, setCertificateRule, type MissingRequirement } from "~/models/certificate-requirements.server";
import { describedBy, ErrorSummary, FieldFrame, inputClass } from "~/components/ui/field";
import type { FieldErrors } from "~/lib/forms";
import { FieldError } from "~/models/field-error.server";
import { readFormData } from "~/lib/form-data.server";

/** The translation namespaces this page uses besides the common ones (root.tsx) and its parents'. */
export const handle = { i18n: ["certificates", "errors", "form", "roster"] };

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "certificates.title");

/** What the last action did, carried in the redirect's query so the message can say how many. */
function doneMessage(url: URL) {
  const done = url.searchParams.get("done");
  if (done === "issued") {
    const n = Number(url.searchParams.get("n"));
    return Number.isSafeInteger(n) && n > 0 ? { kind: "issued" as const, n } : null;
  }
  for (const kind of ["nothingNew", "noneCompleted", "revoked", "ruleSaved"] as const) if (done === kind) return { kind, n: 0 };
  return null;
}

/** The event's certificates tab (admins and coordinators): who completed, who has a certificate. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request, ["admin", "coordinator"]);
  const eventId = idParam(params.eventId);
  const { testQuestions } = await certificateRuleForEditing(actor, eventId);
  return { ...(await certificateCandidates(actor, eventId)), testQuestions, done: doneMessage(new URL(request.url)) };
}

const checkbox = z
  .string()
  .optional()
  .transform((v) => v === "on" || v === "true");
/** What a certificate requires besides attendance: an empty minimum means "taking the post-test is enough". */
const ruleSchema = z.object({
  intent: z.literal("requirements"),
  postTestRequired: checkbox,
  postTestMinScore: z
    .string()
    .trim()
    .max(10, "certificates.rule.errors.minScore")
    .optional()
    .transform((v, ctx) => {
      if (!v) return null;
      if (!/^\d{1,3}$/.test(v) || Number(v) > 100) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: "certificates.rule.errors.minScore" });
        return z.NEVER;
      }
      return Number(v);
    }),
  feedbackRequired: checkbox,
});

type RuleFailure = { ruleErrors: FieldErrors; ruleValues: Record<string, string> };

const ids = z.preprocess(
  (v) => (v === undefined || v === "" ? [] : [v].flat()),
  z.array(idNumber).min(1, "certificates.errors.noneSelected"),
);
const actionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("issue-all") }),
  z.object({ intent: z.literal("issue-selected"), registrationIds: ids }),
  z.object({
    intent: z.literal("revoke"),
    certificateId: idNumber,
    reason: z
      .string({ required_error: "certificates.errors.reasonRequired" })
      .trim()
      .min(1, "certificates.errors.reasonRequired")
      .max(500, "certificates.errors.reasonTooLong"),
  }),
]);

type ActionError = { error: string; values: Record<string, string | number>; revoke: { certificateId: number; reason: string } | null };

/** Issue to everyone who completed, issue to the selected, or revoke one certificate. */
export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request, ["admin", "coordinator"]);
  const eventId = idParam(params.eventId);
  const form = await readFormData(request);
  if (form.get("intent") === "requirements") {
    const ruleValues = Object.fromEntries(["postTestRequired", "postTestMinScore", "feedbackRequired"].map((k) => [k, String(form.get(k) ?? "").slice(0, 20)]));
    const rule = parseForm(form, ruleSchema);
    if (!rule.ok) return data<RuleFailure>({ ruleErrors: rule.errors, ruleValues }, { status: 400 });
    try {
      await setCertificateRule(actor, eventId, rule.data);
    } catch (error) {
      if (error instanceof FieldError) return data<RuleFailure>({ ruleErrors: { [error.field]: error.messageKey }, ruleValues }, { status: 400 });
      throw error;
    }
    return redirect(`/events/${eventId}/certificates?done=ruleSaved`);
  }
  const parsed = parseForm(form, actionSchema);
  const revokeOf = () => {
    const id = idFrom(form.get("certificateId"));
    return form.get("intent") === "revoke" && id !== null ? { certificateId: id, reason: String(form.get("reason") ?? "").slice(0, 600) } : null;
  };
  if (!parsed.ok) {
    const message = Object.values(parsed.errors)[0] ?? "errors.unknownAction";
    const known = message.startsWith("certificates.") ? message : "errors.unknownAction";
    return data<ActionError>({ error: known, values: {}, revoke: revokeOf() }, { status: 400 });
  }
  const back = `/events/${eventId}/certificates`;
  try {
    const input = parsed.data;
    if (input.intent === "revoke") {
      await revokeCertificate(actor, input.certificateId, input.reason, { eventId });
      return redirect(`${back}?done=revoked`);
    }
    const result = await issueCertificates(actor, eventId, input.intent === "issue-all" ? "all-completed" : input.registrationIds, config().appUrl);
    const outcome = result.issued > 0 ? `issued&n=${result.issued}` : result.alreadyValid > 0 ? "nothingNew" : "noneCompleted";
    return redirect(`${back}?done=${outcome}`);
  } catch (error) {
    if (error instanceof FieldError) return data<ActionError>({ error: error.messageKey, values: error.values, revoke: revokeOf() }, { status: 400 });
    throw error;
  }
}

const STATE_TONE = { none: "draft", valid: "active", revoked: "disabled" } as const;

/** One requirement a person has not met, in words ("score 45% < 60%"). */
function MissingText({ item }: { item: MissingRequirement }) {
  const { t, i18n } = useTranslation();
  if (item.kind === "postTestScore") {
    return <>{t("certificates.missing.postTestScore", { score: formatNumber(item.score, i18n.language), min: formatNumber(item.min, i18n.language) })}</>;
  }
  return <>{t(`certificates.missing.${item.kind}`)}</>;
}

/** What a certificate requires besides attendance, and the form that changes it. */
function RequirementsCard({ eventId, threshold, rule, testQuestions, failure }: {
  eventId: number;
  threshold: number;
  rule: { postTestRequired: boolean; postTestMinScore: number | null; feedbackRequired: boolean };
  testQuestions: number;
  failure: RuleFailure | null;
}) {
  const { t, i18n } = useTranslation();
  const n = (v: number) => formatNumber(v, i18n.language);
  const errors = failure?.ruleErrors ?? {};
  const values = failure?.ruleValues;
  const checked = (name: "postTestRequired" | "feedbackRequired") => (values ? values[name] === "on" : rule[name]);
  const items = [
    t("certificates.rule.attendance", { threshold: n(threshold) }),
    rule.postTestRequired
      ? rule.postTestMinScore !== null
        ? t("certificates.rule.postTestMin", { min: n(rule.postTestMinScore) })
        : t("certificates.rule.postTest")
      : null,
    rule.feedbackRequired ? t("certificates.rule.feedback") : null,
  ].filter((x): x is string => x !== null);
  return (
    <section aria-labelledby="requirements-title" className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <h3 id="requirements-title" className="font-semibold">{t("certificates.rule.title")}</h3>
      <ul className="mt-2 list-disc space-y-1 ps-5 text-sm text-slate-800" data-testid="certificate-requirements">
        {items.map((item) => <li key={item}>{item}</li>)}
      </ul>
      <p className="mt-1 text-xs text-slate-600">
        {t("certificates.rule.thresholdWhere")} <Link to={`/events/${eventId}/edit`} className="underline">{t("certificates.rule.editEvent")}</Link>
      </p>
      <details open={failure !== null} className="mt-3">
        <summary className="cursor-pointer text-sm font-medium text-brand-700">{t("certificates.rule.change")}</summary>
        <Form method="post" className="mt-3 max-w-xl space-y-4" noValidate>
          <input type="hidden" name="intent" value="requirements" />
          <ErrorSummary
            errors={failure ? errors : undefined}
            labels={{ postTestRequired: t("certificates.rule.fields.postTestRequired"), postTestMinScore: t("certificates.rule.fields.postTestMinScore"), feedbackRequired: t("certificates.rule.fields.feedbackRequired") }}
          />
          <div className="space-y-1">
            <label className="flex items-start gap-2 text-sm font-medium text-slate-800">
              <input
                id="postTestRequired"
                type="checkbox"
                name="postTestRequired"
                defaultChecked={checked("postTestRequired")}
                aria-describedby={describedBy("postTestRequired", "hint", errors.postTestRequired)}
                aria-invalid={errors.postTestRequired ? true : undefined}
                className="mt-1"
              />
              {t("certificates.rule.fields.postTestRequired")}
            </label>
            <p id="postTestRequired-hint" className="ps-6 text-sm text-slate-600">
              {testQuestions > 0
                ? t("certificates.rule.postTestHint", { count: testQuestions, formatted: n(testQuestions) })
                : t("certificates.rule.noTestHint")}{" "}
              <Link to={`/events/${eventId}/tests`} className="underline">{t("certificates.rule.testTab")}</Link>
            </p>
            {errors.postTestRequired ? <p id="postTestRequired-error" className="ps-6 text-sm font-medium text-red-700">{t(errors.postTestRequired as "certificates.rule.errors.noTest")}</p> : null}
          </div>
          <div className="max-w-xs">
            <FieldFrame name="postTestMinScore" label={t("certificates.rule.fields.postTestMinScore")} hint={t("certificates.rule.minScoreHint")} error={errors.postTestMinScore}>
              <input
                id="postTestMinScore"
                name="postTestMinScore"
                type="number"
                inputMode="numeric"
                min={0}
                max={100}
                step={1}
                defaultValue={values ? values.postTestMinScore : rule.postTestMinScore === null ? "" : String(rule.postTestMinScore)}
                aria-invalid={errors.postTestMinScore ? true : undefined}
                aria-describedby={describedBy("postTestMinScore", "hint", errors.postTestMinScore)}
                className={inputClass(errors.postTestMinScore)}
              />
            </FieldFrame>
          </div>
          <div className="space-y-1">
            <label className="flex items-start gap-2 text-sm font-medium text-slate-800">
              <input id="feedbackRequired" type="checkbox" name="feedbackRequired" defaultChecked={checked("feedbackRequired")} aria-describedby="feedbackRequired-hint" className="mt-1" />
              {t("certificates.rule.fields.feedbackRequired")}
            </label>
            <p id="feedbackRequired-hint" className="ps-6 text-sm text-slate-600">{t("certificates.rule.feedbackHint")}</p>
          </div>
          <Button variant="secondary">{t("certificates.rule.save")}</Button>
        </Form>
      </details>
    </section>
  );
}

export default function Certificates() {
  const { event, rule, testQuestions, canIssue, ended, issuableFrom, rows, done } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionError | RuleFailure | undefined;
  const actionData = result && "error" in result ? result : undefined;
  const ruleFailure = result && "ruleErrors" in result ? result : null;
  const hasRule = rule.postTestRequired || rule.feedbackRequired;
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const n = (v: number) => formatNumber(v, locale);
  const day = (at: string | Date) => formatDay(dayInZone(new Date(at), event.timeZone), locale);
  const confirmed = rows.filter((r) => r.confirmedParticipant);
  const completed = confirmed.filter((r) => r.completed);
  const eligible = confirmed.filter((r) => r.eligible);
  const issued = rows.filter((r) => r.certificate?.state === "valid");
  const failedRevoke = actionData?.revoke ?? null;

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h2 className="text-xl font-semibold">{t("certificates.title")}</h2>
          <p className="text-sm text-slate-700" aria-live="polite">
            {[
              t("certificates.summaryConfirmed", { count: confirmed.length, formatted: n(confirmed.length) }),
              t("certificates.summaryCompleted", { count: completed.length, formatted: n(completed.length) }),
              ...(hasRule ? [t("certificates.summaryEligible", { count: eligible.length, formatted: n(eligible.length) })] : []),
              t("certificates.summaryIssued", { count: issued.length, formatted: n(issued.length) }),
            ].join(" · ")}
          </p>
        </div>
        {canIssue && rows.length > 0 ? (
          <Form method="post" className="max-w-md space-y-1">
            <input type="hidden" name="intent" value="issue-all" />
            <Button>{t("certificates.issueAll")}</Button>
            <p className="text-xs text-slate-600">{t("certificates.issueAllHint")}</p>
          </Form>
        ) : null}
      </div>
      <p className="text-sm text-slate-700">{t("certificates.intro", { threshold: n(event.threshold) })}</p>
      <RequirementsCard eventId={event.id} threshold={event.threshold} rule={rule} testQuestions={testQuestions} failure={ruleFailure} />

      {done ? (
        <Notice tone="success">
          {done.kind === "issued"
            ? t("certificates.done.issued", { count: done.n, formatted: n(done.n) })
            : t(`certificates.done.${done.kind}`)}
        </Notice>
      ) : null}
      {actionData?.error ? (
        <Notice tone="error">
          {t(actionData.error as "certificates.errors.notCompleted", {
            ...(actionData.values as { names: string; threshold: number }),
            // an instant from the model is shown in the event's zone, named
            ...(typeof actionData.values.endsAt === "number" ? { at: formatDateTimeNamedZone(actionData.values.endsAt, event.timeZone, locale) } : {}),
          })}
        </Notice>
      ) : null}
      {!ended ? (
        <Notice>{t("certificates.notEnded", { at: formatDateTimeNamedZone(new Date(issuableFrom), event.timeZone, locale) })}</Notice>
      ) : !canIssue ? (
        <Notice>{t("certificates.notFinished", { status: t(`eventStatus.${event.status}`) })}</Notice>
      ) : null}

      {rows.length === 0 ? (
        <EmptyState message={t("certificates.empty")} action={<LinkButton to={`/events/${event.id}/roster`} variant="secondary">{t("roster.title")}</LinkButton>} />
      ) : (
        <>
          {canIssue ? (
            <Form id="issue-selected" method="post" className="flex flex-wrap items-center gap-3 rounded-md bg-slate-100 p-3">
              <input type="hidden" name="intent" value="issue-selected" />
              <Button variant="secondary">{t("certificates.issueSelected")}</Button>
              <p className="text-xs text-slate-600">{t("certificates.issueSelectedHint")}</p>
            </Form>
          ) : null}
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table className="min-w-full divide-y divide-slate-200 text-sm">
              <thead className="sticky top-0 bg-slate-100">
                <tr>
                  {canIssue ? (
                    <th scope="col" className="px-3 py-2">
                      <span className="sr-only">{t("certificates.columns.select")}</span>
                    </th>
                  ) : null}
                  <th scope="col" className="px-3 py-2 text-start font-semibold">{t("certificates.columns.name")}</th>
                  <th scope="col" className="px-3 py-2 text-start font-semibold">{t("certificates.columns.attendance")}</th>
                  <th scope="col" className="px-3 py-2 text-start font-semibold">{t("certificates.columns.completed")}</th>
                  {hasRule ? <th scope="col" className="px-3 py-2 text-start font-semibold">{t("certificates.columns.missing")}</th> : null}
                  <th scope="col" className="px-3 py-2 text-start font-semibold">{t("certificates.columns.certificate")}</th>
                  <th scope="col" className="px-3 py-2 text-start font-semibold">{t("certificates.columns.actions")}</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {rows.map((r) => {
                  const c = r.certificate;
                  const state = c?.state ?? "none";
                  const selectable = canIssue && r.confirmedParticipant && r.eligible && state !== "valid";
                  return (
                    <tr key={r.registrationId} className="align-top">
                      {canIssue ? (
                        <td className="px-3 py-2">
                          <input
                            type="checkbox"
                            form="issue-selected"
                            name="registrationIds"
                            value={r.registrationId}
                            disabled={!selectable}
                            aria-label={t("certificates.selectNamed", { name: r.name })}
                          />
                        </td>
                      ) : null}
                      <td className="px-3 py-2">
                        <bdi className="font-medium">{r.name}</bdi>
                        {r.organisationName ? <div className="text-xs text-slate-600"><bdi>{r.organisationName}</bdi></div> : null}
                      </td>
                      <td className="px-3 py-2 tabular-nums">
                        {r.rate === null
                          ? t("certificates.attendanceNone")
                          : t("certificates.attendanceValue", { attended: n(r.attended), counted: n(r.counted), rate: n(r.rate) })}
                      </td>
                      <td className="px-3 py-2">
                        <Badge tone={r.completed ? "active" : "disabled"}>{t(r.completed ? "certificates.yes" : "certificates.no")}</Badge>
                      </td>
                      {hasRule ? (
                        <td className="px-3 py-2" data-testid="missing-requirements">
                          {r.missing.length === 0 ? (
                            <span className="text-slate-700">{t("certificates.missing.none")}</span>
                          ) : (
                            <ul className="space-y-0.5">
                              {r.missing.map((m) => (
                                <li key={m.kind} className="text-amber-900">
                                  <span aria-hidden="true">• </span>
                                  <MissingText item={m} />
                                </li>
                              ))}
                            </ul>
                          )}
                        </td>
                      ) : null}
                      <td className="px-3 py-2">
                        <Badge tone={STATE_TONE[state]}>{t(`certificates.state.${state}`)}</Badge>
                        {c ? (
                          <div className="mt-1 space-y-0.5 text-xs text-slate-600">
                            {state === "valid" ? (
                              <div>
                                <a href={`/certificates/${c.code}`} className="font-mono" dir="ltr">{c.code}</a>
                              </div>
                            ) : null}
                            <div>{t("certificates.issuedOn", { date: day(c.issuedAt) })}</div>
                            {c.revokedAt ? <div>{t("certificates.revokedOn", { date: day(c.revokedAt) })}</div> : null}
                            {c.revokeReason ? <div><bdi>{t("certificates.revokedReason", { reason: c.revokeReason })}</bdi></div> : null}
                          </div>
                        ) : null}
                      </td>
                      <td className="px-3 py-2">
                        {c && state === "valid" ? (
                          <div className="space-y-2">
                            <a
                              href={`/me/certificates/${c.id}.pdf`}
                              aria-label={t("certificates.downloadNamed", { name: r.name })}
                              className="inline-flex min-h-6 min-w-6 items-center justify-center px-1.5 py-1 font-medium"
                            >
                              {t("certificates.download")}
                            </a>
                            <details open={failedRevoke?.certificateId === c.id}>
                              <summary className="cursor-pointer text-red-800">{t("certificates.revoke")}</summary>
                              <Form method="post" className="mt-2 w-72 max-w-full space-y-2 rounded-md border border-red-200 bg-red-50 p-3">
                                <input type="hidden" name="intent" value="revoke" />
                                <input type="hidden" name="certificateId" value={c.id} />
                                <p>{t("certificates.revokeQuestion", { name: r.name })}</p>
                                <label htmlFor={`reason-${c.id}`} className="block font-medium">{t("certificates.revokeReason")}</label>
                                <textarea
                                  id={`reason-${c.id}`}
                                  name="reason"
                                  required
                                  maxLength={500}
                                  rows={2}
                                  defaultValue={failedRevoke?.certificateId === c.id ? failedRevoke.reason : ""}
                                  aria-describedby={`reason-${c.id}-hint`}
                                  className="block w-full rounded-md border border-slate-300 bg-white px-2 py-1"
                                />
                                <p id={`reason-${c.id}-hint`} className="text-xs text-slate-600">{t("certificates.revokeReasonHint")}</p>
                                <Button variant="danger">{t("certificates.revokeConfirm")}</Button>
                              </Form>
                            </details>
                          </div>
                        ) : null}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      )}
    </div>
  );
}
