import { Form, Link, NavLink, useLocation } from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "~/lib/translation";
import { canReach, type Area } from "~/auth/permissions";
import { LanguageSwitcher } from "./language-switcher";
import type { Role } from "~/lib/domain";

/** `restricted`: the session must change its password or enrol a second factor first (no navigation meanwhile). */
export type ShellUser = { name: string; role: Role; restricted?: boolean };

/** The signed-in user's own settings: password, sessions, language. */
const ACCOUNT_PAGE = "/account";

/** The navigation shows only what the role can use. */
const NAV: { to: string; label: string; area: Area | null; section?: string }[] = [
  { to: "/", label: "nav.home", area: null },
  { to: "/events", label: "nav.events", area: "events" },
  { to: "/people", label: "nav.people", area: "people" },
  { to: "/programmes", label: "nav.programmes", area: "programmes" },
  { to: "/organisations", label: "nav.organisations", area: "organisations" },
  { to: "/action-plans", label: "nav.actionPlans", area: "actionPlans" },
  { to: "/follow-ups", label: "nav.followUps", area: "followUps" },
  { to: "/reports", label: "nav.reports", area: "reports" },
  { to: "/me", label: "nav.me", area: "me" },
  // one entry for the administration's pages (users, outbox, audit log: AdminTabs on each), so
  // that an administrator's bar fits one line at 1280 px in every language
  { to: "/admin/users", label: "nav.admin", area: "admin", section: "/admin" },
];

function NavItems({ role }: { role: Role }) {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  return (
    <>
      {NAV.filter((item) => item.area === null || canReach(role, item.area)).map((item) => {
        const look = (current: boolean) =>
          `block whitespace-nowrap rounded-md px-1.5 py-2 text-sm font-medium no-underline hover:no-underline ${
            current ? "bg-brand-800 text-white" : "text-brand-50 hover:bg-brand-700"
          }`;
        if (item.section !== undefined) {
          // an entry for a section (the administration) is current on every page of it
          const current = pathname === item.section || pathname.startsWith(`${item.section}/`);
          return (
            <li key={item.to}>
              <Link to={item.to} aria-current={current ? "page" : undefined} className={look(current)}>
                {t(item.label as "nav.home")}
              </Link>
            </li>
          );
        }
        return (
          <li key={item.to}>
            {/* NavLink marks the current page (aria-current="page"), and the pages below it but for Home */}
            <NavLink to={item.to} end={item.to === "/"} className={({ isActive }) => look(isActive)}>
              {t(item.label as "nav.home")}
            </NavLink>
          </li>
        );
      })}
    </>
  );
}

export function AppShell({ user, children }: { user: ShellUser | null; children: ReactNode }) {
  const { t } = useTranslation();
  const { pathname, search } = useLocation();
  return (
    <div className="flex min-h-screen flex-col">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:start-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:p-2">
        {t("layout.skipToContent")}
      </a>
      <header className="bg-brand-900 text-white no-print">
        <div className="mx-auto flex max-w-7xl items-center gap-2 px-4 py-2">
          <a href="/" className="text-lg font-bold text-white no-underline hover:no-underline">
            Convene
          </a>
          {user && !user.restricted ? (
            // at 1280 px and wider the bar never wraps: the user's name gives way first (truncated)
            <nav aria-label={t("layout.mainNavigation")} className="hidden flex-1 md:block xl:flex-none">
              <ul className="flex flex-wrap items-center xl:flex-nowrap">
                <NavItems role={user.role} />
              </ul>
            </nav>
          ) : (
            <div className="flex-1" />
          )}
          {user ? <div className="hidden flex-1 xl:block" /> : null}
          <div className={user ? "hidden shrink-0 md:block" : ""}>
            <LanguageSwitcher />
          </div>
          {user ? (
            <div className="hidden min-w-0 items-center gap-3 md:flex">
              {/* name over role: a line of the navigation's width is worth more than one of the header's height */}
              {/* the name may be cut short, never below a 24 × 24 px target (WCAG 2.2 target size) */}
              <span className="flex min-w-6 flex-col text-sm leading-tight">
                <a href={ACCOUNT_PAGE} className="block min-h-6 min-w-6 max-w-40 truncate whitespace-nowrap font-semibold leading-6 text-white" title={user.name}>
                  {user.name}
                </a>
                <span className="max-w-40 truncate whitespace-nowrap text-xs text-brand-100">{t(`roles.${user.role}`)}</span>
              </span>
              <Form method="post" action="/logout" className="shrink-0">
                <button type="submit" className="whitespace-nowrap rounded-md border border-brand-100/40 px-2.5 py-1.5 text-sm hover:bg-brand-700">
                  {t("nav.signOut")}
                </button>
              </Form>
            </div>
          ) : null}
          {user ? (
            // at the inline end (right, or left in Arabic), the panel opening towards the screen's middle
            // a new page closes the menu (keyed by the address): it would otherwise stay open over the page chosen in it
            <details key={pathname + search} className="relative ms-auto md:hidden">
              <summary className="cursor-pointer list-none rounded-md border border-brand-100/40 px-3 py-1.5 text-sm">
                {t("layout.menu")}
              </summary>
              <div className="absolute end-0 z-40 mt-2 w-64 max-w-[calc(100vw-2rem)] rounded-md bg-brand-900 p-3 shadow-lg">
                <p className="mb-2 border-b border-brand-700 pb-2 text-sm">
                  <a href={ACCOUNT_PAGE} className="font-semibold text-white">
                    {user.name}
                  </a>
                  <br />
                  <span className="text-brand-100">{t(`roles.${user.role}`)}</span>
                </p>
                <div className="mb-2">
                  <LanguageSwitcher idSuffix="-mobile" />
                </div>
                {user.restricted ? null : (
                  <nav aria-label={t("layout.mainNavigation")}>
                    <ul className="space-y-1">
                      <NavItems role={user.role} />
                    </ul>
                  </nav>
                )}
                <Form method="post" action="/logout" className="mt-2 border-t border-brand-700 pt-2">
                  <button type="submit" className="w-full rounded-md px-3 py-2 text-start text-sm hover:bg-brand-700">
                    {t("nav.signOut")}
                  </button>
                </Form>
              </div>
            </details>
          ) : null}
        </div>
      </header>
      <main id="main" className="mx-auto w-full max-w-7xl flex-1 px-4 py-6">
        {children}
      </main>
      <footer className="border-t border-slate-200 py-4 text-center text-xs text-slate-600 no-print">{t("layout.footer")}</footer>
    </div>
  );
}
