import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes } from "react";
import { useTranslation } from "~/lib/translation";
import { fieldMessage } from "~/lib/form-messages";

type FieldProps = {
  name: string;
  label: string;
  hint?: string;
  /** a message key from the action (translated here) */
  error?: string;
  required?: boolean;
};

/** The ids of a field's hint and error, for aria-describedby (`name` is the control's id). */
export function describedBy(name: string, hint?: string, error?: string) {
  return [hint ? `${name}-hint` : null, error ? `${name}-error` : null].filter(Boolean).join(" ") || undefined;
}

/**
 * A label above the control, the hint and the error under it. `name` is the control's id (pages with
 * several forms pass a prefixed id).
 */
export function FieldFrame({ name, label, hint, error, required, children }: FieldProps & { children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <div className="space-y-1">
      <label htmlFor={name} className="block text-sm font-medium text-slate-800">
        {label}
        {required ? (
          <span className="text-red-700" aria-hidden="true">
            {" "}
            *
          </span>
        ) : null}
        {required ? <span className="sr-only"> ({t("form.required")})</span> : null}
      </label>
      {children}
      {hint ? (
        <p id={`${name}-hint`} className="text-sm text-slate-600">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${name}-error`} className="text-sm font-medium text-red-700">
          {fieldMessage(t, error)}
        </p>
      ) : null}
    </div>
  );
}

export const inputClass = (error?: string) =>
  `block w-full rounded-md border bg-white px-3 py-2 text-base shadow-sm focus:border-brand-600 ${
    error ? "border-red-600" : "border-slate-300"
  }`;

export function TextField({
  name,
  label,
  hint,
  error,
  required,
  ...input
}: FieldProps & Omit<InputHTMLAttributes<HTMLInputElement>, "name">) {
  return (
    <FieldFrame name={name} label={label} hint={hint} error={error} required={required}>
      <input
        id={name}
        name={name}
        required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(name, hint, error)}
        // a read-only field looks it (the class, not ":read-only", which browsers differ on for some types)
        className={input.readOnly ? `${inputClass(error)} bg-slate-100! text-slate-700` : inputClass(error)}
        {...input}
      />
    </FieldFrame>
  );
}

export function SelectField({
  name,
  label,
  hint,
  error,
  required,
  options,
  placeholder,
  ...select
}: FieldProps &
  Omit<SelectHTMLAttributes<HTMLSelectElement>, "name"> & {
    options: { value: string; label: string }[];
    placeholder?: string;
  }) {
  return (
    <FieldFrame name={name} label={label} hint={hint} error={error} required={required}>
      <select
        id={name}
        name={name}
        required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(name, hint, error)}
        className={inputClass(error)}
        {...select}
      >
        {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
        {options.map((o) => (
          // labels from Intl (country names) can differ between the server's and the browser's ICU
          <option key={o.value} value={o.value} suppressHydrationWarning>
            {o.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}

/** The summary at the top of a form in error: one link per field, focused so screen readers hear it. */
export function ErrorSummary({ errors, labels }: { errors?: Record<string, string>; labels: Record<string, string> }) {
  const { t } = useTranslation();
  if (!errors || Object.keys(errors).length === 0) return null;
  return (
    <div role="alert" tabIndex={-1} className="rounded-md border border-red-300 bg-red-50 p-4" aria-labelledby="error-summary-title">
      <h2 id="error-summary-title" className="text-sm font-semibold text-red-800">
        {t("form.errorSummary")}
      </h2>
      <ul className="mt-2 list-disc space-y-1 ps-5 text-sm text-red-800">
        {Object.entries(errors).map(([field, key]) => (
          <li key={field}>
            {field in labels ? (
              <a href={`#${field}`} className="text-red-800 underline">
                {labels[field]}: {fieldMessage(t, key)}
              </a>
            ) : (
              fieldMessage(t, key)
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
