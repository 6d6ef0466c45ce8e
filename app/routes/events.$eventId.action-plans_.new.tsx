import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "~/lib/translation";
import { requireActor } from "~/auth/session.server";
import { PlainField } from "~/components/action-plans";
import { Button, LinkButton } from "~/components/ui/button";
import { Card, Notice } from "~/components/ui/page";
import { formatDay, formatNumber } from "~/lib/format";
import { parseForm } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { idParam } from "~/lib/params";
import { ACTION_PLAN_TITLE_MAX, newPlanSchema } from "~/lib/schemas/action-plans";
import { createActionPlan, planCreationForm } from "~/models/action-plans.server";
import { FieldError } from "~/models/field-error.server";
import { SubmissionKey } from "~/components/ui/submission-key";
import { createOnce, newSubmissionKey, submissionOf } from "~/models/submission-keys.server";
import { readFormData } from "~/lib/form-data.server";

/*
 * /events/:eventId/action-plans/new — a child of the event layout, not of the plans list (which
 * renders no outlet): hence `action-plans_`.
 */

/** The translation namespaces this page uses besides the common ones (root.tsx) and its parents'. */
export const handle = { i18n: ["actionPlans", "errors", "form"] };

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "actionPlans.create.title");

/** Participants write their own plan; coordinators and admins may enter one for participants. */
const ROLES = ["admin", "coordinator", "participant"] as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user } = await requireActor(request, ROLES);
  const eventId = idParam(params.eventId);
  const form = await planCreationForm(user, eventId);
  // one plan per person and event: someone who has one goes straight to it
  if (form.own) throw redirect(`/events/${eventId}/action-plans/${form.own.id}`);
  return { ...form, formKey: newSubmissionKey() };
}

type ActionResult = { errors: Record<string, string>; vars: Record<string, string | number>; values: Record<string, string | string[]> };

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request, ROLES);
  const eventId = idParam(params.eventId);
  const form = await readFormData(request);
  const values = {
    title: String(form.get("title") ?? "").slice(0, 1000),
    fromTemplate: String(form.get("fromTemplate") ?? ""),
    memberPersonIds: form.getAll("memberPersonIds").map(String),
  };
  const parsed = parseForm(form, newPlanSchema);
  if (!parsed.ok) return data<ActionResult>({ errors: parsed.errors, vars: {}, values }, { status: 400 });
  try {
    return redirect(
      await createOnce(submissionOf(request, form, "action_plan", actor.user.id), async () => `/events/${eventId}/action-plans/${(await createActionPlan(actor, eventId, parsed.data))}?done=created`),
    );
  } catch (error) {
    if (error instanceof FieldError) return data<ActionResult>({ errors: { [error.field]: error.messageKey }, vars: error.values, values }, { status: 400 });
    throw error;
  }
}

