import { useTranslation } from "react-i18next";
import { SelectField, TextField } from "./ui/field";
import { ROLES } from "~/lib/domain";

/** Name, role and organisation: shared by the invite and edit forms. */
export function UserFormFields({
  values,
  errors,
  organisations,
}: {
  values: Record<string, string | null | undefined>;
  errors?: Record<string, string>;
  organisations: { id: number; name: string; kind: string }[];
}) {
  const { t } = useTranslation();
  return (
    <>
      <TextField name="name" label={t("fields.name")} required defaultValue={values.name ?? ""} error={errors?.name} maxLength={120} />
      <SelectField
        name="role"
        label={t("fields.role")}
        required
        defaultValue={values.role ?? "participant"}
        error={errors?.role}
        options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
        hint={t("admin.users.roleHint")}
      />
      <SelectField
        name="organisationId"
        label={t("fields.organisation")}
        defaultValue={values.organisationId ?? ""}
        error={errors?.organisationId}
        placeholder={t("admin.users.noOrganisation")}
        options={organisations.map((o) => ({ value: String(o.id), label: `${o.name} (${t(`organisationKind.${o.kind}` as "organisationKind.donor")})` }))}
        hint={t("admin.users.organisationHint")}
      />
    </>
  );
}
