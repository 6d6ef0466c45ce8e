import { useTranslation } from "~/lib/translation";
import { Link } from "@remix-run/react";
import { fieldMessage } from "~/lib/form-messages";
import { ErrorSummary, TextField } from "./ui/field";

/** A donor organisation a programme can be funded by. */
export type DonorOption = { id: number; name: string; acronym: string | null };

/** The programme form's fields: shared by the new-programme and programme pages. */
export function ProgrammeFormFields({
  values,
  errors,
  donors,
  checkedDonorIds,
}: {
  values: Record<string, string | undefined>;
  errors?: Record<string, string>;
  donors: DonorOption[];
  checkedDonorIds: string[];
}) {
  const { t } = useTranslation();
  const checked = new Set(checkedDonorIds);
  const textareaClass = `block w-full rounded-md border bg-white px-3 py-2 text-base shadow-sm focus:border-brand-600 ${
    errors?.description ? "border-red-600" : "border-slate-300"
  }`;
  return (
    <>
      <ErrorSummary
        errors={errors}
        labels={{
          name: t("programmes.fields.name"),
          code: t("programmes.fields.code"),
          description: t("programmes.fields.description"),
          startDate: t("programmes.fields.startDate"),
          endDate: t("programmes.fields.endDate"),
          donorIds: t("programmes.fields.donors"),
        }}
      />
      <TextField name="name" label={t("programmes.fields.name")} required maxLength={200} defaultValue={values.name ?? ""} error={errors?.name} />
      <TextField
        name="code"
        label={t("programmes.fields.code")}
        hint={t("programmes.fields.codeHint")}
        maxLength={40}
        defaultValue={values.code ?? ""}
        error={errors?.code}
      />
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField name="startDate" type="date" label={t("programmes.fields.startDate")} defaultValue={values.startDate ?? ""} error={errors?.startDate} />
        <TextField
          name="endDate"
          type="date"
          label={t("programmes.fields.endDate")}
          hint={t("programmes.fields.datesHint")}
          defaultValue={values.endDate ?? ""}
          error={errors?.endDate}
        />
      </div>
      <div className="space-y-1">
        <label htmlFor="description" className="block text-sm font-medium text-slate-800">
          {t("programmes.fields.description")}
        </label>
        <textarea
          id="description"
          name="description"
          rows={4}
          maxLength={5000}
          defaultValue={values.description ?? ""}
          aria-invalid={errors?.description ? true : undefined}
          aria-describedby={errors?.description ? "description-error" : undefined}
          className={textareaClass}
        />
        {errors?.description ? (
          <p id="description-error" className="text-sm font-medium text-red-700">
            {fieldMessage(t, errors.description)}
          </p>
        ) : null}
      </div>
      <fieldset
        id="donorIds"
        tabIndex={-1}
        aria-describedby={["donorIds-hint", errors?.donorIds ? "donorIds-error" : null].filter(Boolean).join(" ")}
        className="space-y-2"
      >
        <legend className="block text-sm font-medium text-slate-800">{t("programmes.fields.donors")}</legend>
        {donors.length === 0 ? (
          <p className="text-sm text-slate-600">
            {t("programmes.noDonorOrganisations")} <Link to="/organisations/new?kind=donor">{t("programmes.addDonorOrganisation")}</Link>
          </p>
        ) : (
          <ul className="grid gap-2 sm:grid-cols-2">
            {donors.map((d) => (
              <li key={d.id}>
                <label className="flex items-center gap-2 text-sm">
                  <input type="checkbox" name="donorIds" value={d.id} defaultChecked={checked.has(String(d.id))} className="h-4 w-4" />
                  <bdi>{d.name}</bdi>
                  {d.acronym ? (
                    <span className="text-slate-600">
                      (<bdi>{d.acronym}</bdi>)
                    </span>
                  ) : null}
                </label>
              </li>
            ))}
          </ul>
        )}
        <p id="donorIds-hint" className="text-sm text-slate-600">
          {t("programmes.fields.donorsHint")}
        </p>
        {errors?.donorIds ? (
          <p id="donorIds-error" className="text-sm font-medium text-red-700">
            {t(errors.donorIds as "errors.choice")}
          </p>
        ) : null}
      </fieldset>
    </>
  );
}
