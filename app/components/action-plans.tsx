import { useTranslation } from "react-i18next";
import { Badge } from "~/components/ui/badge";
import { ACTION_ITEM_STATUSES, type ActionItemStatus } from "~/lib/domain";
import { checkInDay } from "~/lib/check-ins";
import { formatDay, formatList, formatNumber } from "~/lib/format";

/** Status as text and colour (never colour alone). */
const ITEM_TONE: Record<ActionItemStatus, string> = {
  planned: "draft",
  in_progress: "in_progress",
  done: "active",
  blocked: "disabled",
};

export function ItemStatusBadge({ status }: { status: ActionItemStatus }) {
  const { t } = useTranslation();
  return <Badge tone={ITEM_TONE[status]}>{t(`actionItemStatus.${status}`)}</Badge>;
}

export function PlanStatusBadge({ status }: { status: "draft" | "submitted" }) {
  const { t } = useTranslation();
  return <Badge tone={status === "submitted" ? "completed" : "draft"}>{t(`actionPlans.planStatus.${status}`)}</Badge>;
}

/** When an event's action-plan check-ins are sent: "30, 60 and 90 days after the last day" and their dates. */
export function CheckInSchedule({ days, endDate }: { days: number[]; endDate: string }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  if (days.length === 0) return <span>{t("event.checkInsNone")}</span>;
  return (
    <>
      <span className="block">
        {t("event.checkInsAt", { count: days[days.length - 1], days: formatList(days.map((n) => formatNumber(n, locale)), locale) })}
      </span>
      <span className="block text-slate-600">
        {t("event.checkInDates", { dates: formatList(days.map((n) => formatDay(checkInDay(endDate, n), locale)), locale) })}
      </span>
    </>
  );
}

export function OverdueBadge() {
  const { t } = useTranslation();
  return <Badge tone="invited">{t("actionPlans.overdue")}</Badge>;
}

const BAR_COLOUR: Record<ActionItemStatus, string> = {
  planned: "bg-slate-400",
  in_progress: "bg-amber-500",
  done: "bg-green-600",
  blocked: "bg-red-600",
};

/** Items by status: a bar to look at, with every number written beside it. */
export function ItemStatusChart({ counts }: { counts: Record<ActionItemStatus, number> & { total: number } }) {
  const { t, i18n } = useTranslation();
  const n = (v: number) => formatNumber(v, i18n.language);
  return (
    <figure className="space-y-2">
      <figcaption className="text-sm font-semibold text-slate-800">{t("actionPlans.itemsByStatus")}</figcaption>
      {counts.total > 0 ? (
        <div className="flex h-3 w-full overflow-hidden rounded-full bg-slate-100" aria-hidden="true">
          {ACTION_ITEM_STATUSES.map((s) =>
            counts[s] > 0 ? <div key={s} className={BAR_COLOUR[s]} style={{ width: `${(counts[s] / counts.total) * 100}%` }} /> : null,
          )}
        </div>
      ) : null}
      <ul className="flex flex-wrap gap-x-4 gap-y-1 text-sm text-slate-700">
        {ACTION_ITEM_STATUSES.map((s) => (
          <li key={s} className="flex items-center gap-1.5">
            <span className={`inline-block h-2.5 w-2.5 rounded-full ${BAR_COLOUR[s]}`} aria-hidden="true" />
            {t("actionPlans.statusCount", { status: t(`actionItemStatus.${s}`), count: counts[s], formatted: n(counts[s]) })}
          </li>
        ))}
      </ul>
    </figure>
  );
}

export type ItemValues = { action?: string; targetDate?: string | null; responsible?: string | null; indicator?: string | null; status?: string };

const inputClass = (error?: string) =>
  `block w-full rounded-md border bg-white px-3 py-2 text-base shadow-sm focus:border-brand-600 ${error ? "border-red-600" : "border-slate-300"}`;

function Frame({
  id,
  label,
  hint,
  error,
  required,
  children,
}: {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  required?: boolean;
  children: React.ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
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
        <p id={`${id}-hint`} className="text-sm text-slate-600">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="text-sm font-medium text-red-700">
          {t(error as "errors.required")}
        </p>
      ) : null}
    </div>
  );
}

