import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "~/lib/translation";
import { requireActor } from "~/auth/session.server";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { Card, Notice, PageHeader } from "~/components/ui/page";
import { WebhookFields, webhookStateTone } from "~/components/webhook-form";
import { redirectWithFlash } from "~/flash.server";
import { readFormData } from "~/lib/form-data.server";
import { formatDateTime } from "~/lib/format";
import { fieldMessage } from "~/lib/form-messages";
import { formValuesAll } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { idNumber, idParam } from "~/lib/params";
import { DISABLE_AFTER_FAILURES } from "~/lib/webhooks";
import { FieldError } from "~/models/field-error.server";
import {
  deleteWebhook,
  getWebhook,
  InvalidWebhook,
  retryWebhookDelivery,
  rotateWebhookSecret,
  sendWebhookPing,
  updateWebhook,
  WEBHOOK_ROLES,
} from "~/models/webhooks.server";

/**
 * /account/webhooks/:id — one subscription: its settings, its signing secret (a new one shown
 * once), a test ping, its recent deliveries with the receiver's answers (a failed one can be sent
 * again) and deletion. Its owner, or any admin; to anyone else it does not exist (404).
 */
export const handle = { i18n: ["account", "form", "webhooks"] };

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "webhooks.title");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request, WEBHOOK_ROLES);
  const { subscription, deliveries } = await getWebhook(actor, idParam(params.subscriptionId));
  return data({
    subscription: { ...subscription, disabledAt: subscription.disabledAt?.toISOString() ?? null, createdAt: subscription.createdAt.toISOString() },
    deliveries: deliveries.map((d) => ({
      ...d,
      nextAttemptAt: d.nextAttemptAt.toISOString(),
      createdAt: d.createdAt.toISOString(),
      sentAt: d.sentAt?.toISOString() ?? null,
    })),
    disableAfter: DISABLE_AFTER_FAILURES,
  });
}

function listOf(value: string | string[] | undefined) {
  return value === undefined || value === "" ? [] : Array.isArray(value) ? value : [value];
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request, WEBHOOK_ROLES);
  const id = idParam(params.subscriptionId);
  const form = await readFormData(request);
  const intent = form.get("intent");
  const self = `/account/webhooks/${id}`;
  try {
    switch (intent) {
      case "update": {
        const text = (key: string) => {
          const v = form.get(key);
          return typeof v === "string" ? v : "";
        };
        await updateWebhook(actor, id, {
          name: text("name"),
          url: text("url"),
          eventTypes: form.getAll("eventTypes").filter((v): v is string => typeof v === "string"),
          active: form.get("active") === "on",
        });
        return await redirectWithFlash(self, "flash.webhookSaved");
      }
      case "rotate":
        return data({ ok: true as const, secret: await rotateWebhookSecret(actor, id), errors: null, values: null });
      case "ping":
        await sendWebhookPing(actor, id);
        return await redirectWithFlash(self, "flash.webhookPinged");
      case "retry": {
        const deliveryId = idNumber.safeParse(form.get("deliveryId"));
        if (!deliveryId.success) throw new Response("Not found", { status: 404 });
        await retryWebhookDelivery(actor, id, deliveryId.data);
        return await redirectWithFlash(self, "flash.webhookRetried");
      }
      case "delete":
        await deleteWebhook(actor, id);
        return await redirectWithFlash("/account/webhooks", "flash.webhookDeleted");
      default:
        throw new Response("Bad request", { status: 400 });
    }
  } catch (error) {
    if (error instanceof InvalidWebhook) {
      const values = formValuesAll(form);
      return data(
        { ok: false as const, secret: null, errors: error.errors, values: { name: listOf(values.name)[0] ?? "", url: listOf(values.url)[0] ?? "", eventTypes: listOf(values.eventTypes), active: form.get("active") === "on" ? "on" : "" } },
        { status: 400 },
      );
    }
    if (error instanceof FieldError) return data({ ok: false as const, secret: null, errors: { [error.field]: error.messageKey }, values: null }, { status: 400 });
    throw error;
  }
}

