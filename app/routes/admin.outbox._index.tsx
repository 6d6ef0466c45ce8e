import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { AdminTabs } from "~/components/admin-tabs";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/lib/translation";
import { z } from "zod";
import { requireActor } from "~/auth/session.server";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { EmptyState, Notice, PageHeader } from "~/components/ui/page";
import { Pagination } from "~/components/ui/pagination";
import { config } from "~/config.server";
import { formatDateTime, formatNumber } from "~/lib/format";
import { pageTitle } from "~/lib/meta";
import { listOutbox, OUTBOX_FILTERS, type OutboxFilter } from "~/models/outbox.server";
import { readFormData } from "~/lib/form-data.server";

/** The translation namespaces this page uses besides the common ones (root.tsx) and its parents'. */
export const handle = { i18n: ["outbox", "pagination"] };

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "outbox.title");

/**
 * The status tab and the page travel in the address. The search text is personal data (an email
 * address), so it is sent by POST and never lands in an address, the browser's history or a log.
 */
const filtersSchema = z.object({
  status: z.enum(OUTBOX_FILTERS).catch("all"),
  page: z.coerce.number().int().positive().max(100000).catch(1),
});
const searchSchema = filtersSchema.extend({ q: z.string().trim().max(200).catch("") });

function listAddress(status: OutboxFilter) {
  return status === "all" ? "/admin/outbox" : `/admin/outbox?${new URLSearchParams({ status })}`;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request, ["admin"]);
  const { status, page } = filtersSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return { q: "", result: await listOutbox(actor, { status, page }), mailKept: config().smtpUrl === null };
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireActor(request, ["admin"]);
  const { q, status, page } = searchSchema.parse(Object.fromEntries(await readFormData(request)));
  // without search text, the list is an ordinary page with a shareable address
  if (!q) return redirect(listAddress(status));
  return { q, result: await listOutbox(actor, { q, status, page }) };
}

/** Status in words and colour (never colour alone), in the tones the other badges use. */
const STATUS_TONE: Record<string, string> = {
  pending: "invited",
  sending: "in_progress",
  sent: "active",
  failed: "disabled",
  cancelled: "draft",
};