const described = (id: string, hint?: string, error?: string) => [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;

/**
 * The fields of an item (several item forms share a page, so every id carries `prefix`). Errors are
 * message keys from the action; `values` refill the form after a refusal.
 */
export function ItemFields({
  prefix,
  values = {},
  errors = {},
  firstDay,
  withStatus,
}: {
  prefix: string;
  values?: ItemValues;
  errors?: Record<string, string>;
  firstDay: string;
  withStatus: boolean;
}) {
  const { t, i18n } = useTranslation();
  const id = (name: string) => `${prefix}-${name}`;
  return (
    <div className="grid gap-4 md:grid-cols-2">
      <div className="md:col-span-2">
        <Frame id={id("action")} label={t("actionPlans.fields.action")} hint={t("actionPlans.fields.actionHint")} error={errors.action} required>
          <textarea
            id={id("action")}
            name="action"
            required
            rows={2}
            maxLength={500}
            defaultValue={values.action ?? ""}
            aria-invalid={errors.action ? true : undefined}
            aria-describedby={described(id("action"), "h", errors.action)}
            className={inputClass(errors.action)}
          />
        </Frame>
      </div>
      <Frame id={id("targetDate")} label={t("actionPlans.fields.targetDate")} hint={t("actionPlans.fields.targetDateHint", { date: formatDay(firstDay, i18n.language) })} error={errors.targetDate}>
        <input
          id={id("targetDate")}
          name="targetDate"
          type="date"
          min={firstDay}
          defaultValue={values.targetDate ?? ""}
          aria-invalid={errors.targetDate ? true : undefined}
          aria-describedby={described(id("targetDate"), "h", errors.targetDate)}
          className={inputClass(errors.targetDate)}
        />
      </Frame>
      <Frame id={id("responsible")} label={t("actionPlans.fields.responsible")} hint={t("actionPlans.fields.responsibleHint")} error={errors.responsible}>
        <input
          id={id("responsible")}
          name="responsible"
          maxLength={200}
          defaultValue={values.responsible ?? ""}
          aria-invalid={errors.responsible ? true : undefined}
          aria-describedby={described(id("responsible"), "h", errors.responsible)}
          className={inputClass(errors.responsible)}
        />
      </Frame>
      <div className={withStatus ? "" : "md:col-span-2"}>
        <Frame id={id("indicator")} label={t("actionPlans.fields.indicator")} hint={t("actionPlans.fields.indicatorHint")} error={errors.indicator}>
          <input
            id={id("indicator")}
            name="indicator"
            maxLength={500}
            defaultValue={values.indicator ?? ""}
            aria-invalid={errors.indicator ? true : undefined}
            aria-describedby={described(id("indicator"), "h", errors.indicator)}
            className={inputClass(errors.indicator)}
          />
        </Frame>
      </div>
      {withStatus ? (
        <Frame id={id("status")} label={t("actionPlans.fields.status")} error={errors.status}>
          <select
            id={id("status")}
            name="status"
            defaultValue={values.status ?? "planned"}
            aria-invalid={errors.status ? true : undefined}
            aria-describedby={described(id("status"), undefined, errors.status)}
            className={inputClass(errors.status)}
          >
            {ACTION_ITEM_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`actionItemStatus.${s}`)}
              </option>
            ))}
          </select>
        </Frame>
      ) : null}
    </div>
  );
}

/** A plain text field or text area with a label above (ids prefixed, for pages with several forms). */
export function PlainField({
  id,
  name,
  label,
  hint,
  error,
  required,
  defaultValue,
  maxLength,
  multiline,
}: {
  id: string;
  name: string;
  label: string;
  hint?: string;
  error?: string;
  required?: boolean;
  defaultValue?: string;
  maxLength: number;
  multiline?: boolean;
}) {
  const common = {
    id,
    name,
    required,
    maxLength,
    defaultValue: defaultValue ?? "",
    "aria-invalid": error ? true : undefined,
    "aria-describedby": described(id, hint, error),
    className: inputClass(error),
  };
  return (
    <Frame id={id} label={label} hint={hint} error={error} required={required}>
      {multiline ? <textarea rows={3} {...common} /> : <input {...common} />}
    </Frame>
  );
}
