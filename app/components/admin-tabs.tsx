import { NavLink } from "@remix-run/react";
import { useTranslation } from "~/lib/translation";

/** The administration's pages, as tabs at the top of each. */
export const ADMIN_PAGES = [
  { to: "/admin/users", label: "nav.users" },
  { to: "/admin/outbox", label: "nav.outbox" },
  { to: "/admin/audit", label: "nav.audit" },
] as const;

/** Tabs between the administration's pages (the top bar has one entry for all of them). */
export function AdminTabs() {
  const { t } = useTranslation();
  return (
    <nav aria-label={t("nav.admin")} className="mb-4 border-b border-slate-200">
      <ul className="-mb-px flex flex-wrap gap-4">
        {ADMIN_PAGES.map((page) => (
          <li key={page.to}>
            <NavLink
              to={page.to}
              className={({ isActive }) =>
                `inline-block whitespace-nowrap border-b-2 px-1 py-2 text-sm font-medium no-underline hover:no-underline ${
                  isActive ? "border-brand-700 text-brand-800" : "border-transparent text-slate-700 hover:border-slate-300"
                }`
              }
            >
              {t(page.label)}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
