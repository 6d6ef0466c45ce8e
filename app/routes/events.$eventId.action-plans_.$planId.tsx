import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction, UploadHandler } from "@remix-run/node";
import { data, MaxPartSizeExceededError, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "~/lib/translation";
import { z } from "zod";
import { requireActor } from "~/auth/session.server";
import { AddItemForm, ItemDetails, ItemEditForms, ItemStatusBadge, OverdueBadge, PlainField, PlanStatusBadge } from "~/components/action-plans";
import { Parts } from "~/components/ui/bidi";
import { Button } from "~/components/ui/button";
import { Card, EmptyState, Notice } from "~/components/ui/page";
import { ACTION_ITEM_STATUSES } from "~/lib/domain";
import { formatDateTime, formatDay, formatNumber } from "~/lib/format";
import { formValues, parseForm } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { idNumber, idParam } from "~/lib/params";
import {
  ACTION_COMMENT_MAX,
  ACTION_PLAN_TITLE_MAX,
  ACTION_UPDATE_NOTE_MAX,
  actionItemSchema,
  commentSchema,
  planTitleSchema,
  progressUpdateSchema,
} from "~/lib/schemas/action-plans";
import {
  addActionItem,
  addActionPlanComment,
  addProgressUpdate,
  ATTACHMENT_MAX_BYTES,
  getActionPlan,
  removeActionItem,
  renameActionPlan,
  setItemValidation,
  submitActionPlan,
  updateActionItem,
} from "~/models/action-plans.server";
import { FieldError } from "~/models/field-error.server";
import { SubmissionKey } from "~/components/ui/submission-key";
import { createOnce, newSubmissionKey, submissionOf } from "~/models/submission-keys.server";
import { isMultipart, readFormData, readMultipartFormData } from "~/lib/form-data.server";

/*
 * /events/:eventId/action-plans/:planId — a child of the event layout, not of the plans list
 * (which renders no outlet): hence `action-plans_` in the file name; the address is the same.
 */

/** The translation namespaces this page uses besides the common ones (root.tsx) and its parents'. */
export const handle = { i18n: ["actionItemStatus", "actionPlans", "errors", "form"] };

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "actionPlans.plan.title");

const ROLES = ["admin", "coordinator", "facilitator", "partner", "participant"] as const;

const DONE = ["renamed", "itemAdded", "itemUpdated", "itemRemoved", "submitted", "progress", "comment", "validated", "unvalidated", "created"] as const;
type Done = (typeof DONE)[number];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user } = await requireActor(request, ROLES);
  const eventId = idParam(params.eventId);
  const planId = idParam(params.planId);
  const done = new URL(request.url).searchParams.get("done");
  return {
    ...(await getActionPlan(user, eventId, planId)),
    done: (DONE as readonly string[]).includes(done ?? "") ? (done as Done) : null,
    maxMegabytes: ATTACHMENT_MAX_BYTES / 1_000_000,
    formKey: newSubmissionKey(),
  };
}

/**
 * Marks an attachment that went over the limit (the rest of the form is kept, so nothing typed is
 * lost): an empty file of this type, which no browser sends.
 */
const TOO_LARGE_TYPE = "application/x-convene-too-large";
/** Text fields of these forms are short; anything bigger is not a browser's form. */
const TEXT_PART_MAX = 100_000;

async function readPart(data: AsyncIterable<Uint8Array>, limit: number, name: string) {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of data) {
    size += chunk.byteLength;
    if (size > limit) throw new MaxPartSizeExceededError(name, limit);
    chunks.push(chunk);
  }
  return { chunks, size };
}

