import type { ActionFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { useTranslation } from "~/lib/translation";
import { limitPostsByIp, mayEmailResetLink } from "~/auth/rate-limit.server";
import { clientIp } from "~/auth/session.server";
import { Button } from "~/components/ui/button";
import { ErrorSummary, TextField } from "~/components/ui/field";
import { Notice } from "~/components/ui/page";
import { config } from "~/config.server";
import { parseForm } from "~/lib/forms";
import { forgotPasswordSchema } from "~/lib/schemas/accounts";
import { requestPasswordReset } from "~/models/accounts.server";
import { pageTitle } from "~/lib/meta";
import { readFormData } from "~/lib/form-data.server";

/** The translation namespaces this page uses besides the common ones (root.tsx) and its parents'. */
export const handle = { i18n: ["errors", "fields", "forgot", "form"] };

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "forgot.title");

export async function loader() {
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  await limitPostsByIp(request, "forgot-password");
  const parsed = parseForm(await readFormData(request), forgotPasswordSchema);
  if (!parsed.ok) return data(parsed, { status: 400 });
  // beyond 5 an hour to one address nothing more is sent, and the answer does not change
  if ((await mayEmailResetLink(parsed.data.email))) await requestPasswordReset(parsed.data.email, config().appUrl, clientIp(request));
  // The same answer whether or not the email has an account.
  return data({ ok: true as const, email: parsed.data.email });
}

export default function ForgotPassword() {
  const { t } = useTranslation();
  const actionData = useActionData<typeof action>();
  const failed = actionData && !actionData.ok ? actionData : null;
  return (
    <div className="mx-auto max-w-md">
      <div className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm sm:p-8">
        <h1 className="text-2xl font-bold">{t("forgot.title")}</h1>
        {actionData?.ok ? (
          <div className="mt-4 space-y-4">
            <Notice tone="success">{t("forgot.sent", { email: actionData.email })}</Notice>
            <p className="text-sm">
              <Link to="/login">{t("forgot.backToLogin")}</Link>
            </p>
          </div>
        ) : (
          <>
            <p className="mt-1 text-sm text-slate-600">{t("forgot.intro")}</p>
            <Form method="post" className="mt-6 space-y-4" noValidate>
              <ErrorSummary errors={failed?.errors} labels={{ email: t("fields.email") }} />
              <TextField
                name="email"
                type="email"
                label={t("fields.email")}
                autoComplete="email"
                required
                defaultValue={failed?.values.email}
                error={failed?.errors.email}
              />
              <Button className="w-full">{t("forgot.submit")}</Button>
            </Form>
            <p className="mt-4 text-sm">
              <Link to="/login">{t("forgot.backToLogin")}</Link>
            </p>
          </>
        )}
      </div>
    </div>
  );
}
