import { useTranslation } from "~/lib/translation";
import { ErrorSummary, SelectField, TextField } from "./ui/field";
import { ORGANISATION_KINDS, type OrganisationKind } from "~/lib/domain";
import { countryName } from "~/lib/format";

/** The organisation form's fields: shared by the new-organisation and organisation pages. */
export function OrganisationFormFields({
  values,
  errors,
  defaultKind,
  countries,
}: {
  values: Record<string, string | undefined>;
  errors?: Record<string, string>;
  /** The kind selected when the values have none. */
  defaultKind: OrganisationKind;
  /** Country codes to choose from; listed by name in the reader's language. */
  countries: string[];
}) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const collator = new Intl.Collator(locale);
  const countryOptions = countries
    .map((code) => ({ value: code, label: countryName(code, locale) }))
    .sort((a, b) => collator.compare(a.label, b.label));
  return (
    <>
      <ErrorSummary
        errors={errors}
        labels={{
          name: t("organisations.fields.name"),
          acronym: t("organisations.fields.acronym"),
          kind: t("organisations.fields.kind"),
          country: t("organisations.fields.country"),
        }}
      />
      <TextField
        name="name"
        label={t("organisations.fields.name")}
        hint={t("organisations.fields.nameHint")}
        required
        maxLength={200}
        defaultValue={values.name ?? ""}
        error={errors?.name}
      />
      <TextField
        name="acronym"
        label={t("organisations.fields.acronym")}
        hint={t("organisations.fields.acronymHint")}
        maxLength={40}
        defaultValue={values.acronym ?? ""}
        error={errors?.acronym}
      />
      <SelectField
        name="kind"
        label={t("organisations.fields.kind")}
        required
        defaultValue={values.kind ?? defaultKind}
        error={errors?.kind}
        options={ORGANISATION_KINDS.map((k) => ({ value: k, label: t(`organisationKind.${k}`) }))}
      />
      <SelectField
        name="country"
        label={t("organisations.fields.country")}
        hint={t("organisations.fields.countryHint")}
        placeholder={t("organisations.fields.countryNone")}
        defaultValue={values.country ?? ""}
        error={errors?.country}
        options={countryOptions}
      />
    </>
  );
}
