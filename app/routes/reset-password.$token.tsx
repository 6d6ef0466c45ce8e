import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/lib/translation";
import { clientIp } from "~/auth/session.server";
import { Button } from "~/components/ui/button";
import { NewPasswordFields } from "~/components/ui/new-password-fields";
import { ErrorSummary } from "~/components/ui/field";
import { Notice } from "~/components/ui/page";
import { redirectWithFlash } from "~/flash.server";
import { parseForm, type FieldErrors } from "~/lib/forms";
import { setPasswordSchema } from "~/lib/schemas/accounts";
import { AccountError, consumeTokenAndSetPassword, inspectToken } from "~/models/accounts.server";
import { pageTitle } from "~/lib/meta";
import { readFormData } from "~/lib/form-data.server";

/** The translation namespaces this page uses besides the common ones (root.tsx) and its parents'. */
export const handle = { i18n: ["errors", "fields", "form", "reset"] };

/** The token is a secret: keep it out of the Referer of anything this page loads. */
export const meta: MetaFunction = ({ matches }) => [
  ...pageTitle(matches, "reset.title"),
  { name: "referrer", content: "no-referrer" },
];

export async function loader({ params }: LoaderFunctionArgs) {
  const link = await inspectToken(params.token ?? "");
  return data({ link }, { status: link ? 200 : 410, headers: { "Cache-Control": "no-store" } });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const parsed = parseForm(await readFormData(request), setPasswordSchema);
  if (!parsed.ok) return data({ ...parsed, expired: false }, { status: 400 });
  let userId: string | null;
  try {
    userId = await consumeTokenAndSetPassword(params.token ?? "", parsed.data.password, clientIp(request));
  } catch (error) {
    // a password too easy to guess: the reason beside the field, the link still usable
    if (error instanceof AccountError) return data({ ok: false as const, errors: { [error.field]: error.messageKey } as FieldErrors, values: {}, expired: false }, { status: 400 });
    throw error;
  }
  if (!userId) return data({ ok: false as const, errors: {} as FieldErrors, values: {}, expired: true }, { status: 410 });
  return await redirectWithFlash("/login", "flash.passwordSet");
}

export default function ResetPassword() {
  const { t } = useTranslation();
  const { link } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  if (!link || actionData?.expired) {
    return (
      <div className="mx-auto max-w-md rounded-lg border border-slate-200 bg-white p-6 shadow-sm sm:p-8">
        <h1 className="text-2xl font-bold">{t("reset.invalidTitle")}</h1>
        <p className="mt-3 text-slate-700">{t("reset.invalidBody")}</p>
        <p className="mt-4 text-sm">
          <Link to="/forgot-password">{t("reset.requestNew")}</Link>
        </p>
      </div>
    );
  }
  const errors = actionData && !actionData.ok ? actionData.errors : undefined;
  const invite = link.purpose === "invite";
  return (
    <div className="mx-auto max-w-md rounded-lg border border-slate-200 bg-white p-6 shadow-sm sm:p-8">
      <h1 className="text-2xl font-bold">{invite ? t("reset.inviteTitle") : t("reset.title")}</h1>
      <p className="mt-1 text-sm text-slate-600">{t(invite ? "reset.inviteIntro" : "reset.intro", { name: link.name })}</p>
      <Form method="post" className="mt-6 space-y-4" noValidate>
        {actionData?.expired ? <Notice tone="error">{t("reset.invalidBody")}</Notice> : null}
        <ErrorSummary
          errors={errors}
          labels={{ password: t("fields.newPassword"), confirmPassword: t("fields.confirmPassword") }}
        />
        <NewPasswordFields name="password" label={t("fields.newPassword")} errors={errors} />
        <Button className="w-full">{t("reset.submit")}</Button>
      </Form>
    </div>
  );
}
