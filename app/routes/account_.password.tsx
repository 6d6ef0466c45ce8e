import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "~/lib/translation";
import { changeOwnPassword } from "~/auth/change-password.server";
import { requireSessionAllowing } from "~/auth/session.server";
import { ChangePasswordForm } from "~/components/change-password-form";
import { Card, Notice, PageHeader } from "~/components/ui/page";
import { readFormData } from "~/lib/form-data.server";
import { type FieldErrors } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { hasSecondFactor } from "~/models/second-factor.server";

/** The translation namespaces this page uses besides the common ones (root.tsx) and its parents'. */
export const handle = { i18n: ["account", "errors", "fields", "form", "twoFactor"] };

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "account.forcedPassword.title");

/**
 * Where a session whose password the policy now refuses is sent from every page, until the
 * password is changed (any signed-in user may use it to change theirs).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const { user, session } = await requireSessionAllowing(request, "password_change");
  return { email: user.email, secondFactor: await hasSecondFactor(user.id), mustChange: session.restriction === "password_change" };
}

export async function action({ request }: ActionFunctionArgs) {
  const { actor } = await requireSessionAllowing(request, "password_change");
  const formData = await readFormData(request);
  if (formData.get("intent") !== "change-password") {
    return data({ ok: false as const, errors: { form: "errors.unknownAction" } as FieldErrors, values: {} }, { status: 400 });
  }
  return await changeOwnPassword(request, actor, formData, "/");
}

export default function ForcedPasswordChange() {
  const { email, secondFactor, mustChange } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation();
  const errors = actionData && !actionData.ok ? actionData.errors : undefined;
  return (
    <div className="max-w-2xl space-y-6">
      <PageHeader title={t("account.forcedPassword.title")} crumbs={[{ label: t("account.title"), to: "/account" }, { label: t("account.forcedPassword.title") }]} />
      {mustChange ? <Notice tone="info">{t("account.forcedPassword.intro")}</Notice> : null}
      {errors?.form ? <Notice tone="error">{t(errors.form as "errors.unknownAction")}</Notice> : null}
      <Card>
        <ChangePasswordForm email={email} secondFactor={secondFactor} errors={errors && !errors.form ? errors : undefined} busy={navigation.state === "submitting"} />
      </Card>
    </div>
  );
}
