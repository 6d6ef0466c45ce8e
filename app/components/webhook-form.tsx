import { useTranslation } from "~/lib/translation";
import { ErrorSummary, TextField } from "~/components/ui/field";
import { fieldMessage } from "~/lib/form-messages";
import { WEBHOOK_EVENT_TYPES, WEBHOOK_NAME_MAX, WEBHOOK_URL_MAX } from "~/lib/webhooks";

export type WebhookFormValues = { name?: string; url?: string; eventTypes?: string | string[]; active?: string };

/** The fields of a webhook subscription (create and edit): name, address, event types, and (edit) active. */
export function WebhookFields({ values, errors, withActive = false }: { values: WebhookFormValues; errors?: Record<string, string> | null; withActive?: boolean }) {
  const { t } = useTranslation();
  const chosen = Array.isArray(values.eventTypes) ? values.eventTypes : values.eventTypes ? [values.eventTypes] : [];
  const err = errors ?? undefined;
  return (
    <>
      <ErrorSummary errors={err} labels={{ name: t("webhooks.fields.name"), url: t("webhooks.fields.url"), eventTypes: t("webhooks.fields.eventTypes") }} />
      <TextField label={t("webhooks.fields.name")} name="name" required maxLength={WEBHOOK_NAME_MAX} defaultValue={values.name ?? ""} error={err?.name} hint={t("webhooks.fields.nameHint")} />
      <TextField
        label={t("webhooks.fields.url")}
        name="url"
        type="url"
        dir="ltr"
        inputMode="url"
        autoComplete="off"
        spellCheck={false}
        required
        maxLength={WEBHOOK_URL_MAX}
        defaultValue={values.url ?? ""}
        error={err?.url}
        hint={t("webhooks.fields.urlHint")}
      />
      <fieldset aria-describedby={err?.eventTypes ? "eventTypes-error" : undefined}>
        <legend className="text-sm font-medium text-slate-800">
          {t("webhooks.fields.eventTypes")}
          <span className="text-red-700" aria-hidden="true">
            {" "}
            *
          </span>
        </legend>
        {err?.eventTypes ? (
          <p id="eventTypes-error" className="mt-1 text-sm font-medium text-red-700">
            {fieldMessage(t, err.eventTypes)}
          </p>
        ) : null}
        <div id="eventTypes" className="mt-2 grid gap-2 md:grid-cols-2">
          {WEBHOOK_EVENT_TYPES.map((type) => (
            <label key={type} className="flex items-start gap-2 text-sm">
              <input type="checkbox" name="eventTypes" value={type} defaultChecked={chosen.includes(type)} className="mt-1" />
              <span>
                {t(`webhooks.eventTypes.${type}`)}{" "}
                <code className="text-xs text-slate-600" dir="ltr">
                  {type}
                </code>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      {withActive ? (
        <label className="flex items-center gap-2 text-sm font-medium text-slate-800">
          <input type="checkbox" name="active" value="on" defaultChecked={values.active === "on"} />
          {t("webhooks.fields.active")}
        </label>
      ) : null}
    </>
  );
}

/** The state of a subscription as text and colour. */
export function webhookStateTone(state: "active" | "paused" | "disabled") {
  return state === "active" ? "active" : state === "disabled" ? "disabled" : "draft";
}
