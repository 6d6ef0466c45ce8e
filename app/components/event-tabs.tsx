import { NavLink, useLocation } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "~/lib/translation";

export type EventTab = { to: string; label: string };

/** Which ends of a scrollable row hide tabs, in the row's own direction (start and end, not left and right). */
function hiddenEnds(list: HTMLElement) {
  const { scrollWidth, clientWidth } = list;
  // in right-to-left the row scrolls from 0 to negative values: the distance from the start is |scrollLeft|
  const fromStart = Math.abs(list.scrollLeft);
  return { start: fromStart > 1, end: fromStart + clientWidth < scrollWidth - 1 };
}

/**
 * An event's tabs. On a phone they do not fit: the row scrolls sideways, a fade at an end says tabs
 * are hidden there, and the current tab is scrolled into view (it may be the last one).
 */
export function EventTabs({ base, tabs }: { base: string; tabs: EventTab[] }) {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  const listRef = useRef<HTMLUListElement>(null);
  const [more, setMore] = useState({ start: false, end: false });

  useEffect(() => {
    const list = listRef.current;
    if (!list) return;
    const current = list.querySelector<HTMLElement>("[aria-current=page]");
    if (current) {
      // only sideways: scrollIntoView would also move the page, away from an anchor such as #comments
      const row = list.getBoundingClientRect();
      const tab = current.getBoundingClientRect();
      const margin = 32; // past the fade, so the tab is read in full
      if (tab.left < row.left + margin) list.scrollLeft -= row.left + margin - tab.left;
      else if (tab.right > row.right - margin) list.scrollLeft += tab.right - (row.right - margin);
    }
    const update = () => setMore(hiddenEnds(list));
    update();
    list.addEventListener("scroll", update, { passive: true });
    window.addEventListener("resize", update);
    return () => {
      list.removeEventListener("scroll", update);
      window.removeEventListener("resize", update);
    };
  }, [pathname]);

  const fade = "pointer-events-none absolute inset-y-0 w-10 from-slate-50 to-transparent";
  return (
    <nav aria-label={t("eventTabs.label")} data-event-tabs="" className="relative mb-3 border-b border-slate-200 sm:mb-6">
      <ul ref={listRef} className="-mb-px flex gap-4 overflow-x-auto">
        {tabs.map((tab) => {
          const to = tab.to ? `${base}/${tab.to}` : base;
          return (
            <li key={tab.to} className="shrink-0">
              <NavLink
                to={to}
                end={tab.to === ""}
                className={({ isActive }) =>
                  `inline-block whitespace-nowrap border-b-2 px-1 py-2 text-sm font-medium no-underline hover:no-underline ${
                    isActive ? "border-brand-700 text-brand-800" : "border-transparent text-slate-600 hover:text-slate-900"
                  }`
                }
              >
                {t(tab.label as "eventTabs.overview")}
              </NavLink>
            </li>
          );
        })}
      </ul>
      {/* decoration only: the hidden tabs are still links a keyboard or screen reader reaches */}
      {more.start ? (
        <div data-more="start" aria-hidden="true" className={`${fade} start-0 flex items-center bg-linear-to-r rtl:bg-linear-to-l`}>
          <span className="inline-block text-lg leading-none text-slate-500 rtl:-scale-x-100">‹</span>
        </div>
      ) : null}
      {more.end ? (
        <div data-more="end" aria-hidden="true" className={`${fade} end-0 flex items-center justify-end bg-linear-to-l rtl:bg-linear-to-r`}>
          <span className="inline-block text-lg leading-none text-slate-500 rtl:-scale-x-100">›</span>
        </div>
      ) : null}
    </nav>
  );
}
