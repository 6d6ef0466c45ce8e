import type { ActionFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData } from "@remix-run/react";
import { useTranslation } from "~/lib/translation";
import { clientIp, createLoginSession, RESTRICTION_PAGES } from "~/auth/session.server";
import { Button } from "~/components/ui/button";
import { NewPasswordFields } from "~/components/ui/new-password-fields";
import { ErrorSummary, TextField } from "~/components/ui/field";
import { formValues, parseForm, type FieldErrors } from "~/lib/forms";
import { setupSchema } from "~/lib/schemas/accounts";
import { AccountError, countUsers, createFirstAdmin } from "~/models/accounts.server";
import { pageTitle } from "~/lib/meta";
import { readFormData } from "~/lib/form-data.server";

/** The translation namespaces this page uses besides the common ones (root.tsx) and its parents'. */
export const handle = { i18n: ["errors", "fields", "form", "setup"] };

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "setup.title");

/** First run: create the first administrator. Gone for good once any account exists. */
export async function loader() {
  if ((await countUsers()) > 0) throw new Response("Setup is already complete.", { status: 404 });
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  if ((await countUsers()) > 0) throw new Response("Setup is already complete.", { status: 404 });
  const formData = await readFormData(request);
  const parsed = parseForm(formData, setupSchema);
  if (!parsed.ok) return data(parsed, { status: 400 });
  let admin: Awaited<ReturnType<typeof createFirstAdmin>>;
  try {
    admin = await createFirstAdmin(parsed.data, clientIp(request));
  } catch (error) {
    // a password too easy to guess: the reason beside the field, what was typed kept
    if (error instanceof AccountError) return data({ ok: false as const, errors: { [error.field]: error.messageKey } as FieldErrors, values: formValues(formData) }, { status: 400 });
    throw error;
  }
  // Two people racing through setup: the second finds an account already there.
  if (!admin) throw new Response("Setup is already complete.", { status: 404 });
  // the first administrator, like every other, enrols a second factor before anything else
  return redirect(RESTRICTION_PAGES.second_factor_enrolment, {
    headers: { "Set-Cookie": await createLoginSession(admin, request, "second_factor_enrolment") },
  });
}

export default function Setup() {
  const { t } = useTranslation();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.errors;
  const values = actionData?.values ?? {};
  const labels = {
    name: t("fields.name"),
    email: t("fields.email"),
    password: t("fields.password"),
    confirmPassword: t("fields.confirmPassword"),
  };
  return (
    <div className="mx-auto max-w-lg rounded-lg border border-slate-200 bg-white p-6 shadow-sm sm:p-8">
      <h1 className="text-2xl font-bold">{t("setup.title")}</h1>
      <p className="mt-1 text-sm text-slate-600">{t("setup.intro")}</p>
      <Form method="post" className="mt-6 space-y-4" noValidate>
        <ErrorSummary errors={errors} labels={labels} />
        <TextField name="name" label={labels.name} autoComplete="name" required defaultValue={values.name} error={errors?.name} />
        <TextField
          name="email"
          type="email"
          label={labels.email}
          autoComplete="email"
          required
          defaultValue={values.email}
          error={errors?.email}
        />
        <NewPasswordFields name="password" label={labels.password} errors={errors} />
        <Button className="w-full">{t("setup.submit")}</Button>
      </Form>
    </div>
  );
}
