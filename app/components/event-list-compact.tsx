import { useTranslation } from "~/lib/translation";
import { Link } from "@remix-run/react";
import { EventStatusBadge } from "./ui/badge";
import { countryName, formatDayRange } from "~/lib/format";
import { Parts } from "~/components/ui/bidi";

type Row = { id: number; title: string; status: string; registrationClosed?: boolean; startDate: string; endDate: string; country: string; locality: string | null };

export function EventListCompact({ events, empty }: { events: Row[]; empty: string }) {
  const { i18n } = useTranslation();
  if (events.length === 0) return <p className="text-sm text-slate-600">{empty}</p>;
  return (
    <ul className="divide-y divide-slate-100">
      {events.map((e) => (
        <li key={e.id} className="flex flex-wrap items-center justify-between gap-2 py-3">
          <div>
            <Link to={`/events/${e.id}`} className="font-medium">
              {e.title}
            </Link>
            <p className="text-sm text-slate-600">
              {formatDayRange(e.startDate, e.endDate, i18n.language)} ·{" "}
              <Parts parts={[e.locality, countryName(e.country, i18n.language)]} />
            </p>
          </div>
          <EventStatusBadge status={e.status} registrationClosed={e.registrationClosed} />
        </li>
      ))}
    </ul>
  );
}
