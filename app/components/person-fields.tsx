import { useTranslation } from "~/lib/translation";
import { OrganisationSelect, type OrganisationOption } from "./organisation-select";
import { SelectField, TextField } from "./ui/field";
import { ROLE_CATEGORIES, SEXES } from "~/lib/domain";
import { countryName } from "~/lib/format";

/** A person's details, as coordinators need them (registration, roster, nominations). */
export function PersonFields({
  values,
  errors,
  countries: countryCodes,
  organisations,
  emailRequired = false,
  emailReadOnly,
  currentOrganisation,
  withOrganisation = true,
}: {
  values: Record<string, string | undefined>;
  errors?: Record<string, string>;
  /** ISO country codes to choose from (the loader's `countryCodes()`: the zone data stays on the server) */
  countries: string[];
  /** every organisation but donors, or null when there are too many to list (the field then searches) */
  organisations: OrganisationOption[] | null;
  emailRequired?: boolean;
  /** the email is not the user's to change here (their account's): the hint says why */
  emailReadOnly?: string;
  /** the organisation chosen so far, named while the field searches */
  currentOrganisation?: OrganisationOption | null;
  withOrganisation?: boolean;
}) {
  const { t, i18n } = useTranslation();
  const countries = countryCodes
    .map((c) => ({ value: c, label: countryName(c, i18n.language) }))
    .sort((a, b) => a.label.localeCompare(b.label, i18n.language));
  return (
    <div className="grid gap-4 md:grid-cols-2">
      <TextField name="givenName" label={t("person.givenName")} required autoComplete="given-name" maxLength={100} defaultValue={values.givenName} error={errors?.givenName} />
      <TextField name="familyName" label={t("person.familyName")} required autoComplete="family-name" maxLength={100} defaultValue={values.familyName} error={errors?.familyName} />
      <TextField
        name="email"
        type="email"
        label={t("person.email")}
        required={emailRequired}
        autoComplete="email"
        defaultValue={values.email}
        error={errors?.email}
        readOnly={emailReadOnly !== undefined}
        hint={emailReadOnly}
      />
      <TextField name="phone" type="tel" label={t("person.phone")} autoComplete="tel" maxLength={50} defaultValue={values.phone} error={errors?.phone} />
      <SelectField
        name="sex"
        label={t("person.sex")}
        defaultValue={values.sex ?? ""}
        error={errors?.sex}
        placeholder={t("person.notSaid")}
        options={SEXES.map((s) => ({ value: s, label: t(`person.sexes.${s}`) }))}
      />
      {withOrganisation ? (
        <OrganisationSelect
          name="organisationId"
          label={t("person.organisation")}
          defaultValue={values.organisationId ?? ""}
          error={errors?.organisationId}
          placeholder={t("person.noOrganisation")}
          choices={organisations}
          current={currentOrganisation}
          scope="nonDonor"
        />
      ) : null}
      <TextField name="position" label={t("person.position")} maxLength={200} defaultValue={values.position} error={errors?.position} />
      <SelectField
        name="roleCategory"
        label={t("person.roleCategory")}
        defaultValue={values.roleCategory ?? ""}
        error={errors?.roleCategory}
        placeholder={t("person.notSaid")}
        options={ROLE_CATEGORIES.map((r) => ({ value: r, label: t(`roleCategory.${r}`) }))}
      />
      <SelectField
        name="nationality"
        label={t("person.nationality")}
        defaultValue={values.nationality ?? ""}
        error={errors?.nationality}
        placeholder={t("person.notSaid")}
        options={countries}
      />
      <TextField name="dietaryNeeds" label={t("person.dietaryNeeds")} maxLength={500} defaultValue={values.dietaryNeeds} error={errors?.dietaryNeeds} />
      <TextField name="accessibilityNeeds" label={t("person.accessibilityNeeds")} maxLength={500} defaultValue={values.accessibilityNeeds} error={errors?.accessibilityNeeds} />
    </div>
  );
}
