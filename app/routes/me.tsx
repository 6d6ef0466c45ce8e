import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireRole } from "~/auth/session.server";
import { EventListCompact } from "~/components/event-list-compact";
import { Card, PageHeader } from "~/components/ui/page";
import { homeFor } from "~/models/home.server";
import { pageTitle } from "~/lib/meta";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "nav.me");

/** A participant's own page: their trainings and action plans. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ["participant"]);
  const home = homeFor(user);
  if (home.role !== "participant") throw new Response("Forbidden", { status: 403 });
  return { name: user.name, registrations: home.registrations, plans: home.plans };
}

export default function Me() {
  const { name, registrations, plans } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <div className="space-y-6">
      <PageHeader title={t("me.title", { name })} />
      <Card title={t("home.participant.myTrainings")}>
        <EventListCompact events={registrations} empty={t("home.participant.noTrainings")} />
      </Card>
      <Card title={t("home.participant.myPlans")}>
        {plans.length === 0 ? (
          <p className="text-sm text-slate-600">{t("home.participant.noPlans")}</p>
        ) : (
          <ul className="space-y-2 text-sm">
            {plans.map((p) => (
              <li key={p.id}>
                <span className="font-medium">{p.title}</span> · {p.eventTitle}
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}
