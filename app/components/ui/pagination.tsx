import { Link, useLocation } from "@remix-run/react";
import { useTranslation } from "~/lib/translation";

export function Pagination({ page, pageCount }: { page: number; pageCount: number }) {
  const { t } = useTranslation();
  const location = useLocation();
  if (pageCount <= 1) return null;
  const hrefFor = (p: number) => {
    const params = new URLSearchParams(location.search);
    params.set("page", String(p));
    return `${location.pathname}?${params}`;
  };
  return (
    <nav aria-label={t("pagination.label")} className="mt-4 flex items-center justify-between gap-2 text-sm">
      {page > 1 ? <Link to={hrefFor(page - 1)}>{t("pagination.previous")}</Link> : <span />}
      <span className="text-slate-600">{t("pagination.pageOf", { page, pageCount })}</span>
      {page < pageCount ? <Link to={hrefFor(page + 1)}>{t("pagination.next")}</Link> : <span />}
    </nav>
  );
}
