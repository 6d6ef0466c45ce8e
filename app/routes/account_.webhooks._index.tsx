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
import { formValuesAll } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { createWebhook, InvalidWebhook, listWebhooks, privateAddressesAllowed, setPrivateAddressesAllowed, WEBHOOK_ROLES } from "~/models/webhooks.server";

/**
 * /account/webhooks: an admin's or coordinator's webhook subscriptions (an admin sees everyone's
 * and decides whether private addresses are allowed). A new subscription's signing secret is shown
 * once, in the answer to the form that created it.
 */
export const handle = { i18n: ["account", "form", "webhooks"] };

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "webhooks.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request, WEBHOOK_ROLES);
  const subscriptions = await listWebhooks(actor);
  return data({
    isAdmin: actor.user.role === "admin",
    allowPrivate: await privateAddressesAllowed(),
    subscriptions: subscriptions.map((s) => ({ id: s.id, name: s.name, url: s.url, eventTypes: s.eventTypes, state: s.state, own: s.own, ownerName: s.ownerName })),
  });
}

/** A form's list of values (checkboxes): always an array of strings. */
function listOf(value: string | string[] | undefined) {
  return value === undefined || value === "" ? [] : Array.isArray(value) ? value : [value];
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireActor(request, WEBHOOK_ROLES);
  const form = await readFormData(request);
  const intent = form.get("intent");
  if (intent === "private-addresses") {
    if (actor.user.role !== "admin") throw new Response("Forbidden", { status: 403 });
    const allow = form.get("allow");
    if (allow !== "1" && allow !== "0") throw new Response("Bad request", { status: 400 });
    await setPrivateAddressesAllowed(actor, allow === "1");
    return await redirectWithFlash("/account/webhooks", "flash.saved");
  }
  if (intent !== "create") throw new Response("Bad request", { status: 400 });
  const values = formValuesAll(form);
  const text = (key: string) => {
    const v = form.get(key);
    return typeof v === "string" ? v : "";
  };
  try {
    const created = await createWebhook(actor, { name: text("name"), url: text("url"), eventTypes: form.getAll("eventTypes").filter((v): v is string => typeof v === "string") });
    return data({ ok: true as const, created: { id: created.id, secret: created.secret }, errors: null, values: null });
  } catch (error) {
    if (error instanceof InvalidWebhook) {
      return data({ ok: false as const, created: null, errors: error.errors, values: { name: listOf(values.name)[0] ?? "", url: listOf(values.url)[0] ?? "", eventTypes: listOf(values.eventTypes) } }, { status: 400 });
    }
    throw error;
  }
}

export default function AccountWebhooks() {
  const { subscriptions, isAdmin, allowPrivate } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation();
  const busy = useNavigation().state !== "idle";
  const errors = result && !result.ok ? result.errors : null;
  const values = result && !result.ok ? result.values : { eventTypes: [] as string[] };
  return (
    <div className="space-y-6">
      <PageHeader title={t("webhooks.title")} crumbs={[{ label: t("account.title"), to: "/account" }, { label: t("webhooks.title") }]} />
      <p className="max-w-prose text-sm text-slate-700">{t("webhooks.intro")}</p>
      <p className="text-sm">
        <Link to="/api/docs">{t("webhooks.docs")}</Link>
      </p>
      {result?.ok ? (
        <Notice tone="success">
          <p className="font-semibold">{t("webhooks.secret.created")}</p>
          <p className="mt-2 break-all rounded bg-white p-2 font-mono text-sm" dir="ltr" data-testid="webhook-secret">
            {result.created.secret}
          </p>
          <p className="mt-2 text-sm">{t("webhooks.secret.shownOnce")}</p>
          <p className="mt-2 text-sm">
            <Link to={`/account/webhooks/${result.created.id}`}>{t("webhooks.open")}</Link>
          </p>
        </Notice>
      ) : null}
      {isAdmin ? (
        <Card title={t("webhooks.private.title")}>
          <p className="text-sm">{t(allowPrivate ? "webhooks.private.allowed" : "webhooks.private.refused")}</p>
          <p className="mt-2 max-w-prose text-sm text-slate-600">{t("webhooks.private.hint")}</p>
          <Form method="post" className="mt-3">
            <input type="hidden" name="intent" value="private-addresses" />
            <input type="hidden" name="allow" value={allowPrivate ? "0" : "1"} />
            <Button variant="secondary" disabled={busy}>
              {t(allowPrivate ? "webhooks.private.refuse" : "webhooks.private.allow")}
            </Button>
          </Form>
        </Card>
      ) : null}
      <Card title={t("webhooks.newTitle")}>
        {/* a new key each time the form comes back empty, so that a created subscription's fields do not stay */}
        <Form method="post" className="space-y-4" noValidate key={result?.ok ? `created-${result.created.id}` : "form"}>
          <input type="hidden" name="intent" value="create" />
          <WebhookFields values={values ?? {}} errors={errors} />
          <Button disabled={busy}>{t("webhooks.create")}</Button>
        </Form>
      </Card>
      <Card title={t(isAdmin ? "webhooks.listTitleAll" : "webhooks.listTitle")}>
        {subscriptions.length === 0 ? (
          <p className="text-sm text-slate-600">{t("webhooks.none")}</p>
        ) : (
          <ul className="divide-y divide-slate-100">
            {subscriptions.map((s) => (
              <li key={s.id} className="space-y-1 py-3 text-sm">
                <p className="flex flex-wrap items-center gap-2">
                  <span className="font-semibold">{s.name}</span>
                  <Badge tone={webhookStateTone(s.state)}>{t(`webhooks.state.${s.state}`)}</Badge>
                </p>
                <p className="break-all font-mono text-xs text-slate-700" dir="ltr">
                  {s.url}
                </p>
                <p className="text-slate-600">
                  {t("webhooks.eventCount", { count: s.eventTypes.length })}
                  {isAdmin && !s.own ? <> · {t("webhooks.owner", { name: s.ownerName })}</> : null}
                </p>
                <p>
                  <Link to={`/account/webhooks/${s.id}`} aria-label={t("webhooks.openNamed", { name: s.name })}>
                    {t("webhooks.open")}
                  </Link>
                </p>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}