/** Text fields as text; the one file field ("attachment") kept in memory up to the limit. */
const uploadHandler: UploadHandler = async ({ name, filename, contentType, data: stream }) => {
  if (filename === undefined) {
    const { chunks } = await readPart(stream, TEXT_PART_MAX, name);
    return Buffer.concat(chunks).toString("utf8");
  }
  if (name !== "attachment") {
    for await (const _ of stream) void _;
    return undefined;
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += chunk.byteLength;
    // a little over the limit is drained to say so nicely; far over it, the request is cut short
    if (size > 2 * ATTACHMENT_MAX_BYTES) throw new MaxPartSizeExceededError(name, ATTACHMENT_MAX_BYTES);
    if (size <= ATTACHMENT_MAX_BYTES) chunks.push(chunk);
  }
  if (size > ATTACHMENT_MAX_BYTES) return new File([], filename || "attachment", { type: TOO_LARGE_TYPE });
  if (!filename && size === 0) return undefined; // no file chosen
  return new File([new Uint8Array(Buffer.concat(chunks))], filename || "attachment", { type: contentType });
};

const itemIdField = z.object({ itemId: idNumber });

type ActionResult = {
  intent: string;
  itemId: number | null;
  errors: Record<string, string>;
  vars: Record<string, string | number>;
  values: Record<string, string>;
};

/** Every change to the plan: members edit it, coordinators comment, the partner validates items. */
export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request, ROLES);
  const eventId = idParam(params.eventId);
  const planId = idParam(params.planId);
  const ref = { eventId, planId };
  const maxMb = ATTACHMENT_MAX_BYTES / 1_000_000;
  let form: FormData;
  if (isMultipart(request)) {
    try {
      form = await readMultipartFormData(request, uploadHandler);
    } catch (error) {
      if (error instanceof MaxPartSizeExceededError) {
        return data<ActionResult>(
          { intent: "progress", itemId: null, errors: { attachment: "actionPlans.errors.attachmentTooLarge" }, vars: { max: maxMb }, values: {} },
          { status: 400 },
        );
      }
      // a body no browser sends (e.g. a file name whose quotes or line breaks cut its header short):
      // the parser cannot read it, which is the client's fault, not ours
      throw new Response("The form could not be read.", { status: 400 });
    }
  } else {
    form = await readFormData(request);
  }
  const intent = String(form.get("intent") ?? "");
  const rawItem = itemIdField.safeParse({ itemId: form.get("itemId") });
  const itemId = rawItem.success ? rawItem.data.itemId : null;
  const values = formValues(form);
  delete values.attachment;
  const fail = (errors: Record<string, string>, vars: Record<string, string | number> = {}) =>
    data<ActionResult>({ intent, itemId, errors, vars, values }, { status: 400 });
  const backTo = (done: Done, anchor = "") => `/events/${eventId}/action-plans/${planId}?done=${done}${anchor}`;
  const back = (done: Done, anchor = "") => redirect(backTo(done, anchor));
  /** the forms that add something carry a one-time key: a resend adds nothing */
  const addOnce = async (scope: string, add: () => string | Promise<string>) => redirect(await createOnce(submissionOf(request, form, scope, actor.user.id), add));
  const needItem = () => {
    if (itemId === null) throw new Response("Not found", { status: 404 });
    return itemId;
  };

  try {
    switch (intent) {
      case "rename": {
        const parsed = parseForm(form, planTitleSchema);
        if (!parsed.ok) return fail(parsed.errors);
        await renameActionPlan(actor, ref, parsed.data.title);
        return back("renamed");
      }
      case "add-item": {
        const parsed = parseForm(form, actionItemSchema);
        if (!parsed.ok) return fail(parsed.errors);
        return await addOnce("action_item", async () => backTo("itemAdded", `#item-${(await addActionItem(actor, ref, parsed.data))}`));
      }
      case "edit-item": {
        const id = needItem();
        const parsed = parseForm(form, actionItemSchema);
        if (!parsed.ok) return fail(parsed.errors);
        await updateActionItem(actor, ref, id, parsed.data);
        return back("itemUpdated", `#item-${id}`);
      }
      case "remove-item":
        await removeActionItem(actor, ref, needItem());
        return back("itemRemoved");
      case "submit":
        await submitActionPlan(actor, ref);
        return back("submitted");
      case "progress": {
        const id = needItem();
        const file = form.get("attachment");
        if (file instanceof File && file.type === TOO_LARGE_TYPE && file.size === 0) return fail({ attachment: "actionPlans.errors.attachmentTooLarge" }, { max: maxMb });
        const parsed = parseForm(form, progressUpdateSchema);
        if (!parsed.ok) return fail(parsed.errors);
        const attachment = file instanceof File ? { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) } : null;
        return await addOnce("action_progress", async () => {
          await addProgressUpdate(actor, ref, id, { ...parsed.data, attachment });
          return backTo("progress", `#item-${id}`);
        });
      }
      case "comment": {
        const parsed = parseForm(form, commentSchema);
        if (!parsed.ok) return fail(parsed.errors);
        return await addOnce("action_plan_comment", async () => {
          await addActionPlanComment(actor, ref, parsed.data.body);
          return backTo("comment", "#comments");
        });
      }
      case "validate":
      case "unvalidate": {
        const id = needItem();
        await setItemValidation(actor, ref, id, intent === "validate");
        return back(intent === "validate" ? "validated" : "unvalidated", `#item-${id}`);
      }
      default:
        return fail({ form: "errors.unknownAction" });
    }
  } catch (error) {
    if (error instanceof FieldError) return fail({ [error.field]: error.messageKey }, error.values);
    throw error;
  }
}

