import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "~/lib/translation";
import { z } from "zod";
import { requireActor } from "~/auth/session.server";
import { AddItemForm, ItemDetails, ItemEditForms, PlainField } from "~/components/action-plans";
import { Button } from "~/components/ui/button";
import { Card, EmptyState, Notice } from "~/components/ui/page";
import { formatNumber } from "~/lib/format";
import { formValues, parseForm } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { idNumber, idParam } from "~/lib/params";
import { ACTION_PLAN_TITLE_MAX, actionItemSchema, planTitleSchema } from "~/lib/schemas/action-plans";
import {
  addTemplateItem,
  getActionPlanTemplate,
  removeTemplateItem,
  saveActionPlanTemplate,
  updateTemplateItem,
} from "~/models/action-plans.server";
import { FieldError } from "~/models/field-error.server";
import { SubmissionKey } from "~/components/ui/submission-key";
import { createOnce, newSubmissionKey, submissionOf } from "~/models/submission-keys.server";
import { readFormData } from "~/lib/form-data.server";

/*
 * /events/:eventId/action-plans/template — the coordinator's template: items that pre-fill the
 * participants' plans ("integrate the referral mechanism into daily port procedures"). A child of
 * the event layout, not of the plans list: hence `action-plans_`.
 */

/** The translation namespaces this page uses besides the common ones (root.tsx) and its parents'. */
export const handle = { i18n: ["actionItemStatus", "actionPlans", "errors", "form"] };

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "actionPlans.template.title");

const ROLES = ["admin", "coordinator"] as const;
const DONE = ["templateSaved", "itemAdded", "itemUpdated", "itemRemoved"] as const;
type Done = (typeof DONE)[number];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user } = await requireActor(request, ROLES);
  const eventId = idParam(params.eventId);
  const done = new URL(request.url).searchParams.get("done");
  return {
    ...(await getActionPlanTemplate(user, eventId)),
    done: (DONE as readonly string[]).includes(done ?? "") ? (done as Done) : null,
    formKey: newSubmissionKey(),
  };
}

type ActionResult = { intent: string; itemId: number | null; errors: Record<string, string>; vars: Record<string, string | number>; values: Record<string, string> };

const itemIdField = z.object({ itemId: idNumber });

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request, ROLES);
  const eventId = idParam(params.eventId);
  const form = await readFormData(request);
  const intent = String(form.get("intent") ?? "");
  const item = itemIdField.safeParse({ itemId: form.get("itemId") });
  const itemId = item.success ? item.data.itemId : null;
  const values = formValues(form);
  const fail = (errors: Record<string, string>, vars: Record<string, string | number> = {}) =>
    data<ActionResult>({ intent, itemId, errors, vars, values }, { status: 400 });
  const back = (done: Done) => redirect(`/events/${eventId}/action-plans/template?done=${done}`);
  const needItem = () => {
    if (itemId === null) throw new Response("Not found", { status: 404 });
    return itemId;
  };
  try {
    switch (intent) {
      case "save-title": {
        const parsed = parseForm(form, planTitleSchema);
        if (!parsed.ok) return fail(parsed.errors);
        await saveActionPlanTemplate(actor, eventId, parsed.data.title);
        return back("templateSaved");
      }
      case "add-item": {
        const parsed = parseForm(form, actionItemSchema);
        if (!parsed.ok) return fail(parsed.errors);
        // a one-time key: a resend adds nothing
        return redirect(
          await createOnce(submissionOf(request, form, "template_item", actor.user.id), async () => {
            await addTemplateItem(actor, eventId, parsed.data);
            return `/events/${eventId}/action-plans/template?done=itemAdded`;
          }),
        );
      }
      case "edit-item": {
        const id = needItem();
        const parsed = parseForm(form, actionItemSchema);
        if (!parsed.ok) return fail(parsed.errors);
        await updateTemplateItem(actor, eventId, id, parsed.data);
        return back("itemUpdated");
      }
      case "remove-item":
        await removeTemplateItem(actor, eventId, needItem());
        return back("itemRemoved");
      default:
        return fail({ form: "errors.unknownAction" });
    }
  } catch (error) {
    if (error instanceof FieldError) return fail({ [error.field]: error.messageKey }, error.values);
    throw error;
  }
}

export default function ActionPlanTemplate() {
  const { event, template, items, plans, done, formKey } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const n = (v: number) => formatNumber(v, locale);
  const failed = (intent: string, itemId: number | null = null) =>
    actionData && actionData.intent === intent && (itemId === null || actionData.itemId === itemId) ? actionData : null;
  const base = `/events/${event.id}/action-plans`;
  const formError = actionData?.errors.form;

  return (
    <div className="max-w-4xl space-y-6">
      <nav aria-label={t("layout.breadcrumbs")} className="text-sm">
        <Link to={base}>{t("actionPlans.backToList")}</Link>
      </nav>
      <div className="space-y-1">
        <h2 className="text-xl font-semibold">{t("actionPlans.template.title")}</h2>
        <p className="text-sm text-slate-700">{t("actionPlans.template.intro")}</p>
        <p className="text-sm text-slate-600">{t("actionPlans.template.existingPlans", { count: plans, formatted: n(plans) })}</p>
      </div>
      {done ? <Notice tone="success">{t(`actionPlans.done.${done}`)}</Notice> : null}
      {formError ? <Notice tone="error">{t(formError as "actionPlans.errors.noTemplate", actionData?.vars ?? {})}</Notice> : null}

      <Card>
        <Form method="post" className="space-y-3">
          <input type="hidden" name="intent" value="save-title" />
          <PlainField
            id="template-title"
            name="title"
            label={t("actionPlans.template.planTitle")}
            hint={t("actionPlans.template.planTitleHint")}
            required
            maxLength={ACTION_PLAN_TITLE_MAX}
            defaultValue={failed("save-title")?.values.title ?? template?.title ?? t("actionPlans.create.defaultTitle")}
            error={failed("save-title")?.errors.title}
          />
          <Button variant={template ? "secondary" : "primary"} disabled={busy}>
            {t(template ? "actionPlans.template.saveTitle" : "actionPlans.template.create")}
          </Button>
        </Form>
      </Card>

      {template ? (
        <>
          <section aria-labelledby="template-items" className="space-y-3">
            <h3 id="template-items" className="text-lg font-semibold">{t("actionPlans.plan.items")}</h3>
            {items.length === 0 ? (
              <EmptyState message={t("actionPlans.template.empty")} />
            ) : (
              <ol className="space-y-3">
                {items.map((item, i) => {
                  const editFailed = failed("edit-item", item.id);
                  return (
                    <li key={item.id} className="space-y-2 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
                      <p className="font-semibold">
                        {t("actionPlans.plan.itemNumber", { number: n(i + 1) })} · <bdi>{item.action}</bdi>
                      </p>
                      <ItemDetails item={item} className="gap-y-1" />
                      <ItemEditForms
                        item={item}
                        refused={editFailed}
                        firstDay={event.startDate}
                        withStatus={false}
                        removeQuestion={t("actionPlans.template.removeQuestion")}
                        busy={busy}
                      />
                    </li>
                  );
                })}
              </ol>
            )}
          </section>
          <AddItemForm refused={failed("add-item")} firstDay={event.startDate} withStatus={false} busy={busy} formKey={formKey} />
        </>
      ) : null}
    </div>
  );
}
