import { Form } from "@remix-run/react";
import { useTranslation } from "~/lib/translation";
import { SubmissionKey } from "~/components/ui/submission-key";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { Card } from "~/components/ui/page";
import { describedBy, FieldFrame, inputClass } from "~/components/ui/field";
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

type Counts = Record<ActionItemStatus, number> & { total: number };

/** Figures as tiles: a label over a large number (the overviews per event, per agency and per person). */
export function CountTiles({ tiles }: { tiles: { key: string; label: string; value: number }[] }) {
  const { i18n } = useTranslation();
  const columns = tiles.length <= 5 ? "sm:grid-cols-5" : "sm:grid-cols-3 lg:grid-cols-6";
  return (
    <dl className={`grid grid-cols-2 gap-3 ${columns}`}>
      {tiles.map((s) => (
        <div key={s.key} className="rounded-lg border border-slate-200 bg-white p-3">
          <dt className="text-xs font-medium text-slate-600">{s.label}</dt>
          <dd className="text-2xl font-semibold tabular-nums text-slate-900">{formatNumber(s.value, i18n.language)}</dd>
        </div>
      ))}
    </dl>
  );
}

/** A table cell's progress: a thin bar by status (decoration) and "3 of 5 items done", blocked items named. */
export function ItemProgress({ items }: { items: Counts }) {
  const { t, i18n } = useTranslation();
  const n = (v: number) => formatNumber(v, i18n.language);
  return (
    <div className="min-w-32 space-y-1">
      {items.total > 0 ? (
        <div className="flex h-1.5 w-full overflow-hidden rounded-full bg-slate-100" aria-hidden="true">
          {ACTION_ITEM_STATUSES.map((s) =>
            items[s] > 0 ? <div key={s} className={BAR_COLOUR[s]} style={{ width: `${(items[s] / items.total) * 100}%` }} /> : null,
          )}
        </div>
      ) : null}
      <div className="tabular-nums">{t("actionPlans.progressValue", { count: items.total, done: n(items.done), total: n(items.total) })}</div>
      {items.blocked > 0 ? (
        <div className="text-xs text-slate-600">{t("actionPlans.statusCount", { status: t("actionItemStatus.blocked"), count: items.blocked, formatted: n(items.blocked) })}</div>
      ) : null}
    </div>
  );
}

/** A table cell: the overdue badge and how many, or "None". */
export function OverdueCount({ count }: { count: number }) {
  const { t, i18n } = useTranslation();
  return count > 0 ? (
    <span className="inline-flex items-center gap-2">
      <OverdueBadge />
      <span className="tabular-nums">{formatNumber(count, i18n.language)}</span>
    </span>
  ) : (
    <span className="text-slate-600">{t("actionPlans.noneOverdue")}</span>
  );
}

/** A table cell: validated items, and the done items still awaiting the partner's validation. */
export function ValidationCount({ items }: { items: { validated: number; awaitingValidation: number } }) {
  const { t, i18n } = useTranslation();
  const n = (v: number) => formatNumber(v, i18n.language);
  return (
    <div>
      <span className="tabular-nums">{n(items.validated)}</span>
      {items.awaitingValidation > 0 ? (
        <div className="text-xs text-slate-700">{t("actionPlansOverview.awaiting", { count: items.awaitingValidation, formatted: n(items.awaitingValidation) })}</div>
      ) : null}
    </div>
  );
}

export type ItemValues = { action?: string; targetDate?: string | null; responsible?: string | null; indicator?: string | null; status?: string };

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
        <FieldFrame name={id("action")} label={t("actionPlans.fields.action")} hint={t("actionPlans.fields.actionHint")} error={errors.action} required>
          <textarea
            id={id("action")}
            name="action"
            required
            rows={2}
            maxLength={500}
            defaultValue={values.action ?? ""}
            aria-invalid={errors.action ? true : undefined}
            aria-describedby={describedBy(id("action"), "h", errors.action)}
            className={inputClass(errors.action)}
          />
        </FieldFrame>
      </div>
      <FieldFrame name={id("targetDate")} label={t("actionPlans.fields.targetDate")} hint={t("actionPlans.fields.targetDateHint", { date: formatDay(firstDay, i18n.language) })} error={errors.targetDate}>
        <input
          id={id("targetDate")}
          name="targetDate"
          type="date"
          min={firstDay}
          defaultValue={values.targetDate ?? ""}
          aria-invalid={errors.targetDate ? true : undefined}
          aria-describedby={describedBy(id("targetDate"), "h", errors.targetDate)}
          className={inputClass(errors.targetDate)}
        />
      </FieldFrame>
      <FieldFrame name={id("responsible")} label={t("actionPlans.fields.responsible")} hint={t("actionPlans.fields.responsibleHint")} error={errors.responsible}>
        <input
          id={id("responsible")}
          name="responsible"
          maxLength={200}
          defaultValue={values.responsible ?? ""}
          aria-invalid={errors.responsible ? true : undefined}
          aria-describedby={describedBy(id("responsible"), "h", errors.responsible)}
          className={inputClass(errors.responsible)}
        />
      </FieldFrame>
      <div className={withStatus ? "" : "md:col-span-2"}>
        <FieldFrame name={id("indicator")} label={t("actionPlans.fields.indicator")} hint={t("actionPlans.fields.indicatorHint")} error={errors.indicator}>
          <input
            id={id("indicator")}
            name="indicator"
            maxLength={500}
            defaultValue={values.indicator ?? ""}
            aria-invalid={errors.indicator ? true : undefined}
            aria-describedby={describedBy(id("indicator"), "h", errors.indicator)}
            className={inputClass(errors.indicator)}
          />
        </FieldFrame>
      </div>
      {withStatus ? (
        <FieldFrame name={id("status")} label={t("actionPlans.fields.status")} error={errors.status}>
          <select
            id={id("status")}
            name="status"
            defaultValue={values.status ?? "planned"}
            aria-invalid={errors.status ? true : undefined}
            aria-describedby={describedBy(id("status"), undefined, errors.status)}
            className={inputClass(errors.status)}
          >
            {ACTION_ITEM_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`actionItemStatus.${s}`)}
              </option>
            ))}
          </select>
        </FieldFrame>
      ) : null}
    </div>
  );
}