export default function NewActionPlan() {
  const { event, template, eligibility, forCoordinator, candidates, formKey } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const n = (v: number) => formatNumber(v, locale);
  const base = `/events/${event.id}/action-plans`;
  const errors = actionData?.errors;
  const chosen = new Set([actionData?.values.memberPersonIds ?? []].flat());
  const heading = t(forCoordinator ? "actionPlans.create.titleCoordinator" : "actionPlans.create.title");
  const translatedErrors = errors
    ? Object.fromEntries(Object.entries(errors).map(([field, key]) => [field, t(key as "actionPlans.errors.noItems", actionData?.vars ?? {})]))
    : undefined;

  if (eligibility !== "ok") {
    return (
      <div className="space-y-4">
        <h2 className="text-xl font-semibold">{heading}</h2>
        <Notice>{t(eligibility === "eventNotHeld" ? "actionPlans.errors.eventNotHeld" : "actionPlans.errors.didNotAttend")}</Notice>
        <LinkButton to={base} variant="secondary">{t("actionPlans.backToList")}</LinkButton>
      </div>
    );
  }

  return (
    <div className="max-w-3xl space-y-4">
      <nav aria-label={t("layout.breadcrumbs")} className="text-sm">
        <Link to={base}>{t("actionPlans.backToList")}</Link>
      </nav>
      <h2 className="text-xl font-semibold">{heading}</h2>
      <p className="text-sm text-slate-700">{t(forCoordinator ? "actionPlans.create.introCoordinator" : "actionPlans.create.intro")}</p>
      {translatedErrors ? (
        <div role="alert" className="rounded-md border border-red-300 bg-red-50 p-4 text-sm text-red-800">
          <p className="font-semibold">{t("form.errorSummary")}</p>
          <ul className="mt-2 list-disc space-y-1 ps-5">
            {Object.entries(translatedErrors).map(([field, text]) => (
              <li key={field}>
                {field === "form" ? text : <a href={`#${field}`} className="text-red-800 underline">{text}</a>}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <Form method="post" className="space-y-6">
        <SubmissionKey value={formKey} />
        <PlainField
          id="title"
          name="title"
          label={t("actionPlans.fields.title")}
          hint={t("actionPlans.create.titleHint")}
          required
          maxLength={ACTION_PLAN_TITLE_MAX}
          defaultValue={actionData ? String(actionData.values.title) : (template?.title ?? t("actionPlans.create.defaultTitle"))}
          error={errors?.title}
        />

        {template ? (
          <Card>
            <div className="flex items-start gap-3">
              <input
                id="fromTemplate"
                name="fromTemplate"
                type="checkbox"
                defaultChecked={actionData ? actionData.values.fromTemplate === "on" : true}
                className="mt-1 h-4 w-4"
                aria-describedby="fromTemplate-hint"
              />
              <div>
                <label htmlFor="fromTemplate" className="font-medium">
                  {t("actionPlans.create.fromTemplate", { count: template.items.length, formatted: n(template.items.length) })}
                </label>
                <p id="fromTemplate-hint" className="text-sm text-slate-600">{t("actionPlans.create.fromTemplateHint")}</p>
              </div>
            </div>
            {template.items.length > 0 ? (
              <ol className="mt-3 list-decimal space-y-1 ps-6 text-sm text-slate-700">
                {template.items.map((item, i) => (
                  <li key={i}>
                    <bdi>{item.action}</bdi>
                    {item.targetDate ? <span className="text-slate-600"> · {t("actionPlans.create.targetBy", { date: formatDay(item.targetDate, locale) })}</span> : null}
                  </li>
                ))}
              </ol>
            ) : null}
          </Card>
        ) : null}

        {forCoordinator || candidates.length > 0 ? (
          <fieldset className="space-y-2" aria-describedby="members-hint">
            <legend id="memberPersonIds" tabIndex={-1} className="font-medium text-slate-800">
              {t(forCoordinator ? "actionPlans.create.members" : "actionPlans.create.coAuthors")}
              {forCoordinator ? (
                <span className="text-red-700" aria-hidden="true">
                  {" "}
                  *
                </span>
              ) : null}
            </legend>
            <p id="members-hint" className="text-sm text-slate-600">
              {t(forCoordinator ? "actionPlans.create.membersHint" : "actionPlans.create.coAuthorsHint")}
            </p>
            {errors?.memberPersonIds ? (
              <p className="text-sm font-medium text-red-700">{translatedErrors?.memberPersonIds}</p>
            ) : null}
            {candidates.length === 0 ? (
              <p className="text-sm text-slate-600">{t("actionPlans.create.noCandidates")}</p>
            ) : (
              <ul className="grid gap-1 sm:grid-cols-2">
                {candidates.map((c) => (
                  <li key={c.personId} className="flex items-center gap-2 text-sm">
                    <input
                      id={`member-${c.personId}`}
                      type="checkbox"
                      name="memberPersonIds"
                      value={c.personId}
                      defaultChecked={chosen.has(String(c.personId))}
                      className="h-4 w-4"
                    />
                    <label htmlFor={`member-${c.personId}`}>
                      <bdi>{c.name}</bdi>
                      {forCoordinator && c.organisationName ? (
                        <span className="text-slate-600">
                          {" · "}
                          <bdi>{c.organisationName}</bdi>
                        </span>
                      ) : null}
                    </label>
                  </li>
                ))}
              </ul>
            )}
          </fieldset>
        ) : null}

        <div className="flex flex-wrap gap-3">
          <Button disabled={busy}>{t("actionPlans.create.submit")}</Button>
          <LinkButton to={base} variant="secondary">{t("actionPlans.cancel")}</LinkButton>
        </div>
      </Form>
    </div>
  );
}
