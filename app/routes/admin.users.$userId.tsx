import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/lib/translation";
import { requireActor } from "~/auth/session.server";
import { UserFormFields } from "~/components/user-form-fields";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { ErrorSummary } from "~/components/ui/field";
import { Card, Notice, PageHeader } from "~/components/ui/page";
import { config } from "~/config.server";
import { redirectWithFlash } from "~/flash.server";
import { formValues, parseForm } from "~/lib/forms";
import { formatDateTime } from "~/lib/format";
import { updateUserSchema } from "~/lib/schemas/accounts";
import { pageTitle } from "~/lib/meta";
import {
  AccountError,
  endUserSessions,
  getUserForAdmin,
  organisationsForLinking,
  resendInvitation,
  setUserDisabled,
  updateUser,
} from "~/models/accounts.server";
import { resetSecondFactor, secondFactorForAdmin } from "~/models/second-factor.server";
import { readFormData } from "~/lib/form-data.server";

/** The translation namespaces this page uses besides the common ones (root.tsx) and its parents'. */
export const handle = { i18n: ["admin", "errors", "fields", "form", "organisationKind", "organisationSelect"] };

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "admin.users.title");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request, ["admin"]);
  const user = await getUserForAdmin(actor, params.userId ?? "");
  return {
    user,
    organisations: await organisationsForLinking(user.organisationId),
    isSelf: user.id === actor.user.id,
    secondFactor: await secondFactorForAdmin(actor, user.id),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request, ["admin"]);
  const userId = params.userId ?? "";
  const formData = await readFormData(request);
  const intent = formData.get("intent");
  const here = `/admin/users/${userId}`;
  try {
    switch (intent) {
      case "update": {
        const parsed = parseForm(formData, updateUserSchema);
        if (!parsed.ok) return data(parsed, { status: 400 });
        await updateUser(actor, userId, parsed.data);
        return await redirectWithFlash(here, "flash.userUpdated");
      }
      case "disable":
        await setUserDisabled(actor, userId, true);
        return await redirectWithFlash(here, "flash.userDisabled");
      case "enable":
        await setUserDisabled(actor, userId, false);
        return await redirectWithFlash(here, "flash.userEnabled");
      case "end-sessions":
        await endUserSessions(actor, userId);
        return await redirectWithFlash(here, "flash.userSessionsEnded");
      case "reset-second-factor":
        await resetSecondFactor(actor, userId);
        return await redirectWithFlash(here, "flash.secondFactorReset");
      case "resend-invitation":
        await resendInvitation(actor, userId, config().appUrl);
        return await redirectWithFlash(here, "flash.invitationSent");
      default:
        return data({ ok: false as const, errors: { form: "errors.unknownAction" }, values: {} }, { status: 400 });
    }
  } catch (error) {
    if (error instanceof AccountError) {
      return data({ ok: false as const, errors: { [error.field]: error.messageKey }, values: formValues(formData) }, { status: 400 });
    }
    throw error;
  }
}

export default function AdminUser() {
  const { user, organisations, isSelf, secondFactor } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, i18n } = useTranslation();
  const errors = actionData?.errors;
  const values = actionData?.values && Object.keys(actionData.values).length > 0
    ? actionData.values
    : { name: user.name, role: user.role, organisationId: user.organisationId ? String(user.organisationId) : "" };
  return (
    <div className="max-w-2xl space-y-6">
      <PageHeader title={user.name} crumbs={[{ label: t("admin.users.title"), to: "/admin/users" }, { label: user.name }]}>
        <p className="flex flex-wrap items-center gap-2 text-sm text-slate-700">
          <span dir="ltr">{user.email}</span>
          {user.disabledAt ? <Badge tone="disabled">{t("admin.users.disabled")}</Badge> : <Badge tone="active">{t("admin.users.active")}</Badge>}
          <span>
            · {t("admin.users.lastLogin")}: {user.lastLoginAt ? formatDateTime(new Date(user.lastLoginAt), "UTC", i18n.language) : t("admin.users.never")}
          </span>
          <span>· {t("admin.users.activeSessions", { count: user.activeSessions })}</span>
          <span>
            · {t("admin.users.secondFactor")}:{" "}
            {secondFactor.enrolled ? t("admin.users.secondFactorOn", { count: secondFactor.recoveryCodesLeft }) : t("admin.users.secondFactorOff")}
          </span>
        </p>
      </PageHeader>
      {errors?.form ? <Notice tone="error">{t(errors.form as "errors.unknownAction")}</Notice> : null}
      <Card title={t("admin.users.editTitle")}>
        <Form method="post" className="space-y-4" noValidate>
          <ErrorSummary
            errors={errors && !errors.form ? errors : undefined}
            labels={{ name: t("fields.name"), role: t("fields.role"), organisationId: t("fields.organisation") }}
          />
          <UserFormFields values={values} errors={errors} organisations={organisations} />
          <p className="text-sm text-slate-600">{t("admin.users.roleChangeNote")}</p>
          <Button name="intent" value="update">
            {t("form.save")}
          </Button>
        </Form>
      </Card>
      {!isSelf ? (
        <Card title={t("admin.users.accessTitle")}>
          {user.disabledAt ? (
            <Form method="post" className="space-y-3">
              <p className="text-sm">{t("admin.users.enableHelp")}</p>
              <Button name="intent" value="enable" variant="secondary">
                {t("admin.users.enable")}
              </Button>
            </Form>
          ) : (
            <Form method="post" className="space-y-3">
              <p className="text-sm">{t("admin.users.disableHelp")}</p>
              <Button name="intent" value="disable" variant="danger">
                {t("admin.users.disable")}
              </Button>
            </Form>
          )}
          {user.disabledAt ? null : (
            <Form method="post" className="mt-4 space-y-3 border-t border-slate-200 pt-4">
              <p className="text-sm">{t("admin.users.endSessionsHelp")}</p>
              <Button name="intent" value="end-sessions" variant="secondary">
                {t("admin.users.endSessions")}
              </Button>
            </Form>
          )}
          {secondFactor.enrolled ? (
            <Form method="post" className="mt-4 space-y-3 border-t border-slate-200 pt-4">
              <p className="text-sm">{t("admin.users.resetSecondFactorHelp")}</p>
              <Button name="intent" value="reset-second-factor" variant="danger">
                {t("admin.users.resetSecondFactor")}
              </Button>
            </Form>
          ) : null}
          <Form method="post" className="mt-4 space-y-3 border-t border-slate-200 pt-4">
            <p className="text-sm">{t("admin.users.resendHelp")}</p>
            <Button name="intent" value="resend-invitation" variant="secondary">
              {t("admin.users.resend")}
            </Button>
          </Form>
        </Card>
      ) : null}
    </div>
  );
}
