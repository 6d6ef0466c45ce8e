import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { AdminTabs } from "~/components/admin-tabs";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useEffect, useState } from "react";
import { useTranslation } from "~/lib/translation";
import { z } from "zod";
import { requireActor } from "~/auth/session.server";
import { Button } from "~/components/ui/button";
import { ErrorSummary, SelectField, TextField } from "~/components/ui/field";
import { EmptyState, PageHeader } from "~/components/ui/page";
import { Pagination } from "~/components/ui/pagination";
import { formatDateTime, formatNumber } from "~/lib/format";
import { msg, parseForm, tooLong, type FieldErrors } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { auditFilterOptions, auditUser, searchAudit, type AuditFilters } from "~/models/audit.server";
import { readFormData } from "~/lib/form-data.server";

/** The translation namespaces this page uses besides the common ones (root.tsx) and its parents'. */
export const handle = { i18n: ["audit", "errors", "form", "pagination"] };

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "audit.title");

/**
 * The filters travel in the page's address (shareable, paginated by links), except the user's
 * email address: it is personal data, so the form is posted, the email is looked up, and the
 * address carries the account's id instead. It never lands in an address, the history or a log.
 */
const NAME_PATTERN = /^[a-z0-9_.:-]+$/;
const isRealDay = (v: string) =>
  /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v);

const optional = (max: number) =>
  z
    .string()
    .trim()
    .max(max, tooLong(max))
    .optional()
    .transform((v) => (v ? v : undefined));
const dayField = optional(10).refine((v) => v === undefined || isRealDay(v), "errors.date");

const filterFields = {
  action: optional(100)
    .transform((v) => v?.toLowerCase())
    .refine((v) => v === undefined || NAME_PATTERN.test(v), "audit.errors.action"),
  entityType: optional(100).refine((v) => v === undefined || NAME_PATTERN.test(v), msg.choice),
  entityId: optional(100),
  from: dayField,
  to: dayField,
};
const datesInOrder = (v: { from?: string; to?: string }) => !v.from || !v.to || v.from <= v.to;
const dateOrder = { message: "audit.errors.dateOrder", path: ["to"] };

const addressSchema = z
  .object({
    ...filterFields,
    user: optional(100),
    page: z.coerce.number().int().positive().max(100000).catch(1),
  })
  .refine(datesInOrder, dateOrder);
const formSchema = z
  .object({ ...filterFields, email: optional(254).transform((v) => v?.toLowerCase()) })
  .refine(datesInOrder, dateOrder);

type Values = Record<string, string>;

function toFormData(params: URLSearchParams) {
  const formData = new FormData();
  for (const [key, value] of params) formData.append(key, value);
  return formData;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request, ["admin"]);
  const parsed = parseForm(toFormData(new URL(request.url).searchParams), addressSchema);
  if (!parsed.ok) {
    // a hand-edited address: say what is wrong rather than search for something else
    return data(
      { filters: parsed.values, errors: parsed.errors as FieldErrors, result: null, options: await auditFilterOptions(actor), filtered: true },
      { status: 400 },
    );
  }
  const { user, page, ...rest } = parsed.data;
  const account = user ? (await auditUser(actor, { id: user })) : null;
  const filters: AuditFilters = { ...rest, userId: user, page };
  const values: Values = Object.fromEntries(
    Object.entries({ ...rest, email: account?.email ?? "" }).filter((entry): entry is [string, string] => Boolean(entry[1])),
  );
  return {
    filters: values,
    errors: undefined as FieldErrors | undefined,
    result: await searchAudit(actor, filters),
    options: await auditFilterOptions(actor),
    filtered: Object.values(rest).some(Boolean) || Boolean(user),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireActor(request, ["admin"]);
  const parsed = parseForm(await readFormData(request), formSchema);
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  const { email, ...rest } = parsed.data;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(rest)) if (value) params.set(key, value);
  if (email) {
    const account = await auditUser(actor, { email });
    if (!account) return data({ errors: { email: "audit.errors.noSuchUser" } as FieldErrors, values: parsed.data as Values }, { status: 400 });
    params.set("user", account.id);
  }
  const query = params.toString();
  return redirect(query ? `/admin/audit?${query}` : "/admin/audit");
}

