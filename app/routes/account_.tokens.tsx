import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "~/lib/translation";
import { requireActor } from "~/auth/session.server";
import { Button } from "~/components/ui/button";
import { ErrorSummary, SelectField, TextField } from "~/components/ui/field";
import { Card, Notice, PageHeader } from "~/components/ui/page";
import { redirectWithFlash } from "~/flash.server";
import { readFormData } from "~/lib/form-data.server";
import { formatDateTime } from "~/lib/format";
import { formValues, type FieldErrors } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { idNumber } from "~/lib/params";
import { TOKEN_LIFETIMES, TOKEN_NAME_MAX } from "~/lib/api-tokens";
import { createApiToken, listOwnApiTokens, revokeApiToken, type ApiTokenAccess } from "~/models/api-tokens.server";
import { FieldError } from "~/models/field-error.server";

/**
 * /account/tokens: the user's personal access tokens for the API. A new token is shown once, in
 * the answer to the form that created it (only its hash is kept); tokens can be revoked at once.
 */
export const handle = { i18n: ["apiTokens", "form"] };

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "apiTokens.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const tokens = await listOwnApiTokens(actor.user);
  return data({ tokens: tokens.map((t) => ({ ...t, createdAt: t.createdAt.toISOString(), expiresAt: t.expiresAt.toISOString(), lastUsedAt: t.lastUsedAt?.toISOString() ?? null, revokedAt: t.revokedAt?.toISOString() ?? null })) });
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const form = await readFormData(request);
  if (form.get("intent") === "revoke") {
    const id = idNumber.safeParse(form.get("tokenId"));
    if (!id.success || !(await revokeApiToken(actor, id.data))) {
      throw new Response("Not found", { status: 404 });
    }
    return await redirectWithFlash("/account/tokens", "flash.saved");
  }
  if (form.get("intent") !== "create") throw new Response("Bad request", { status: 400 });
  const values = formValues(form);
  try {
    const created = await createApiToken(actor, {
      name: String(form.get("name") ?? ""),
      lifetimeDays: Number(form.get("lifetimeDays")),
      access: String(form.get("access") ?? "") as ApiTokenAccess,
    });
    return data({ ok: true as const, secret: created.secret, errors: null, values: null });
  } catch (error) {
    if (error instanceof FieldError) {
      return data({ ok: false as const, secret: null, errors: { [error.field]: error.messageKey } as FieldErrors, values }, { status: 400 });
    }
    throw error;
  }
}

export default function AccountTokens() {
  const { tokens } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const busy = useNavigation().state !== "idle";
  const errors = result && !result.ok ? result.errors : null;
  const values = result && !result.ok ? result.values : null;
  const when = (iso: string | null) => (iso ? formatDateTime(new Date(iso), "UTC", locale) : t("apiTokens.never"));
  return (
    <div className="space-y-6">
      <PageHeader title={t("apiTokens.title")} />
      <p className="max-w-prose text-sm text-slate-700">{t("apiTokens.intro")}</p>
      <p className="text-sm">
        <Link to="/api/docs">{t("apiTokens.docs")}</Link> · <Link to="/account">{t("apiTokens.back")}</Link>
      </p>
      {result?.ok ? (
        <Notice>
          <p className="font-semibold">{t("apiTokens.created")}</p>
          <p className="mt-2 break-all rounded bg-white p-2 font-mono text-sm" dir="ltr" data-testid="new-token">
            {result.secret}
          </p>
          <p className="mt-2 text-sm">{t("apiTokens.shownOnce")}</p>
        </Notice>
      ) : null}
      <Card title={t("apiTokens.newTitle")}>
        <Form method="post" className="space-y-4" noValidate>
          <input type="hidden" name="intent" value="create" />
          <ErrorSummary errors={errors ?? undefined} labels={{ name: t("apiTokens.fields.name"), access: t("apiTokens.fields.access"), lifetimeDays: t("apiTokens.fields.lifetime") }} />
          <TextField label={t("apiTokens.fields.name")} name="name" required maxLength={TOKEN_NAME_MAX} defaultValue={values?.name ?? ""} error={errors?.name} hint={t("apiTokens.fields.nameHint")} />
          <SelectField
            label={t("apiTokens.fields.access")}
            name="access"
            defaultValue={values?.access ?? "read"}
            error={errors?.access}
            options={[
              { value: "read", label: t("apiTokens.access.read") },
              { value: "write", label: t("apiTokens.access.write") },
            ]}
          />
          <SelectField
            label={t("apiTokens.fields.lifetime")}
            name="lifetimeDays"
            defaultValue={values?.lifetimeDays ?? "90"}
            error={errors?.lifetimeDays}
            options={TOKEN_LIFETIMES.map((d) => ({ value: String(d), label: t("apiTokens.days", { count: d }) }))}
          />
          <Button disabled={busy}>{t("apiTokens.create")}</Button>
        </Form>
      </Card>
      <Card title={t("apiTokens.listTitle")}>
        {tokens.length === 0 ? (
          <p className="text-sm text-slate-600">{t("apiTokens.none")}</p>
        ) : (
          <ul className="divide-y divide-slate-100">
            {tokens.map((token) => (
              <li key={token.id} className="flex flex-wrap items-start justify-between gap-3 py-3">
                <div className="min-w-0 space-y-1 text-sm">
                  <p className="font-semibold">
                    {token.name} <span className="font-mono text-xs text-slate-600" dir="ltr">{token.prefix}…</span>
                  </p>
                  <p className="text-slate-600">
                    {t(`apiTokens.access.${token.access}`)} · {t(`apiTokens.state.${token.state}`)}
                  </p>
                  <p className="text-slate-600" suppressHydrationWarning>
                    {t("apiTokens.dates", { created: when(token.createdAt), expires: when(token.expiresAt), used: when(token.lastUsedAt) })}
                  </p>
                </div>
                {token.state === "active" ? (
                  <Form method="post">
                    <input type="hidden" name="intent" value="revoke" />
                    <input type="hidden" name="tokenId" value={token.id} />
                    <Button variant="secondary" disabled={busy} aria-label={t("apiTokens.revokeNamed", { name: token.name })}>
                      {t("apiTokens.revoke")}
                    </Button>
                  </Form>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}
