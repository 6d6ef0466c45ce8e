import { useTranslation } from "~/lib/translation";

/**
 * A short code typed on a phone, large and in capitals (check-in codes, paper codes for tests and
 * feedback): no autocorrect nor autocomplete, left to right in every language, the hint and the
 * error announced with the field. `error` is already translated (it may carry a wait time).
 */
export function CodeField({
  label,
  hint,
  error,
  value,
  maxLength,
  large = false,
}: {
  label: string;
  hint: string;
  error?: string | null;
  value: string;
  maxLength: number;
  /** the check-in page's larger letters */
  large?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <div className="space-y-1">
      <label htmlFor="code" className="block text-sm font-medium text-slate-800">
        {label}
        <span className="text-red-700" aria-hidden="true">
          {" "}
          *
        </span>
        <span className="sr-only"> ({t("form.required")})</span>
      </label>
      <input
        id="code"
        name="code"
        type="text"
        inputMode="text"
        autoCapitalize="characters"
        autoComplete="off"
        autoCorrect="off"
        spellCheck={false}
        required
        maxLength={maxLength}
        defaultValue={value}
        key={value}
        dir="ltr"
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? "code-hint code-error" : "code-hint"}
        className={`block w-full rounded-md border bg-white px-3 py-3 text-center font-mono font-bold uppercase shadow-sm focus:border-brand-600 ${
          large ? "text-4xl tracking-[0.3em]" : "text-3xl tracking-[0.2em]"
        } ${error ? "border-red-600" : "border-slate-300"}`}
      />
      <p id="code-hint" className="text-sm text-slate-600">
        {hint}
      </p>
      {error ? (
        <p id="code-error" role="alert" className="text-sm font-medium text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}