export default function ActionPlanPage() {
  const { event, plan, members, otherMembers, items, comments, can, done, maxMegabytes, formKey } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const n = (v: number) => formatNumber(v, locale);
  const day = (d: string) => formatDay(d, locale);
  const when = (at: string | Date) => formatDateTime(new Date(at), event.timeZone, locale);
  const failed = (intent: string, itemId: number | null = null) =>
    actionData && actionData.intent === intent && (itemId === null || actionData.itemId === itemId) ? actionData : null;
  // a refusal that belongs to no form on the page (or to a file too large to read the form) is shown on top
  const formError = actionData?.errors.form ?? (actionData && actionData.intent === "progress" && actionData.itemId === null ? (Object.values(actionData.errors)[0] ?? null) : null);
  const errorText = (key: string) => t(key as "actionPlans.errors.noItems", actionData?.vars ?? {});
  const base = `/events/${event.id}/action-plans`;

  return (
    <div className="space-y-6">
      <nav aria-label={t("layout.breadcrumbs")} className="text-sm">
        <Link to={base}>{t("actionPlans.backToList")}</Link>
      </nav>
      <div className="space-y-2">
        <div className="flex flex-wrap items-center gap-3">
          <h2 className="text-xl font-semibold">
            <bdi>{plan.title}</bdi>
          </h2>
          <PlanStatusBadge status={plan.status} />
        </div>
        <p className="text-sm text-slate-700">
          {t("actionPlans.plan.members")} <Parts parts={members.map((m) => m.name)} />
          {otherMembers > 0 ? ` ${t("actionPlans.otherMembers", { count: otherMembers, formatted: n(otherMembers) })}` : null}
        </p>
        {plan.submittedAt ? <p className="text-sm text-slate-600">{t("actionPlans.submittedOn", { date: when(plan.submittedAt) })}</p> : null}
        {can.edit ? (
          <details open={Boolean(failed("rename"))}>
            <summary className="cursor-pointer text-sm font-medium text-brand-700">{t("actionPlans.plan.rename")}</summary>
            <Form method="post" className="mt-2 max-w-xl space-y-3 rounded-md border border-slate-200 bg-white p-3">
              <input type="hidden" name="intent" value="rename" />
              <PlainField
                id="plan-title"
                name="title"
                label={t("actionPlans.fields.title")}
                required
                maxLength={ACTION_PLAN_TITLE_MAX}
                defaultValue={failed("rename")?.values.title ?? plan.title}
                error={failed("rename")?.errors.title}
              />
              <Button variant="secondary" disabled={busy}>{t("actionPlans.plan.saveTitle")}</Button>
            </Form>
          </details>
        ) : null}
      </div>

      {done ? <Notice tone="success">{t(`actionPlans.done.${done}`)}</Notice> : null}
      {formError ? <Notice tone="error">{errorText(formError)}</Notice> : null}

      {can.edit && plan.status === "draft" ? (
        <Card>
          <div className="flex flex-wrap items-center justify-between gap-3">
            <p className="max-w-prose text-sm text-slate-700">{t("actionPlans.plan.draftNotice")}</p>
            {can.submit ? (
              <Form method="post">
                <input type="hidden" name="intent" value="submit" />
                <Button disabled={busy}>{t("actionPlans.plan.submit")}</Button>
              </Form>
            ) : null}
          </div>
        </Card>
      ) : null}

      <section aria-labelledby="items-heading" className="space-y-3">
        <h3 id="items-heading" className="text-lg font-semibold">{t("actionPlans.plan.items")}</h3>
        {items.length === 0 ? (
          <EmptyState message={t(can.edit ? "actionPlans.plan.noItemsMember" : "actionPlans.plan.noItems")} />
        ) : (
          <>
            {/* on a phone, one entry per item with its status in view (the table would cut the status off) */}
            <ol className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white text-sm sm:hidden" data-items-summary="phone">
              {items.map((item, i) => (
                <li key={item.id} className="space-y-1 px-3 py-2">
                  <div className="flex gap-2">
                    <span className="tabular-nums text-slate-500">{n(i + 1)}.</span>
                    <a href={`#item-${item.id}`} className="min-w-0 break-words">
                      <bdi>{item.action}</bdi>
                    </a>
                  </div>
                  <div className="flex flex-wrap items-center gap-2 ps-5 text-slate-600">
                    <ItemStatusBadge status={item.status} />
                    {item.overdue ? <OverdueBadge /> : null}
                    <span>{item.targetDate ? day(item.targetDate) : t("actionPlans.noTargetDate")}</span>
                    <span>{item.validatedAt ? t("actionPlans.validated") : t("actionPlans.notValidated")}</span>
                  </div>
                </li>
              ))}
            </ol>
          <div className="hidden overflow-x-auto rounded-lg border border-slate-200 bg-white sm:block">
            <table className="min-w-full divide-y divide-slate-200 text-sm">
              <thead className="sticky top-0 bg-slate-100">
                <tr>
                  <th scope="col" className="px-3 py-2 text-start font-semibold">{t("actionPlans.columns.number")}</th>
                  <th scope="col" className="px-3 py-2 text-start font-semibold">{t("actionPlans.fields.action")}</th>
                  <th scope="col" className="px-3 py-2 text-start font-semibold">{t("actionPlans.fields.targetDate")}</th>
                  <th scope="col" className="px-3 py-2 text-start font-semibold">{t("actionPlans.fields.status")}</th>
                  <th scope="col" className="px-3 py-2 text-start font-semibold">{t("actionPlans.columns.validation")}</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {items.map((item, i) => (
                  <tr key={item.id} className="align-top">
                    <td className="px-3 py-2 tabular-nums">{n(i + 1)}</td>
                    <td className="px-3 py-2">
                      <a href={`#item-${item.id}`}>
                        <bdi>{item.action}</bdi>
                      </a>
                    </td>
                    <td className="px-3 py-2 whitespace-nowrap">
                      {item.targetDate ? day(item.targetDate) : t("actionPlans.noTargetDate")}
                      {item.overdue ? (
                        <div className="mt-1">
                          <OverdueBadge />
                        </div>
                      ) : null}
                    </td>
                    <td className="px-3 py-2">
                      <ItemStatusBadge status={item.status} />
                    </td>
                    <td className="px-3 py-2">{item.validatedAt ? t("actionPlans.validated") : t("actionPlans.notValidated")}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          </>
        )}

        {items.map((item, i) => {
          const editFailed = failed("edit-item", item.id);
          const progressFailed = failed("progress", item.id);
          return (
            <article key={item.id} id={`item-${item.id}`} className="scroll-mt-4 space-y-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
              <header className="flex flex-wrap items-start justify-between gap-2">
                <h4 className="font-semibold">
                  {t("actionPlans.plan.itemNumber", { number: n(i + 1) })} · <bdi>{item.action}</bdi>
                </h4>
                <div className="flex flex-wrap items-center gap-2">
                  <ItemStatusBadge status={item.status} />
                  {item.overdue ? <OverdueBadge /> : null}
                </div>
              </header>
              <ItemDetails item={item} />
              <div className="flex flex-wrap items-center gap-3 text-sm">
                {item.validatedAt ? (
                  <p className="text-green-800">
                    {item.validatedBy
                      ? t("actionPlans.validatedBy", { name: item.validatedBy, date: when(item.validatedAt) })
                      : t("actionPlans.validatedOn", { date: when(item.validatedAt) })}
                  </p>
                ) : null}
                {/* only a done item can be validated; a validation can always be withdrawn */}
                {can.validate && (item.validatedAt || item.status === "done") ? (
                  <Form method="post">
                    <input type="hidden" name="intent" value={item.validatedAt ? "unvalidate" : "validate"} />
                    <input type="hidden" name="itemId" value={item.id} />
                    <Button variant={item.validatedAt ? "secondary" : "primary"} disabled={busy}>
                      {t(item.validatedAt ? "actionPlans.unvalidate" : "actionPlans.validate")}
                    </Button>
                  </Form>
                ) : null}
              </div>

              <div className="space-y-2">
                <h5 className="text-sm font-semibold text-slate-800">{t("actionPlans.progress.title")}</h5>
                {item.updates.length === 0 ? (
                  <p className="text-sm text-slate-600">{t("actionPlans.progress.none")}</p>
                ) : (
                  <ol className="space-y-2 border-s-2 border-slate-200 ps-3">
                    {item.updates.map((u) => (
                      <li key={u.id} className="text-sm">
                        <p className="text-xs text-slate-600">
                          <time dateTime={new Date(u.createdAt).toISOString()}>{when(u.createdAt)}</time>
                          {u.authorName ? (
                            <>
                              {" · "}
                              <bdi>{u.authorName}</bdi>
                            </>
                          ) : null}
                          {u.statusAfter ? ` · ${t("actionPlans.progress.statusSet", { status: t(`actionItemStatus.${u.statusAfter}`) })}` : null}
                        </p>
                        <p className="whitespace-pre-line">
                          <bdi>{u.note}</bdi>
                        </p>
                        {u.attachmentUrl ? (
                          <a href={u.attachmentUrl} className="text-sm font-medium">
                            {t("actionPlans.progress.download")} <bdi>{u.attachmentName}</bdi>
                          </a>
                        ) : null}
                      </li>
                    ))}
                  </ol>
                )}
              </div>

              {can.edit ? (
                <div className="space-y-2">
                  <details open={Boolean(progressFailed)}>
                    <summary className="cursor-pointer text-sm font-medium text-brand-700">{t("actionPlans.progress.add")}</summary>
                    <Form method="post" encType="multipart/form-data" key={formKey} className="mt-2 space-y-3 rounded-md border border-slate-200 bg-slate-50 p-3">
                      <input type="hidden" name="intent" value="progress" />
                      <SubmissionKey value={formKey} />
                      <input type="hidden" name="itemId" value={item.id} />
                      <PlainField
                        id={`progress-${item.id}-note`}
                        name="note"
                        label={t("actionPlans.progress.note")}
                        hint={t("actionPlans.progress.noteHint")}
                        required
                        multiline
                        maxLength={ACTION_UPDATE_NOTE_MAX}
                        defaultValue={progressFailed?.values.note}
                        error={progressFailed?.errors.note}
                      />
                      <div className="space-y-1">
                        <label htmlFor={`progress-${item.id}-status`} className="block text-sm font-medium text-slate-800">
                          {t("actionPlans.progress.statusAfter")}
                        </label>
                        <select
                          id={`progress-${item.id}-status`}
                          name="statusAfter"
                          defaultValue={progressFailed?.values.statusAfter ?? ""}
                          className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-base"
                        >
                          <option value="">{t("actionPlans.progress.keepStatus", { status: t(`actionItemStatus.${item.status}`) })}</option>
                          {ACTION_ITEM_STATUSES.filter((s) => s !== item.status).map((s) => (
                            <option key={s} value={s}>
                              {t(`actionItemStatus.${s}`)}
                            </option>
                          ))}
                        </select>
                      </div>
                      <div className="space-y-1">
                        <label htmlFor={`progress-${item.id}-file`} className="block text-sm font-medium text-slate-800">
                          {t("actionPlans.progress.attachment")}
                        </label>
                        <input
                          id={`progress-${item.id}-file`}
                          name="attachment"
                          type="file"
                          aria-describedby={`progress-${item.id}-file-hint${progressFailed?.errors.attachment ? ` progress-${item.id}-file-error` : ""}`}
                          className="block w-full text-sm"
                        />
                        <p id={`progress-${item.id}-file-hint`} className="text-sm text-slate-600">
                          {t("actionPlans.progress.attachmentHint", { max: n(maxMegabytes) })}
                        </p>
                        {progressFailed?.errors.attachment ? (
                          <p id={`progress-${item.id}-file-error`} className="text-sm font-medium text-red-700">
                            {errorText(progressFailed.errors.attachment)}
                          </p>
                        ) : null}
                      </div>
                      <Button disabled={busy}>{t("actionPlans.progress.submit")}</Button>
                    </Form>
                  </details>
                  <ItemEditForms
                    item={item}
                    refused={editFailed}
                    firstDay={event.startDate}
                    withStatus
                    removeQuestion={t("actionPlans.plan.removeQuestion", { count: item.updates.length, formatted: n(item.updates.length) })}
                    busy={busy}
                  />
                </div>
              ) : null}
            </article>
          );
        })}
      </section>

      {can.edit ? (
        <AddItemForm refused={failed("add-item")} firstDay={event.startDate} withStatus busy={busy} formKey={formKey} />
      ) : null}

      <section id="comments" aria-labelledby="comments-heading" className="space-y-3">
        <h3 id="comments-heading" className="text-lg font-semibold">{t("actionPlans.comments.title")}</h3>
        {comments.length === 0 ? (
          <p className="text-sm text-slate-600">{t("actionPlans.comments.none")}</p>
        ) : (
          <ul className="space-y-3">
            {comments.map((c) => (
              <li key={c.id} className="rounded-md border border-slate-200 bg-white p-3 text-sm">
                <p className="text-xs text-slate-600">
                  <time dateTime={new Date(c.createdAt).toISOString()}>{when(c.createdAt)}</time>
                  {c.authorName ? (
                    <>
                      {" · "}
                      <bdi>{c.authorName}</bdi>
                    </>
                  ) : null}
                </p>
                <p className="whitespace-pre-line">
                  <bdi>{c.body}</bdi>
                </p>
              </li>
            ))}
          </ul>
        )}
        {can.comment ? (
          <Form method="post" key={formKey} className="max-w-2xl space-y-3">
            <input type="hidden" name="intent" value="comment" />
            <SubmissionKey value={formKey} />
            <PlainField
              id="comment-body"
              name="body"
              label={t("actionPlans.comments.body")}
              hint={t("actionPlans.comments.hint")}
              required
              multiline
              maxLength={ACTION_COMMENT_MAX}
              defaultValue={failed("comment")?.values.body}
              error={failed("comment")?.errors.body}
            />
            <Button disabled={busy}>{t("actionPlans.comments.submit")}</Button>
          </Form>
        ) : null}
      </section>
    </div>
  );
}

