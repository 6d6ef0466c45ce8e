import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/lib/translation";
import { requireActor } from "~/auth/session.server";
import { UserFormFields } from "~/components/user-form-fields";
import { Button } from "~/components/ui/button";
import { ErrorSummary, SelectField, TextField } from "~/components/ui/field";
import { LANGUAGE_NAMES, supportedLocales } from "~/i18n";
import { Card, PageHeader } from "~/components/ui/page";
import { config } from "~/config.server";
import { redirectWithFlash } from "~/flash.server";
import { formValues, parseForm } from "~/lib/forms";
import { inviteUserSchema } from "~/lib/schemas/accounts";
import { AccountError, inviteUser, organisationsForLinking } from "~/models/accounts.server";
import { pageTitle } from "~/lib/meta";
import { SubmissionKey } from "~/components/ui/submission-key";
import { createOnce, newSubmissionKey, submissionOf } from "~/models/submission-keys.server";
import { readFormData } from "~/lib/form-data.server";

/** The translation namespaces this page uses besides the common ones (root.tsx) and its parents'. */
export const handle = { i18n: ["admin", "errors", "fields", "form", "organisationKind", "organisationSelect"] };

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "admin.users.inviteTitle");

export async function loader({ request }: LoaderFunctionArgs) {
  await requireActor(request, ["admin"]);
  return { organisations: await organisationsForLinking(), formKey: newSubmissionKey() };
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireActor(request, ["admin"]);
  const formData = await readFormData(request);
  const parsed = parseForm(formData, inviteUserSchema);
  if (!parsed.ok) return data(parsed, { status: 400 });
  try {
    await createOnce(submissionOf(request, formData, "invitation", actor.user.id), async () => {
      await inviteUser(actor, parsed.data, config().appUrl);
      return "/admin/users";
    });
  } catch (error) {
    if (error instanceof AccountError) {
      return data({ ok: false as const, errors: { [error.field]: error.messageKey }, values: formValues(formData) }, { status: 400 });
    }
    throw error;
  }
  return await redirectWithFlash("/admin/users", "flash.invitationSent");
}

export default function InviteUser() {
  const { organisations, formKey } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, i18n } = useTranslation();
  const errors = actionData?.errors;
  const values = actionData?.values ?? {};
  return (
    <div className="max-w-2xl">
      <PageHeader
        title={t("admin.users.inviteTitle")}
        crumbs={[{ label: t("admin.users.title"), to: "/admin/users" }, { label: t("admin.users.inviteTitle") }]}
      />
      <Card>
        <p className="mb-4 text-sm text-slate-600">{t("admin.users.inviteIntro")}</p>
        <Form method="post" className="space-y-4" noValidate>
          <SubmissionKey value={formKey} />
          <ErrorSummary
            errors={errors}
            labels={{
              name: t("fields.name"),
              email: t("fields.email"),
              role: t("fields.role"),
              organisationId: t("fields.organisation"),
              locale: t("layout.language"),
            }}
          />
          <TextField name="email" type="email" label={t("fields.email")} required defaultValue={values.email} error={errors?.email} />
          <UserFormFields values={values} errors={errors} organisations={organisations} />
          <SelectField
            name="locale"
            label={t("layout.language")}
            required
            defaultValue={values.locale ?? i18n.language}
            error={errors?.locale}
            options={supportedLocales.map((l) => ({ value: l, label: LANGUAGE_NAMES[l] }))}
            hint={t("admin.users.languageHint")}
          />
          <Button>{t("admin.users.sendInvitation")}</Button>
        </Form>
      </Card>
    </div>
  );
}
