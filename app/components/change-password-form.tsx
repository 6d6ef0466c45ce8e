import { Form } from "@remix-run/react";
import { useTranslation } from "~/lib/translation";
import { Button } from "~/components/ui/button";
import { NewPasswordFields } from "~/components/ui/new-password-fields";
import { ErrorSummary, TextField } from "~/components/ui/field";
import type { FieldErrors } from "~/lib/form-messages";

/**
 * Changing one's own password (/account, /account/password): the current password, and a code of
 * the second factor where there is one, then the new password twice. Secrets never come back filled in.
 */
export function ChangePasswordForm({ email, secondFactor, errors, busy }: { email: string; secondFactor: boolean; errors?: FieldErrors; busy: boolean }) {
  const { t } = useTranslation();
  return (
    <Form method="post" className="space-y-4" noValidate>
      <input type="hidden" name="intent" value="change-password" />
      <ErrorSummary
        errors={errors}
        labels={{
          currentPassword: t("account.password.current"),
          code: t("twoFactor.codeLabel"),
          newPassword: t("fields.newPassword"),
          confirmPassword: t("fields.confirmPassword"),
        }}
      />
      {/* lets password managers store the new password against the right account */}
      <input type="text" name="username" autoComplete="username" value={email} readOnly hidden />
      <TextField
        name="currentPassword"
        type="password"
        label={t("account.password.current")}
        hint={t("account.password.currentHint")}
        autoComplete="current-password"
        required
        error={errors?.currentPassword}
      />
      {secondFactor ? (
        <TextField
          name="code"
          label={t("twoFactor.codeLabel")}
          hint={t("twoFactor.codeHint")}
          autoComplete="one-time-code"
          autoCapitalize="off"
          spellCheck={false}
          dir="ltr"
          required
          error={errors?.code}
        />
      ) : null}
      <NewPasswordFields name="newPassword" label={t("fields.newPassword")} errors={errors} />
      <p className="text-sm text-slate-600">{t("account.password.note")}</p>
      <Button disabled={busy}>{t("account.password.submit")}</Button>
    </Form>
  );
}
