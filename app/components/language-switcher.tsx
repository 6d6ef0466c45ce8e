import { Form, useLocation } from "@remix-run/react";
import { useEffect, useState } from "react";
import { useTranslation } from "~/lib/translation";
import { LANGUAGE_NAMES, supportedLocales } from "~/i18n";

/**
 * Works without JavaScript (a select and a button); with JavaScript the choice applies at once.
 * Each language is named in itself, with its own lang attribute.
 */
export function LanguageSwitcher({ idSuffix = "" }: { idSuffix?: string }) {
  const { t, i18n } = useTranslation();
  const location = useLocation();
  const id = `language-select${idSuffix}`;
  // without JavaScript a button submits the choice; once hydrated, choosing is enough
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return (
    <Form method="post" action="/settings/language" className="flex items-center gap-2">
      <input type="hidden" name="redirectTo" value={location.pathname + location.search} />
      <label htmlFor={id} className="sr-only">
        {t("layout.language")}
      </label>
      <select
        id={id}
        name="locale"
        defaultValue={i18n.language}
        key={i18n.language}
        onChange={(e) => e.currentTarget.form?.requestSubmit()}
        className="rounded-md border border-brand-100/40 bg-brand-900 px-2 py-1.5 text-sm text-white"
      >
        {supportedLocales.map((l) => (
          <option key={l} value={l} lang={l}>
            {LANGUAGE_NAMES[l]}
          </option>
        ))}
      </select>
      {hydrated ? null : (
        <button type="submit" className="rounded-md border border-brand-100/40 px-2 py-1.5 text-sm">
          {t("layout.changeLanguage")}
        </button>
      )}
    </Form>
  );
}
