import { useFetcher } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { describedBy, FieldFrame, inputClass, SelectField } from "./ui/field";
import type { OrganisationScope } from "~/lib/domain";

export type OrganisationOption = { id: number; name: string; acronym?: string | null };

/** How many matches the server sends at most (searchOrganisations' default). */
const MATCHES_LISTED = 30;

const labelOf = (o: OrganisationOption, withAcronym: boolean) => (withAcronym && o.acronym ? `${o.name} (${o.acronym})` : o.name);

/**
 * A form's organisation: a plain list while there are few enough organisations (`choices`), else a
 * search box whose matches (from /organisation-choices) fill the list to choose from. Either way
 * the form sends the chosen id under `name`, as a select.
 */
export function OrganisationSelect({
  name,
  label,
  hint,
  placeholder,
  defaultValue,
  error,
  choices,
  current,
  scope,
  withAcronym = false,
}: {
  name: string;
  label: string;
  hint?: string;
  placeholder: string;
  defaultValue: string;
  error?: string;
  /** every organisation the field offers, or null when there are too many to list */
  choices: OrganisationOption[] | null;
  /** when the field searches: the organisation chosen so far (shown in the list before any search) */
  current?: OrganisationOption | null;
  scope: OrganisationScope;
  withAcronym?: boolean;
}) {
  if (choices) {
    return (
      <SelectField
        name={name}
        label={label}
        hint={hint}
        placeholder={placeholder}
        defaultValue={defaultValue}
        error={error}
        options={choices.map((o) => ({ value: String(o.id), label: labelOf(o, withAcronym) }))}
      />
    );
  }
  return (
    <OrganisationSearch
      name={name}
      label={label}
      hint={hint}
      placeholder={placeholder}
      defaultValue={defaultValue}
      error={error}
      current={current ?? null}
      scope={scope}
      withAcronym={withAcronym}
    />
  );
}

function OrganisationSearch({
  name,
  label,
  hint,
  placeholder,
  defaultValue,
  error,
  current,
  scope,
  withAcronym,
}: {
  name: string;
  label: string;
  hint?: string;
  placeholder: string;
  defaultValue: string;
  error?: string;
  current: OrganisationOption | null;
  scope: OrganisationScope;
  withAcronym: boolean;
}) {
  const { t } = useTranslation();
  const fetcher = useFetcher<{ organisations: OrganisationOption[] }>();
  const [text, setText] = useState("");
  // the text the shown matches were asked for (the box may already say more)
  const [asked, setAsked] = useState("");
  const [value, setValue] = useState(defaultValue);
  // the organisation chosen, kept in the list whatever the search shows
  const [chosen, setChosen] = useState<OrganisationOption | null>(current && String(current.id) === defaultValue ? current : null);
  const timer = useRef<ReturnType<typeof setTimeout>>();
  useEffect(() => () => clearTimeout(timer.current), []);

  const searched = asked.length >= 2 && text.trim() === asked;
  const matches = searched ? (fetcher.data?.organisations ?? []) : [];
  const options = [...(chosen && !matches.some((m) => m.id === chosen.id) ? [chosen] : []), ...matches];
  const statusId = `${name}-status`;
  let status = t("organisationSelect.hint");
  if (text.trim().length >= 2) {
    if (!searched || fetcher.state !== "idle" || !fetcher.data) status = t("organisationSelect.searching");
    else if (matches.length === 0) status = t("organisationSelect.none", { text: asked });
    else if (matches.length >= MATCHES_LISTED) status = t("organisationSelect.many", { count: matches.length });
    else status = t("organisationSelect.matches", { count: matches.length });
  }

  function search(next: string) {
    setText(next);
    clearTimeout(timer.current);
    const q = next.trim();
    if (q.length < 2) return;
    timer.current = setTimeout(() => {
      setAsked(q);
      fetcher.load(`/organisation-choices?${new URLSearchParams({ scope, q })}`);
    }, 200);
  }

  return (
    <FieldFrame name={name} label={label} hint={hint} error={error}>
      {/* side by side where the field is wide enough, else one above the other */}
      <div className="@container">
        <div className="flex flex-col gap-2 @lg:flex-row">
          <input
            id={`${name}-search`}
            type="search"
            value={text}
            onChange={(e) => search(e.target.value)}
            onKeyDown={(e) => {
              // Enter chooses from the list instead of sending the form
              if (e.key === "Enter") {
                e.preventDefault();
                document.getElementById(name)?.focus();
              }
            }}
            aria-label={t("organisationSelect.search")}
            aria-describedby={statusId}
            placeholder={t("organisationSelect.searchPlaceholder")}
            autoComplete="off"
            className={`${inputClass()} @lg:w-1/2`}
          />
          <select
            id={name}
            name={name}
            value={value}
            onChange={(e) => {
              setValue(e.target.value);
              setChosen(options.find((o) => String(o.id) === e.target.value) ?? null);
            }}
            aria-invalid={error ? true : undefined}
            aria-describedby={describedBy(name, hint, error)}
            className={`${inputClass(error)} @lg:w-1/2`}
          >
            <option value="">{placeholder}</option>
            {options.map((o) => (
              <option key={o.id} value={String(o.id)}>
                {labelOf(o, withAcronym)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <p id={statusId} role="status" className="text-sm text-slate-600">
        {status}
      </p>
    </FieldFrame>
  );
}
