import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "~/lib/translation";
import { AREA_ROLES } from "~/auth/permissions";
import { requireActor } from "~/auth/session.server";
import { DesiredPeriod, FollowUpStatusBadge } from "~/components/follow-ups";
import { Parts } from "~/components/ui/bidi";
import { EventStatusBadge } from "~/components/ui/badge";
import { Button, LinkButton } from "~/components/ui/button";
import { Card, Notice, PageHeader } from "~/components/ui/page";
import { config } from "~/config.server";
import { FOLLOW_UP_STATUSES, type FollowUpStatus } from "~/lib/domain";
import { countryName, formatDateTime, formatDayRange, formatList, formatNumber } from "~/lib/format";
import { formValues, parseForm } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { idParam } from "~/lib/params";
import { COMMENT_MAX, followUpActionSchema } from "~/lib/schemas/follow-ups";
import { mainZoneOf } from "~/lib/zoned";
import { FieldError } from "~/models/field-error.server";
import { changeFollowUpStatus, commentOnFollowUp, getFollowUp } from "~/models/follow-ups.server";
import { SubmissionKey } from "~/components/ui/submission-key";
import { createOnce, newSubmissionKey, submissionOf } from "~/models/submission-keys.server";
import { readFormData } from "~/lib/form-data.server";

/** The translation namespaces this page uses besides the common ones (root.tsx) and its parents'. */
export const handle = { i18n: ["errors", "event", "eventStatus", "followUpStatus", "followUps", "priority", "roleCategory"] };

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  pageTitle(matches, "followUps.detail.pageTitle", { title: data?.request.title ?? "" });

const DONE = ["created", "commented", ...FOLLOW_UP_STATUSES] as const;
type Done = (typeof DONE)[number];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request, AREA_ROLES.followUps);
  const found = await getFollowUp(actor.user, idParam(params.requestId));
  const done = new URL(request.url).searchParams.get("done");
  return {
    ...found,
    /** history times are the requesters': shown in their agency's country's main zone (else the request's country's), named */
    zone: mainZoneOf(found.request.organisationCountry ?? found.request.country) ?? mainZoneOf(found.request.country) ?? "UTC",
    done: (DONE as readonly string[]).includes(done ?? "") ? (done as Done) : null,
    formKey: newSubmissionKey(),
  };
}

type ActionError = { form: "comment" | "status"; field: string; error: string; values: Record<string, string>; submitted: Record<string, string> };

/** Add a comment (coordinators and the requesting agency), or move the request on (coordinators). */
export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request, AREA_ROLES.followUps);
  const requestId = idParam(params.requestId);
  const formData = await readFormData(request);
  const submitted = formValues(formData);
  const form = submitted.intent === "status" ? "status" : "comment";
  const parsed = parseForm(formData, followUpActionSchema);
  if (!parsed.ok) {
    const [field, error] = Object.entries(parsed.errors)[0] ?? ["intent", "errors.unknownAction"];
    const known = field === "intent" ? "errors.unknownAction" : error;
    return data<ActionError>({ form, field, error: known, values: {}, submitted }, { status: 400 });
  }
  const back = `/follow-ups/${requestId}`;
  try {
    const input = parsed.data;
    if (input.intent === "comment") {
      // a one-time key: a resent comment is not added twice
      return redirect(
        await createOnce(submissionOf(request, formData, "follow_up_comment", actor.user.id), async () => {
          await commentOnFollowUp(actor, requestId, input.comment);
          return `${back}?done=commented#history`;
        }),
      );
    }
    await changeFollowUpStatus(actor, requestId, input.status, { comment: input.comment, copyTimetable: input.copyTimetable, appUrl: config().appUrl });
    return redirect(`${back}?done=${input.status}`);
  } catch (error) {
    if (error instanceof FieldError) {
      const values = Object.fromEntries(Object.entries(error.values).map(([k, v]) => [k, String(v)]));
      return data<ActionError>({ form, field: error.field, error: error.messageKey, values, submitted }, { status: 400 });
    }
    throw error;
  }
}

const textareaClass = "block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-base shadow-sm";