export default function AdminAudit() {
  const { filters, errors: addressErrors, result, options, filtered } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const errors = actionData?.errors ?? addressErrors;
  const values: Values = actionData?.values ?? filters;
  const labels = {
    action: t("audit.filters.action"),
    email: t("audit.filters.user"),
    entityType: t("audit.filters.entityType"),
    entityId: t("audit.filters.entityId"),
    from: t("audit.filters.from"),
    to: t("audit.filters.to"),
  };
  return (
    <div>
      <PageHeader title={t("audit.title")} crumbs={[{ label: t("nav.admin"), to: "/admin/users" }, { label: t("audit.title") }]}>
        <p className="text-sm text-slate-600">{t("audit.intro")}</p>
      </PageHeader>
      <AdminTabs />

      <Form method="post" key={JSON.stringify(values)} noValidate className="mb-4 rounded-lg border border-slate-200 bg-white p-4">
        <h2 className="mb-3 text-base font-semibold">{t("audit.filters.title")}</h2>
        <ErrorSummary errors={errors} labels={labels} />
        <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-3">
          <TextField
            name="action"
            label={labels.action}
            hint={t("audit.filters.actionHint")}
            defaultValue={values.action}
            error={errors?.action}
            list="audit-actions"
            maxLength={100}
            dir="ltr"
            autoComplete="off"
          />
          <datalist id="audit-actions">
            {options.actions.map((a) => (
              <option key={a} value={a} />
            ))}
          </datalist>
          <TextField
            name="email"
            type="email"
            label={labels.email}
            hint={t("audit.filters.userHint")}
            defaultValue={values.email}
            error={errors?.email}
            maxLength={254}
            dir="ltr"
            autoComplete="off"
          />
          <SelectField
            name="entityType"
            label={labels.entityType}
            placeholder={t("audit.filters.anyEntityType")}
            defaultValue={values.entityType ?? ""}
            error={errors?.entityType}
            options={options.entityTypes.map((type) => ({ value: type, label: type }))}
          />
          <TextField name="entityId" label={labels.entityId} defaultValue={values.entityId} error={errors?.entityId} maxLength={100} dir="ltr" />
          <TextField
            name="from"
            type="date"
            label={labels.from}
            hint={t("audit.filters.datesHint")}
            defaultValue={values.from}
            error={errors?.from}
          />
          <TextField name="to" type="date" label={labels.to} defaultValue={values.to} error={errors?.to} />
        </div>
        <div className="mt-4 flex flex-wrap items-center gap-4">
          <Button>{t("audit.filters.apply")}</Button>
          {filtered ? <Link to="/admin/audit">{t("audit.filters.clear")}</Link> : null}
        </div>
      </Form>

      {result === null ? null : result.total === 0 ? (
        <EmptyState message={filtered ? t("audit.noMatch") : t("audit.empty")} />
      ) : (
        <>
          <p className="mb-2 text-sm text-slate-600" role="status">
            {t(filtered ? "audit.matching" : "audit.count", { count: result.total, formatted: formatNumber(result.total, locale) })}
          </p>
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table className="min-w-full divide-y divide-slate-200 text-sm">
              <caption className="sr-only">{t("audit.title")}</caption>
              <thead className="sticky top-0 bg-slate-100">
                <tr>
                  <th scope="col" className="px-4 py-2 text-start font-semibold">{t("audit.columns.when")}</th>
                  <th scope="col" className="px-4 py-2 text-start font-semibold">{t("audit.columns.who")}</th>
                  <th scope="col" className="px-4 py-2 text-start font-semibold">{t("audit.columns.action")}</th>
                  <th scope="col" className="px-4 py-2 text-start font-semibold">{t("audit.columns.entity")}</th>
                  <th scope="col" className="px-4 py-2 text-start font-semibold">{t("audit.columns.ip")}</th>
                  <th scope="col" className="px-4 py-2 text-start font-semibold">{t("audit.columns.details")}</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {result.rows.map((entry) => (
                  <tr key={entry.id} className="align-top">
                    <td className="whitespace-nowrap px-4 py-3">
                      <When at={entry.at} locale={locale} />
                    </td>
                    <td className="px-4 py-3">
                      {entry.userId === null ? (
                        <span className="text-slate-600">{t("audit.anonymous")}</span>
                      ) : entry.userEmail ? (
                        <>
                          <bdi className="block font-medium">{entry.userName}</bdi>
                          <bdi dir="ltr" className="block text-slate-600">
                            {entry.userEmail}
                          </bdi>
                        </>
                      ) : (
                        <span className="text-slate-600">{t("audit.deletedUser", { id: entry.userId })}</span>
                      )}
                    </td>
                    <th scope="row" className="px-4 py-3 text-start font-normal">
                      <code dir="ltr" className="font-mono text-xs">
                        {entry.action}
                      </code>
                    </th>
                    <td className="px-4 py-3">
                      {entry.entityType ? (
                        <code dir="ltr" className="font-mono text-xs">
                          {entry.entityId ? `${entry.entityType} ${entry.entityId}` : entry.entityType}
                        </code>
                      ) : (
                        <span className="text-slate-600">{t("audit.noDetails")}</span>
                      )}
                    </td>
                    <td className="whitespace-nowrap px-4 py-3">
                      {entry.ip ? (
                        <code dir="ltr" className="font-mono text-xs">
                          {entry.ip}
                        </code>
                      ) : (
                        <span className="text-slate-600">{t("audit.noIp")}</span>
                      )}
                    </td>
                    <td className="px-4 py-3">
                      {entry.details ? (
                        <details>
                          <summary className="cursor-pointer text-brand-700">{t("audit.showDetails")}</summary>
                          <pre dir="ltr" className="mt-2 max-w-xl overflow-x-auto whitespace-pre-wrap break-words rounded bg-slate-50 p-2 text-start font-mono text-xs">
                            {JSON.stringify(entry.details, null, 2)}
                          </pre>
                        </details>
                      ) : (
                        <span className="text-slate-600">{t("audit.noDetails")}</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pagination page={result.page} pageCount={result.pageCount} />
        </>
      )}
    </div>
  );
}

/**
 * When an entry was written: in UTC, formatted for the viewer's language, with the exact instant;
 * once the page runs in the browser, also in the viewer's own time zone (the server cannot know
 * it, so it is added after hydration rather than guessed).
 */
function When({ at, locale }: { at: number; locale: string }) {
  const { t } = useTranslation();
  const [zone, setZone] = useState<string | null>(null);
  useEffect(() => {
    const own = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (own && own !== "UTC" && own !== "Etc/UTC") setZone(own);
  }, []);
  const iso = new Date(at).toISOString();
  return (
    <>
      <time dateTime={iso} className="block">
        {formatDateTime(at, "UTC", locale)}
      </time>
      <span dir="ltr" className="block font-mono text-xs text-slate-600">
        {iso}
      </span>
      {zone ? <span className="block text-xs text-slate-600">{t("audit.yourTime", { time: formatDateTime(at, zone, locale) })}</span> : null}
    </>
  );
}