export default function WebhookSubscription() {
  const { subscription, deliveries, disableAfter } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const busy = useNavigation().state !== "idle";
  const errors = result && !result.ok ? result.errors : null;
  const when = (iso: string) => formatDateTime(new Date(iso), "UTC", locale);
  const values = result && !result.ok && result.values
    ? result.values
    : { name: subscription.name, url: subscription.url, eventTypes: subscription.eventTypes, active: subscription.state === "active" ? "on" : "" };
  return (
    <div className="space-y-6">
      <PageHeader
        title={subscription.name}
        crumbs={[{ label: t("account.title"), to: "/account" }, { label: t("webhooks.title"), to: "/account/webhooks" }, { label: subscription.name }]}
      >
        <p className="flex flex-wrap items-center gap-2 text-sm">
          <Badge tone={webhookStateTone(subscription.state)}>{t(`webhooks.state.${subscription.state}`)}</Badge>
          {!subscription.own ? <span className="text-slate-600">{t("webhooks.owner", { name: subscription.ownerName })}</span> : null}
        </p>
        <p className="break-all font-mono text-xs text-slate-700" dir="ltr">
          {subscription.url}
        </p>
      </PageHeader>
      {subscription.state === "disabled" ? (
        <Notice tone="error">{t("webhooks.disabledNotice", { failures: Math.max(disableAfter, subscription.consecutiveFailures) })}</Notice>
      ) : null}
      {errors?.form ? <Notice tone="error">{fieldMessage(t, errors.form)}</Notice> : null}
      {result?.ok ? (
        <Notice tone="success">
          <p className="font-semibold">{t("webhooks.secret.rotated")}</p>
          <p className="mt-2 break-all rounded bg-white p-2 font-mono text-sm" dir="ltr" data-testid="webhook-secret">
            {result.secret}
          </p>
          <p className="mt-2 text-sm">{t("webhooks.secret.shownOnce")}</p>
        </Notice>
      ) : null}

      <Card title={t("webhooks.deliveries.title")}>
        <p className="mb-3 text-sm text-slate-600">{t("webhooks.deliveries.intro")}</p>
        <Form method="post" className="mb-4 flex flex-wrap items-center gap-3">
          <input type="hidden" name="intent" value="ping" />
          <Button variant="secondary" disabled={busy}>
            {t("webhooks.ping.send")}
          </Button>
          <span className="text-sm text-slate-600">{t("webhooks.ping.text")}</span>
        </Form>
        {deliveries.length === 0 ? (
          <p className="text-sm text-slate-600">{t("webhooks.deliveries.none")}</p>
        ) : (
          <ul className="divide-y divide-slate-100 border-y border-slate-100">
            {deliveries.map((d) => (
              <li key={d.id} className="space-y-1 py-3 text-sm">
                <p className="flex flex-wrap items-center gap-2">
                  <code className="font-semibold" dir="ltr">
                    {d.eventType}
                  </code>
                  <Badge tone={d.status === "sent" ? "active" : d.status === "failed" ? "disabled" : d.status === "cancelled" ? "draft" : "invited"}>
                    {t(`webhooks.deliveries.status.${d.status}`)}
                  </Badge>
                </p>
                <p className="text-slate-600" suppressHydrationWarning>
                  {t("webhooks.deliveries.created", { at: when(d.createdAt) })} · {t("webhooks.deliveries.attempts", { count: d.attempts })} ·{" "}
                  {d.responseStatus !== null ? t("webhooks.deliveries.response", { status: d.responseStatus }) : t("webhooks.deliveries.noResponse")}
                  {d.status === "pending" && d.attempts > 0 ? <> · {t("webhooks.deliveries.next", { at: when(d.nextAttemptAt) })}</> : null}
                </p>
                {d.lastError ? (
                  <p className="break-words text-slate-700">
                    <bdi dir="ltr">{t("webhooks.deliveries.error", { error: d.lastError })}</bdi>
                  </p>
                ) : null}
                {d.responseBody ? (
                  <details>
                    <summary className="cursor-pointer text-slate-700">{t("webhooks.deliveries.body")}</summary>
                    <pre className="mt-1 max-h-48 overflow-auto whitespace-pre-wrap break-all rounded bg-slate-50 p-2 text-xs" dir="ltr">
                      {d.responseBody}
                    </pre>
                  </details>
                ) : null}
                <p className="break-all font-mono text-xs text-slate-500" dir="ltr">
                  {t("webhooks.deliveries.messageId", { id: d.messageId })}
                </p>
                {d.canRetry ? (
                  <Form method="post">
                    <input type="hidden" name="intent" value="retry" />
                    <input type="hidden" name="deliveryId" value={d.id} />
                    <Button variant="secondary" disabled={busy} aria-label={t("webhooks.deliveries.retryNamed", { type: d.eventType, at: when(d.createdAt) })}>
                      {t("webhooks.deliveries.retry")}
                    </Button>
                  </Form>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </Card>

      <Card title={t("webhooks.edit.title")}>
        <Form method="post" className="space-y-4" noValidate>
          <input type="hidden" name="intent" value="update" />
          <WebhookFields values={values} errors={errors && !errors.form ? errors : null} withActive />
          <Button disabled={busy}>{t("webhooks.edit.save")}</Button>
        </Form>
      </Card>

      <Card title={t("webhooks.secret.title")}>
        <p className="max-w-prose text-sm text-slate-700">{t("webhooks.secret.text")}</p>
        <Form method="post" className="mt-3">
          <input type="hidden" name="intent" value="rotate" />
          <Button variant="secondary" disabled={busy}>
            {t("webhooks.secret.rotate")}
          </Button>
        </Form>
      </Card>

      <Card title={t("webhooks.delete.title")}>
        <details>
          <summary className="cursor-pointer text-sm font-medium text-red-800">{t("webhooks.delete.button")}</summary>
          <p className="mt-2 max-w-prose text-sm text-slate-700">
            {t("webhooks.delete.text", { url: subscription.url })}
          </p>
          <Form method="post" className="mt-3">
            <input type="hidden" name="intent" value="delete" />
            <Button variant="danger" disabled={busy}>
              {t("webhooks.delete.button")}
            </Button>
          </Form>
        </details>
      </Card>
      <p className="text-sm">
        <Link to="/account/webhooks">{t("webhooks.title")}</Link>
      </p>
    </div>
  );
}