export default function FollowUpPage() {
  const { request, originEvent, linkedEvents, inPreparation, entries, nextStatuses, canComment, canCopyTimetable, zone, done, formKey } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const busy = navigation.state === "submitting";
  const statusLabel = (s: string) => ((FOLLOW_UP_STATUSES as readonly string[]).includes(s) ? t(`followUpStatus.${s as FollowUpStatus}`) : s);
  // a refusal names the statuses involved in the reader's words
  const errorText = actionData
    ? t(actionData.error as "errors.required", {
        ...actionData.values,
        from: statusLabel(actionData.values.from ?? ""),
        to: statusLabel(actionData.values.to ?? ""),
      })
    : null;
  const failedStatus = actionData?.form === "status" ? actionData.submitted.status : null;
  const firstLinked = linkedEvents[0] ?? null;

  return (
    <div className="space-y-6">
      <PageHeader title={request.title} crumbs={[{ label: t("followUps.title"), to: "/follow-ups" }, { label: request.title }]}>
        <p className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm text-slate-700">
          <FollowUpStatusBadge status={request.status} />
          <span>{t(`priority.${request.priority}`)}</span>
          {request.organisationName ? (
            <>
              <span aria-hidden="true">·</span>
              <span>{t("followUps.detail.requestedBy", { organisation: request.organisationName })}</span>
            </>
          ) : null}
        </p>
      </PageHeader>

      {done ? (
        <Notice tone="success">
          {done === "accepted" && firstLinked ? (
            <>
              {t("followUps.done.accepted")}{" "}
              <Link to={`/events/${firstLinked.id}`}>{t("followUps.detail.openEvent")}</Link>
            </>
          ) : done === "created" || done === "commented" ? (
            t(`followUps.done.${done}`)
          ) : (
            t("followUps.done.status", { status: statusLabel(done) })
          )}
        </Notice>
      ) : null}
      {errorText ? <Notice tone="error">{errorText}</Notice> : null}

      <div className="grid gap-6 lg:grid-cols-3">
        <div className="space-y-6 lg:col-span-2">
          <Card title={t("followUps.detail.what")}>
            <p className="whitespace-pre-line">
              <bdi>{request.description}</bdi>
            </p>
            <dl className="mt-4 grid gap-x-6 gap-y-3 text-sm sm:grid-cols-2">
              <div>
                <dt className="font-medium text-slate-600">{t("followUps.detail.where")}</dt>
                <dd>
                  <Parts parts={[...request.localities, countryName(request.country, locale)]} />
                </dd>
              </div>
              <div>
                <dt className="font-medium text-slate-600">{t("followUps.detail.period")}</dt>
                <dd>
                  <DesiredPeriod from={request.desiredFrom} to={request.desiredTo} />
                </dd>
              </div>
              <div>
                <dt className="font-medium text-slate-600">{t("followUps.detail.audience")}</dt>
                <dd>{request.targetAudience ? <bdi>{request.targetAudience}</bdi> : t("followUps.notGiven")}</dd>
              </div>
              <div>
                <dt className="font-medium text-slate-600">{t("followUps.detail.participants")}</dt>
                <dd className="tabular-nums">
                  {request.estimatedParticipants === null ? t("followUps.notGiven") : formatNumber(request.estimatedParticipants, locale)}
                </dd>
              </div>
              <div className="sm:col-span-2">
                <dt className="font-medium text-slate-600">{t("followUps.detail.roles")}</dt>
                <dd>
                  {request.roleCategories.length > 0
                    ? formatList(request.roleCategories.map((r) => t(`roleCategory.${r}` as "roleCategory.other")), locale)
                    : t("followUps.notGiven")}
                </dd>
              </div>
              <div className="sm:col-span-2">
                <dt className="font-medium text-slate-600">{t("followUps.detail.filed")}</dt>
                <dd>
                  {t("followUps.detail.filedBy", {
                    name: request.createdByName ?? t("followUps.detail.someone"),
                    date: formatDateTime(new Date(request.createdAt), zone, locale),
                  })}
                </dd>
              </div>
            </dl>
          </Card>

          <Card title={t("followUps.detail.history")}>
            <ol id="history" className="space-y-4 border-s-2 border-slate-200 ps-4">
              {entries.map((e) => (
                <li key={e.id} className="space-y-1">
                  <p className="text-sm">
                    <span className="font-medium">
                      {e.toStatus && e.fromStatus
                        ? t("followUps.history.moved", { by: e.authorName ?? t("followUps.detail.someone"), from: statusLabel(e.fromStatus), to: statusLabel(e.toStatus) })
                        : e.toStatus
                          ? t("followUps.history.filed", { by: e.authorName ?? t("followUps.detail.someone") })
                          : t("followUps.history.commented", { by: e.authorName ?? t("followUps.detail.someone") })}
                    </span>{" "}
                    <span className="text-slate-600">{formatDateTime(new Date(e.createdAt), zone, locale)}</span>
                  </p>
                  {e.comment ? (
                    <p className="whitespace-pre-line rounded-md bg-slate-50 p-3 text-sm">
                      <bdi>{e.comment}</bdi>
                    </p>
                  ) : null}
                </li>
              ))}
            </ol>
            {canComment ? (
              <Form method="post" key={formKey} className="mt-6 space-y-2">
                <input type="hidden" name="intent" value="comment" />
                <SubmissionKey value={formKey} />
                <label htmlFor="comment" className="block text-sm font-medium text-slate-800">
                  {t("followUps.commentForm.label")}
                </label>
                <textarea
                  id="comment"
                  name="comment"
                  rows={3}
                  maxLength={COMMENT_MAX}
                  required
                  defaultValue={actionData?.form === "comment" ? actionData.submitted.comment : ""}
                  aria-describedby="comment-hint"
                  aria-invalid={actionData?.form === "comment" ? true : undefined}
                  className={textareaClass}
                />
                <p id="comment-hint" className="text-sm text-slate-600">
                  {t("followUps.commentForm.hint")}
                </p>
                <Button variant="secondary" disabled={busy}>
                  {t("followUps.commentForm.submit")}
                </Button>
              </Form>
            ) : null}
          </Card>
        </div>

        <div className="space-y-6">
          <Card title={t("followUps.detail.trainings")}>
            <div className="space-y-3 text-sm">
              <div>
                <p className="font-medium text-slate-600">{t("followUps.detail.origin")}</p>
                {originEvent ? (
                  <p>
                    <Link to={`/events/${originEvent.id}`}>
                      <bdi>{originEvent.title}</bdi>
                    </Link>{" "}
                    <span className="text-slate-600">{formatDayRange(originEvent.startDate, originEvent.endDate, locale)}</span>
                  </p>
                ) : (
                  <p>{t("followUps.detail.noOrigin")}</p>
                )}
              </div>
              <div>
                <p className="font-medium text-slate-600">{t("followUps.detail.answeredBy")}</p>
                {linkedEvents.length > 0 ? (
                  <ul className="space-y-1">
                    {linkedEvents.map((e) => (
                      <li key={e.id} className="flex flex-wrap items-center gap-2">
                        <Link to={`/events/${e.id}`}>
                          <bdi>{e.title}</bdi>
                        </Link>
                        <EventStatusBadge status={e.status} registrationClosed={e.registrationClosed} />
                        <span className="text-slate-600">{formatDayRange(e.startDate, e.endDate, locale)}</span>
                      </li>
                    ))}
                  </ul>
                ) : (
                  <p>{t(inPreparation ? "followUps.detail.eventInPreparation" : "followUps.detail.noEvent")}</p>
                )}
              </div>
            </div>
          </Card>

          {nextStatuses.length > 0 ? (
            <Card title={t("followUps.steps.title")}>
              <p className="mb-4 text-sm text-slate-700">{t("followUps.steps.intro")}</p>
              <div className="space-y-4">
                {nextStatuses.map((to) => (
                  <Form key={to} method="post" className="space-y-2 rounded-md border border-slate-200 p-3">
                    <input type="hidden" name="intent" value="status" />
                    <input type="hidden" name="status" value={to} />
                    <p className="text-sm text-slate-700">{t(`followUps.steps.hint.${to}`)}</p>
                    {to === "accepted" && canCopyTimetable ? (
                      <label className="flex items-start gap-2 text-sm">
                        <input type="checkbox" name="copyTimetable" defaultChecked={failedStatus === "accepted" ? actionData?.submitted.copyTimetable === "on" : false} className="mt-1" />
                        <span>{t("followUps.steps.copyTimetable")}</span>
                      </label>
                    ) : null}
                    <label htmlFor={`comment-${to}`} className="block text-sm font-medium text-slate-800">
                      {to === "declined" ? t("followUps.steps.reason") : t("followUps.steps.comment")}
                    </label>
                    <textarea
                      id={`comment-${to}`}
                      name="comment"
                      rows={2}
                      maxLength={COMMENT_MAX}
                      required={to === "declined"}
                      defaultValue={failedStatus === to ? actionData?.submitted.comment : ""}
                      className={textareaClass}
                    />
                    <Button variant={to === "declined" ? "danger" : to === "accepted" ? "primary" : "secondary"} disabled={busy}>
                      {t(`followUps.steps.moveTo.${to}`)}
                    </Button>
                  </Form>
                ))}
              </div>
            </Card>
          ) : null}
          {firstLinked && request.status === "accepted" && nextStatuses.length > 0 ? (
            <LinkButton to={`/events/${firstLinked.id}`} variant="secondary">
              {t("followUps.detail.openEvent")}
            </LinkButton>
          ) : null}
        </div>
      </div>
    </div>
  );
}
