import { useTranslation } from "~/lib/translation";
import { SearchSelect, type SearchTexts } from "./organisation-select";
import { SelectField } from "./ui/field";

type Programme = { id: number; name: string };

/**
 * The reports' programme filter: a plain list while there are few enough programmes (`choices`),
 * else a search box whose matches (from /programme-choices) fill the list, the programme chosen
 * so far (`current`) kept in it. Either way the form sends the chosen id under `name`.
 */
export function ProgrammeSelect({
  choices,
  current,
  name,
  label,
  placeholder,
  defaultValue,
  error,
}: {
  /** every programme the filter offers, or null when there are too many to list */
  choices: Programme[] | null;
  current: Programme | null;
  name: string;
  label: string;
  placeholder: string;
  defaultValue: string;
  error?: string;
}) {
  const { t } = useTranslation();
  if (choices) {
    return <SelectField name={name} label={label} placeholder={placeholder} options={choices.map((p) => ({ value: String(p.id), label: p.name }))} defaultValue={defaultValue} error={error} />;
  }
  const texts: SearchTexts = {
    search: t("programmeSelect.search"),
    placeholder: t("programmeSelect.searchPlaceholder"),
    hint: t("programmeSelect.hint"),
    searching: t("programmeSelect.searching"),
    none: (text) => t("programmeSelect.none", { text }),
    many: (count) => t("programmeSelect.many", { count }),
    matches: (count) => t("programmeSelect.matches", { count }),
  };
  return (
    <SearchSelect<Programme>
      name={name}
      label={label}
      placeholder={placeholder}
      defaultValue={defaultValue}
      error={error}
      current={current}
      labelOf={(p) => p.name}
      texts={texts}
      url={(q) => `/programme-choices?${new URLSearchParams({ q })}`}
      pick={(data: { programmes?: Programme[] }) => data.programmes ?? []}
    />
  );
}
