import { OrganisationSelect, type OrganisationOption } from "./organisation-select";
import { useTranslation } from "~/lib/translation";
import { SelectField, TextField } from "./ui/field";
import type { FieldErrors } from "~/lib/form-messages";
import { countryName } from "~/lib/format";
import { ROLE_CATEGORIES, SEXES } from "~/lib/domain";

/** Field names as the form labels them (error summary, merge preview). */
export function useFieldLabels(): Record<string, string> {
  const { t } = useTranslation();
  return {
    givenName: t("people.fields.givenName"),
    familyName: t("people.fields.familyName"),
    email: t("people.fields.email"),
    phone: t("people.fields.phone"),
    sex: t("people.fields.sex"),
    organisationId: t("people.fields.organisationId"),
    position: t("people.fields.position"),
    roleCategory: t("people.fields.roleCategory"),
    nationality: t("people.fields.nationality"),
    dietaryNeeds: t("people.fields.dietaryNeeds"),
    accessibilityNeeds: t("people.fields.accessibilityNeeds"),
  };
}

/** A person's record in the registry: the fields of /people/new and of a person's page. */
export function PersonRecordFields({
  values,
  errors,
  organisations,
  countries,
}: {
  values: Record<string, string>;
  errors?: FieldErrors;
  /** every organisation (`choices`), or null and the person's current one when there are too many to list */
  organisations: { choices: OrganisationOption[] | null; current: OrganisationOption | null };
  countries: string[];
}) {
  const { t, i18n } = useTranslation();
  const collator = new Intl.Collator(i18n.language);
  const countryOptions = countries
    .map((code) => ({ value: code, label: countryName(code, i18n.language) }))
    .sort((a, b) => collator.compare(a.label, b.label));
  return (
    <>
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField name="givenName" label={t("people.fields.givenName")} required maxLength={100} autoComplete="off" defaultValue={values.givenName ?? ""} error={errors?.givenName} />
        <TextField name="familyName" label={t("people.fields.familyName")} required maxLength={100} autoComplete="off" defaultValue={values.familyName ?? ""} error={errors?.familyName} />
      </div>
      <TextField
        name="email"
        type="email"
        label={t("people.fields.email")}
        hint={t("people.fields.emailHint")}
        maxLength={254}
        autoComplete="off"
        dir="ltr"
        defaultValue={values.email ?? ""}
        error={errors?.email}
      />
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField name="phone" type="tel" label={t("people.fields.phone")} maxLength={50} autoComplete="off" dir="ltr" defaultValue={values.phone ?? ""} error={errors?.phone} />
        <SelectField
          name="sex"
          label={t("people.fields.sex")}
          placeholder={t("people.fields.sexNone")}
          defaultValue={values.sex ?? ""}
          error={errors?.sex}
          options={SEXES.map((s) => ({ value: s, label: t(`sex.${s}`) }))}
        />
      </div>
      <OrganisationSelect
        name="organisationId"
        label={t("people.fields.organisationId")}
        hint={t("people.fields.organisationHint")}
        placeholder={t("people.fields.organisationNone")}
        defaultValue={values.organisationId ?? ""}
        error={errors?.organisationId}
        choices={organisations.choices}
        current={organisations.current}
        scope="all"
        show="acronym"
      />
      <TextField
        name="position"
        label={t("people.fields.position")}
        hint={t("people.fields.positionHint")}
        maxLength={200}
        defaultValue={values.position ?? ""}
        error={errors?.position}
      />
      <div className="grid gap-4 sm:grid-cols-2">
        <SelectField
          name="roleCategory"
          label={t("people.fields.roleCategory")}
          placeholder={t("people.fields.roleCategoryNone")}
          defaultValue={values.roleCategory ?? ""}
          error={errors?.roleCategory}
          options={ROLE_CATEGORIES.map((c) => ({ value: c, label: t(`roleCategory.${c}`) }))}
        />
        <SelectField
          name="nationality"
          label={t("people.fields.nationality")}
          placeholder={t("people.fields.nationalityNone")}
          defaultValue={values.nationality ?? ""}
          error={errors?.nationality}
          options={countryOptions}
        />
      </div>
      <TextField
        name="dietaryNeeds"
        label={t("people.fields.dietaryNeeds")}
        hint={t("people.fields.needsHint")}
        maxLength={500}
        defaultValue={values.dietaryNeeds ?? ""}
        error={errors?.dietaryNeeds}
      />
      <TextField
        name="accessibilityNeeds"
        label={t("people.fields.accessibilityNeeds")}
        hint={t("people.fields.needsHint")}
        maxLength={500}
        defaultValue={values.accessibilityNeeds ?? ""}
        error={errors?.accessibilityNeeds}
      />
    </>
  );
}
