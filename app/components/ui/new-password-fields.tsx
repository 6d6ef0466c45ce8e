import { useTranslation } from "~/lib/translation";
import { MIN_PASSWORD_LENGTH } from "~/lib/schemas/accounts";
import { TextField } from "./field";

/**
 * A new password and its confirmation (first admin, password reset and invitation, password
 * change): the rule in the hint, the browser's password manager told to suggest a new one. The
 * forms never send a typed password back, so the fields start empty after an error.
 */
export function NewPasswordFields({
  name,
  label,
  errors,
}: {
  /** the field's name in the form ("password" or "newPassword") */
  name: string;
  label: string;
  errors?: Record<string, string | undefined>;
}) {
  const { t } = useTranslation();
  return (
    <>
      <TextField
        name={name}
        type="password"
        label={label}
        hint={t("fields.passwordHint", { min: MIN_PASSWORD_LENGTH })}
        autoComplete="new-password"
        minLength={MIN_PASSWORD_LENGTH}
        required
        error={errors?.[name]}
      />
      <TextField
        name="confirmPassword"
        type="password"
        label={t("fields.confirmPassword")}
        autoComplete="new-password"
        required
        error={errors?.confirmPassword}
      />
    </>
  );
}