export default function AdminOutbox() {
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { q, result } = actionData ?? loaderData;
  const { mailKept } = loaderData;
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const inputClass = "block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm";
  return (
    <div>
      <PageHeader title={t("outbox.title")} crumbs={[{ label: t("nav.admin"), to: "/admin/users" }, { label: t("outbox.title") }]} />
      <AdminTabs />
      {mailKept ? (
        <div className="mb-4">
          <Notice>{t("outbox.keptInOutbox")}</Notice>
        </div>
      ) : null}
      <Form method="post" key={`${q}|${result.status}`} className="mb-4 flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-4">
        <input type="hidden" name="status" value={result.status} />
        <div className="min-w-64 flex-1">
          <label htmlFor="q" className="block text-sm font-medium">
            {t("outbox.search")}
          </label>
          <input id="q" name="q" type="search" maxLength={200} defaultValue={q} aria-describedby="q-hint" className={inputClass} />
          <p id="q-hint" className="mt-1 text-xs text-slate-600">
            {t("outbox.searchHint")}
          </p>
        </div>
        <div className="pb-5">
          <Button variant="secondary">{t("outbox.apply")}</Button>
        </div>
      </Form>

      <StatusTabs tabs={result.tabs} current={result.status} q={q} />

      {result.total === 0 ? (
        q ? (
          <EmptyState message={t("outbox.noMatch")} action={<Link to={listAddress(result.status)}>{t("outbox.showAll")}</Link>} />
        ) : (
          <EmptyState message={t(`outbox.empty.${result.status}` as "outbox.empty.all")} />
        )
      ) : (
        <>
          <p className="mb-2 text-sm text-slate-600" role="status">
            {t(q ? "outbox.matching" : "outbox.count", { count: result.total, formatted: formatNumber(result.total, locale) })}
          </p>
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table className="min-w-full divide-y divide-slate-200 text-sm">
              <caption className="sr-only">{t("outbox.title")}</caption>
              <thead className="sticky top-0 bg-slate-100">
                <tr>
                  <th scope="col" className="px-4 py-2 text-start font-semibold">{t("outbox.columns.created")}</th>
                  <th scope="col" className="px-4 py-2 text-start font-semibold">{t("outbox.columns.recipient")}</th>
                  <th scope="col" className="px-4 py-2 text-start font-semibold">{t("outbox.columns.subject")}</th>
                  <th scope="col" className="px-4 py-2 text-start font-semibold">{t("outbox.columns.kind")}</th>
                  <th scope="col" className="px-4 py-2 text-start font-semibold">{t("outbox.columns.status")}</th>
                  <th scope="col" className="px-4 py-2 text-end font-semibold">{t("outbox.columns.attempts")}</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {result.rows.map((m) => (
                  <tr key={m.id} className="hover:bg-slate-50">
                    <td className="whitespace-nowrap px-4 py-3 text-slate-700">{formatDateTime(new Date(m.createdAt), "UTC", locale)}</td>
                    <td className="px-4 py-3">
                      <bdi dir="ltr">{m.toAddress}</bdi>
                    </td>
                    <th scope="row" className="px-4 py-3 text-start font-normal">
                      <Link to={`/admin/outbox/${m.id}`} className="font-medium">
                        <bdi>{m.subject}</bdi>
                      </Link>
                    </th>
                    <td className="px-4 py-3">{t(`outbox.kind.${m.kind}` as "outbox.kind.invitation", { defaultValue: m.kind })}</td>
                    <td className="px-4 py-3">
                      <Badge tone={STATUS_TONE[m.status] ?? "draft"}>{t(`outbox.status.${m.status}` as "outbox.status.pending")}</Badge>
                    </td>
                    <td className="px-4 py-3 text-end tabular-nums">{formatNumber(m.attempts, locale)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {q ? (
            <SearchPagination page={result.page} pageCount={result.pageCount} q={q} status={result.status} />
          ) : (
            <Pagination page={result.page} pageCount={result.pageCount} />
          )}
        </>
      )}
    </div>
  );
}

/**
 * One tab per status with its count. Without a search they are links (shareable addresses); with
 * one they post the search again, so the text stays out of the address.
 */
function StatusTabs({ tabs, current, q }: { tabs: { filter: OutboxFilter; count: number }[]; current: OutboxFilter; q: string }) {
  const { t, i18n } = useTranslation();
  const tabClass = (active: boolean) =>
    `inline-flex items-center gap-1 rounded-md border px-3 py-2 text-sm font-medium no-underline hover:no-underline ${
      active ? "border-brand-700 bg-brand-700 text-white" : "border-slate-300 bg-white text-slate-800 hover:bg-slate-50"
    }`;
  const label = (tab: { filter: OutboxFilter; count: number }) => (
    <>
      {t(`outbox.tabs.${tab.filter}` as "outbox.tabs.all")}
      <span className="tabular-nums">({formatNumber(tab.count, i18n.language)})</span>
    </>
  );
  if (q) {
    return (
      <Form method="post" className="mb-4">
        <input type="hidden" name="q" value={q} />
        <nav aria-label={t("outbox.tabsLabel")}>
          <ul className="flex flex-wrap gap-2">
            {tabs.map((tab) => (
              <li key={tab.filter}>
                <button type="submit" name="status" value={tab.filter} aria-pressed={tab.filter === current} className={tabClass(tab.filter === current)}>
                  {label(tab)}
                </button>
              </li>
            ))}
          </ul>
        </nav>
      </Form>
    );
  }
  return (
    <nav aria-label={t("outbox.tabsLabel")} className="mb-4">
      <ul className="flex flex-wrap gap-2">
        {tabs.map((tab) => (
          <li key={tab.filter}>
            <Link
              to={tab.filter === "all" ? "/admin/outbox" : `?status=${tab.filter}`}
              aria-current={tab.filter === current ? "page" : undefined}
              className={tabClass(tab.filter === current)}
            >
              {label(tab)}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** Pages of a search result: buttons that post the search again. */
function SearchPagination({ page, pageCount, q, status }: { page: number; pageCount: number; q: string; status: OutboxFilter }) {
  const { t } = useTranslation();
  if (pageCount <= 1) return null;
  return (
    <Form method="post" className="mt-4">
      <input type="hidden" name="q" value={q} />
      <input type="hidden" name="status" value={status} />
      <nav aria-label={t("pagination.label")} className="flex items-center justify-between gap-2 text-sm">
        {page > 1 ? (
          <Button variant="ghost" name="page" value={page - 1}>
            {t("pagination.previous")}
          </Button>
        ) : (
          <span />
        )}
        <span className="text-slate-600">{t("pagination.pageOf", { page, pageCount })}</span>
        {page < pageCount ? (
          <Button variant="ghost" name="page" value={page + 1}>
            {t("pagination.next")}
          </Button>
        ) : (
          <span />
        )}
      </nav>
    </Form>
  );
}
