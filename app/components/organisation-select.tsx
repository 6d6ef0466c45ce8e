import { useFetcher } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "~/lib/translation";
import { describedBy, FieldFrame, inputClass, SelectField } from "./ui/field";
import type { OrganisationScope } from "~/lib/domain";

export type OrganisationOption = { id: number; name: string; acronym?: string | null; kind?: string };

/** How many matches the server sends at most (searchOrganisations' default). */
const MATCHES_LISTED = 30;

/** How an organisation is named in a list: its name, with its acronym or its kind (translated) when asked. */
function useOrganisationLabel(show: "name" | "acronym" | "kind") {
  const { t } = useTranslation();
  return (o: OrganisationOption) =>
    show === "acronym" && o.acronym
      ? `${o.name} (${o.acronym})`
      : show === "kind" && o.kind
        ? `${o.name} (${t(`organisationKind.${o.kind}` as "organisationKind.donor")})`
        : o.name;
}

type FieldProps = {
  name: string;
  label: string;
  hint?: string;
  placeholder: string;
  defaultValue: string;
  error?: string;
  /** when the field searches: the organisation chosen so far (shown in the list before any search) */
  current?: OrganisationOption | null;
  scope: OrganisationScope;
  required?: boolean;
};

/**
 * A form's organisation: a plain list while there are few enough organisations (`choices`), else a
 * search box whose matches (from /organisation-choices) fill the list to choose from. Either way
 * the form sends the chosen id under `name`, as a select.
 */
export function OrganisationSelect({
  choices,
  show = "name",
  ...field
}: FieldProps & {
  /** every organisation the field offers, or null when there are too many to list */
  choices: OrganisationOption[] | null;
  /** what follows each name in the list */
  show?: "name" | "acronym" | "kind";
}) {
  const labelOf = useOrganisationLabel(show);
  if (choices) {
    const { name, label, hint, placeholder, defaultValue, error, required } = field;
    return (
      <SelectField
        name={name}
        label={label}
        hint={hint}
        placeholder={placeholder}
        defaultValue={defaultValue}
        error={error}
        required={required}
        options={choices.map((o) => ({ value: String(o.id), label: labelOf(o) }))}
      />
    );
  }
  return <OrganisationSearch {...field} labelOf={labelOf} />;
}

function OrganisationSearch({ scope, labelOf, ...field }: FieldProps & { labelOf: (o: OrganisationOption) => string }) {
  const texts = useOrganisationSearchTexts();
  return (
    <SearchSelect
      {...field}
      labelOf={labelOf}
      texts={texts}
      url={organisationChoicesUrl(scope)}
      pick={pickOrganisations}
    />
  );
}

/** Where the organisations of a scope are searched (/organisation-choices), and its answer's matches. */
const organisationChoicesUrl = (scope: OrganisationScope) => (q: string) => `/organisation-choices?${new URLSearchParams({ scope, q })}`;
const pickOrganisations = (data: { organisations?: OrganisationOption[] }) => data.organisations ?? [];

/** What a search box and its status line say, translated: the organisations' or another list's. */
export type SearchTexts = {
  search: string;
  placeholder: string;
  hint: string;
  searching: string;
  none: (text: string) => string;
  many: (count: number) => string;
  matches: (count: number) => string;
};

function useOrganisationSearchTexts(): SearchTexts {
  const { t } = useTranslation();
  return {
    search: t("organisationSelect.search"),
    placeholder: t("organisationSelect.searchPlaceholder"),
    hint: t("organisationSelect.hint"),
    searching: t("organisationSelect.searching"),
    none: (text) => t("organisationSelect.none", { text }),
    many: (count) => t("organisationSelect.many", { count }),
    matches: (count) => t("organisationSelect.matches", { count }),
  };
}

type Choice = { id: number; name: string };

/**
 * A select whose options come from a search (a list too long to send with the page): the box, the
 * select (the placeholder, the choice made so far, the matches), and the status line. The form
 * sends the chosen id under `name`, as a select.
 */
export function SearchSelect<T extends Choice>({
  name,
  label,
  hint,
  placeholder,
  defaultValue,
  error,
  current,
  required,
  labelOf,
  texts,
  url,
  pick,
}: Omit<FieldProps, "scope" | "current"> & {
  current?: T | null;
  labelOf: (o: T) => string;
  texts: SearchTexts;
  /** the address that answers the matches of a text */
  url: (q: string) => string;
  /** the matches in its answer */
  pick: (data: never) => T[];
}) {
  const { matches, searchBox, statusLine } = useChoiceSearch<T>(name, url, pick, texts, `${inputClass()} @lg:w-1/2`);
  const [value, setValue] = useState(defaultValue);
  // the choice made, kept in the list whatever the search shows
  const [chosen, setChosen] = useState<T | null>(current && String(current.id) === defaultValue ? current : null);
  const options = [...(chosen && !matches.some((m) => m.id === chosen.id) ? [chosen] : []), ...matches];

  return (
    <FieldFrame name={name} label={label} hint={hint} error={error} required={required}>
      {/* side by side where the field is wide enough, else one above the other */}
      <div className="@container">
        <div className="flex flex-col gap-2 @lg:flex-row">
          {searchBox}
          <select
            id={name}
            name={name}
            required={required}
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
                {labelOf(o)}
              </option>
            ))}
          </select>
        </div>
      </div>
      {statusLine}
    </FieldFrame>
  );
}

