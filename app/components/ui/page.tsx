import type { ReactNode } from "react";
import { Link } from "@remix-run/react";
import { useTranslation } from "~/lib/translation";

export type Crumb = { label: string; to?: string };

/** One heading that says what the page is, breadcrumbs back, and the page's main action. */
/** `compact`: on a phone, no breadcrumbs (the menu leads back) and a smaller title, so the page's work starts higher. */
export function PageHeader({ title, crumbs = [], action, children, compact = false }: { title: string; crumbs?: Crumb[]; action?: ReactNode; children?: ReactNode; compact?: boolean }) {
  const { t } = useTranslation();
  return (
    <div className={compact ? "mb-3 space-y-1 sm:mb-6 sm:space-y-2" : "mb-6 space-y-2"}>
      {crumbs.length > 0 ? (
        <nav aria-label={t("layout.breadcrumbs")} className={`text-sm text-slate-600 ${compact ? "hidden sm:block" : ""}`}>
          <ol className="flex flex-wrap items-center gap-1">
            {crumbs.map((crumb, i) => (
              <li key={i} className="flex items-center gap-1">
                {i > 0 ? <span aria-hidden="true">/</span> : null}
                {crumb.to ? <Link to={crumb.to}>{crumb.label}</Link> : <span aria-current="page">{crumb.label}</span>}
              </li>
            ))}
          </ol>
        </nav>
      ) : null}
      <div className="flex flex-wrap items-start justify-between gap-3">
        <h1 className={`${compact ? "text-lg sm:text-2xl" : "text-2xl"} font-bold tracking-tight text-slate-900`}>{title}</h1>
        {action ? <div className="shrink-0">{action}</div> : null}
      </div>
      {children}
    </div>
  );
}

export function Card({ title, children, className = "" }: { title?: string; children: ReactNode; className?: string }) {
  return (
    <section className={`rounded-lg border border-slate-200 bg-white p-5 shadow-sm ${className}`}>
      {title ? <h2 className="mb-3 text-lg font-semibold text-slate-900">{title}</h2> : null}
      {children}
    </section>
  );
}

export function EmptyState({ message, action }: { message: string; action?: ReactNode }) {
  return (
    <div className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-slate-600">
      <p>{message}</p>
      {action ? <div className="mt-4">{action}</div> : null}
    </div>
  );
}

export function Notice({ tone = "info", children }: { tone?: "info" | "success" | "error"; children: ReactNode }) {
  const tones = {
    info: "border-brand-100 bg-brand-50 text-brand-900",
    success: "border-green-200 bg-green-50 text-green-900",
    error: "border-red-300 bg-red-50 text-red-800",
  } as const;
  // a link in a notice's sentence is told apart by its underline, not by colour alone (its text is
  // coloured like the notice's)
  return (
    <div role={tone === "error" ? "alert" : "status"} className={`rounded-md border p-4 text-sm [&_a]:underline ${tones[tone]}`}>
      {children}
    </div>
  );
}

/**
 * A table that may be wider than the screen (a phone): it scrolls sideways, and it can take the
 * keyboard's focus so that it can be scrolled with the arrow keys even when no link is inside it.
 */
export function TableFrame({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div role="region" aria-label={label} tabIndex={0} className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      {children}
    </div>
  );
}
