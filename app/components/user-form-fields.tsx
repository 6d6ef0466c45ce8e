import { useTranslation } from "~/lib/translation";
import { OrganisationSelect, type OrganisationOption } from "./organisation-select";
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
  /** every organisation (`choices`), or null and the account's current one when there are too many to list */
  organisations: { choices: OrganisationOption[] | null; current: OrganisationOption | null };
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
      <OrganisationSelect
        name="organisationId"
        label={t("fields.organisation")}
        defaultValue={values.organisationId ?? ""}
        error={errors?.organisationId}
        placeholder={t("admin.users.noOrganisation")}
        choices={organisations.choices}
        current={organisations.current}
        scope="all"
        show="kind"
        hint={t("admin.users.organisationHint")}
      />
    </>
  );
}