/** An item's target date, responsible and indicator (the plan page and the template). */
export function ItemDetails({ item, className = "gap-y-2" }: { item: { targetDate: string | null; responsible: string | null; indicator: string | null }; className?: string }) {
  const { t, i18n } = useTranslation();
  return (
    <dl className={`grid gap-x-6 text-sm sm:grid-cols-3 ${className}`}>
      <div>
        <dt className="font-medium text-slate-600">{t("actionPlans.fields.targetDate")}</dt>
        <dd>{item.targetDate ? formatDay(item.targetDate, i18n.language) : t("actionPlans.noTargetDate")}</dd>
      </div>
      <div>
        <dt className="font-medium text-slate-600">{t("actionPlans.fields.responsible")}</dt>
        <dd>{item.responsible ? <bdi>{item.responsible}</bdi> : t("actionPlans.notGiven")}</dd>
      </div>
      <div>
        <dt className="font-medium text-slate-600">{t("actionPlans.fields.indicator")}</dt>
        <dd>{item.indicator ? <bdi>{item.indicator}</bdi> : t("actionPlans.notGiven")}</dd>
      </div>
    </dl>
  );
}

type Refusal = { values?: ItemValues; errors?: Record<string, string> } | null;

/**
 * The forms of one existing item, for a plan's members and for the coordinators' template alike:
 * "Edit this item" (open again after a refusal, refilled) and "Remove…" (asks once, says what is lost).
 */
export function ItemEditForms({
  item,
  refused,
  firstDay,
  withStatus,
  removeQuestion,
  busy,
}: {
  item: ItemValues & { id: number };
  refused: Refusal;
  firstDay: string;
  withStatus: boolean;
  removeQuestion: string;
  busy: boolean;
}) {
  const { t } = useTranslation();
  return (
    <>
      <details open={Boolean(refused)}>
        <summary className="cursor-pointer text-sm font-medium text-brand-700">{t("actionPlans.plan.editItem")}</summary>
        <Form method="post" className="mt-2 space-y-3 rounded-md border border-slate-200 bg-slate-50 p-3">
          <input type="hidden" name="intent" value="edit-item" />
          <input type="hidden" name="itemId" value={item.id} />
          <ItemFields prefix={`edit-${item.id}`} firstDay={firstDay} withStatus={withStatus} values={refused ? refused.values : item} errors={refused?.errors} />
          <Button variant="secondary" disabled={busy}>
            {t("actionPlans.plan.saveItem")}
          </Button>
        </Form>
      </details>
      <details>
        <summary className="cursor-pointer text-sm text-red-800">{t("actionPlans.plan.removeItem")}</summary>
        <Form method="post" className="mt-2 max-w-xl space-y-2 rounded-md border border-red-200 bg-red-50 p-3 text-sm">
          <input type="hidden" name="intent" value="remove-item" />
          <input type="hidden" name="itemId" value={item.id} />
          <p>{removeQuestion}</p>
          <Button variant="danger" disabled={busy}>
            {t("actionPlans.plan.removeConfirm")}
          </Button>
        </Form>
      </details>
    </>
  );
}

/** "Add an item": the same fields on the plan page and in the template (refilled after a refusal). */
export function AddItemForm({
  refused,
  firstDay,
  withStatus,
  busy,
  formKey,
}: {
  refused: Refusal;
  firstDay: string;
  withStatus: boolean;
  busy: boolean;
  /** the form's one-time key (double submits create one item; a new key after success empties the form) */
  formKey: string;
}) {
  const { t } = useTranslation();
  return (
    <Card title={t("actionPlans.plan.addItem")}>
      <Form method="post" key={formKey} className="space-y-4">
        <input type="hidden" name="intent" value="add-item" />
        <SubmissionKey value={formKey} />
        <ItemFields prefix="new" firstDay={firstDay} withStatus={withStatus} values={refused?.values} errors={refused?.errors} />
        <Button disabled={busy}>{t("actionPlans.plan.addItemSubmit")}</Button>
      </Form>
    </Card>
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
    "aria-describedby": describedBy(id, hint, error),
    className: inputClass(error),
  };
  return (
    <FieldFrame name={id} label={label} hint={hint} error={error} required={required}>
      {multiline ? <textarea rows={3} {...common} /> : <input {...common} />}
    </FieldFrame>
  );
}