/**
 * The search of a field with too many choices to list: the box, the line that says what it found
 * (read out by screen readers), and the matches of the text in the box (none while it changes).
 * Enter in the box moves to `target` (the list) instead of sending the form.
 */
function useChoiceSearch<T extends Choice>(target: string, url: (q: string) => string, pick: (data: never) => T[], texts: SearchTexts, boxClass: string) {
  const fetcher = useFetcher();
  const [text, setText] = useState("");
  // the text the shown matches were asked for (the box may already say more)
  const [asked, setAsked] = useState("");
  const timer = useRef<ReturnType<typeof setTimeout>>();
  useEffect(() => () => clearTimeout(timer.current), []);

  const searched = asked.length >= 2 && text.trim() === asked;
  const matches: T[] = searched && fetcher.data ? pick(fetcher.data as never) : [];
  let status = texts.hint;
  if (text.trim().length >= 2) {
    if (!searched || fetcher.state !== "idle" || !fetcher.data) status = texts.searching;
    else if (matches.length === 0) status = texts.none(asked);
    else if (matches.length >= MATCHES_LISTED) status = texts.many(matches.length);
    else status = texts.matches(matches.length);
  }

  function search(next: string) {
    setText(next);
    clearTimeout(timer.current);
    const q = next.trim();
    if (q.length < 2) return;
    timer.current = setTimeout(() => {
      setAsked(q);
      fetcher.load(url(q));
    }, 200);
  }

  const statusId = `${target}-status`;
  const searchBox = (
    <input
      id={`${target}-search`}
      type="search"
      value={text}
      onChange={(e) => search(e.target.value)}
      onKeyDown={(e) => {
        if (e.key === "Enter") {
          e.preventDefault();
          document.getElementById(target)?.focus();
        }
      }}
      aria-label={texts.search}
      aria-describedby={statusId}
      placeholder={texts.placeholder}
      autoComplete="off"
      className={boxClass}
    />
  );
  const statusLine = (
    <p id={statusId} role="status" className="text-sm text-slate-600">
      {status}
    </p>
  );
  return { matches, searchBox, statusLine };
}

function OrganisationLabel({ organisation }: { organisation: OrganisationOption }) {
  const { t } = useTranslation();
  return (
    <span>
      {organisation.name}{" "}
      {organisation.kind ? <span className="text-slate-600">({t(`organisationKind.${organisation.kind}` as "organisationKind.donor")})</span> : null}
    </span>
  );
}

/**
 * Several organisations (an event's partner agencies): a checkbox each while there are few enough
 * (`choices`), else the ones chosen so far and a search whose matches join them as checkboxes.
 * Either way the form sends each checked id under `name`.
 */
export function OrganisationChecklist({
  name,
  legend,
  error,
  choices,
  chosen,
  defaultChecked,
  scope,
  className,
}: {
  name: string;
  legend: string;
  /** the error, translated */
  error?: string | null;
  /** every organisation the field offers, or null when there are too many to list */
  choices: OrganisationOption[] | null;
  /** when the field searches: the organisations chosen so far */
  chosen: OrganisationOption[];
  defaultChecked: string[];
  scope: OrganisationScope;
  className?: string;
}) {
  return (
    <fieldset className={className}>
      <legend className="text-sm font-medium text-slate-800">{legend}</legend>
      {error ? <p className="text-sm font-medium text-red-700">{error}</p> : null}
      {choices ? (
        <div id={name} className="mt-2 grid gap-2 sm:grid-cols-2">
          {choices.map((o) => (
            <label key={o.id} className="flex items-start gap-2 text-sm">
              <input type="checkbox" name={name} value={o.id} defaultChecked={defaultChecked.includes(String(o.id))} className="mt-1" />
              <OrganisationLabel organisation={o} />
            </label>
          ))}
        </div>
      ) : (
        <ChecklistSearch name={name} chosen={chosen} defaultChecked={defaultChecked} scope={scope} />
      )}
    </fieldset>
  );
}

function ChecklistSearch({ name, chosen, defaultChecked, scope }: { name: string; chosen: OrganisationOption[]; defaultChecked: string[]; scope: OrganisationScope }) {
  const texts = useOrganisationSearchTexts();
  const { matches, searchBox, statusLine } = useChoiceSearch<OrganisationOption>(
    name,
    organisationChoicesUrl(scope),
    pickOrganisations,
    texts,
    `${inputClass()} mt-2 max-w-md`,
  );
  // the organisations ticked at some point stay listed (unticked or not) whatever the search shows
  const [kept, setKept] = useState(() => chosen.filter((o) => defaultChecked.includes(String(o.id))));
  const [checked, setChecked] = useState(() => new Set(defaultChecked));
  const listed = [...kept, ...matches.filter((m) => !kept.some((k) => k.id === m.id))];
  function toggle(o: OrganisationOption, on: boolean) {
    const id = String(o.id);
    setChecked((before) => {
      const next = new Set(before);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
    if (on && !kept.some((k) => k.id === o.id)) setKept((before) => [...before, o]);
  }
  return (
    <>
      {searchBox}
      {statusLine}
      <div id={name} tabIndex={-1} className="mt-2 grid gap-2 sm:grid-cols-2">
        {listed.map((o) => (
          <label key={o.id} className="flex items-start gap-2 text-sm">
            <input type="checkbox" name={name} value={o.id} checked={checked.has(String(o.id))} onChange={(e) => toggle(o, e.target.checked)} className="mt-1" />
            <OrganisationLabel organisation={o} />
          </label>
        ))}
      </div>
    </>
  );
}
