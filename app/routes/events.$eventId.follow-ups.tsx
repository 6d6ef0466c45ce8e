import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/lib/translation";
import { AREA_ROLES } from "~/auth/permissions";
import { requireRole } from "~/auth/session.server";
import { FollowUpStatusBadge, FollowUpTable } from "~/components/follow-ups";
import { LinkButton } from "~/components/ui/button";
import { Card, EmptyState } from "~/components/ui/page";
import { pageTitle } from "~/lib/meta";
import { idParam } from "~/lib/params";
import { eventFollowUps } from "~/models/follow-ups.server";

/** The translation namespaces this page uses besides the common ones (root.tsx) and its parents'. */
export const handle = { i18n: ["followUpStatus", "followUps", "priority"] };

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  pageTitle(matches, "followUps.event.pageTitle", { event: data?.event.title ?? "" });

/** The event's follow-ups tab: requests raised from it, and the request it answers. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, AREA_ROLES.followUps);
  return await eventFollowUps(user, idParam(params.eventId));
}

export default function EventFollowUps() {
  const { event, raised, answers, canRequest } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const newHref = `/follow-ups/new?eventId=${event.id}`;
  return (
    <div className="space-y-6">
      {answers ? (
        <Card title={t("followUps.event.answers")}>
          <p className="flex flex-wrap items-center gap-2 text-sm">
            <Link to={`/follow-ups/${answers.id}`} className="font-medium">
              <bdi>{answers.title}</bdi>
            </Link>
            <FollowUpStatusBadge status={answers.status} />
            {answers.organisationName ? (
              <span className="text-slate-600">
                <bdi>{answers.organisationName}</bdi>
              </span>
            ) : null}
          </p>
        </Card>
      ) : null}
      <section aria-labelledby="raised-title" className="space-y-3">
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div>
            <h2 id="raised-title" className="text-xl font-semibold">
              {t("followUps.event.raised")}
            </h2>
            <p className="text-sm text-slate-700">{t("followUps.event.intro")}</p>
          </div>
          {canRequest ? <LinkButton to={newHref}>{t("followUps.event.request")}</LinkButton> : null}
        </div>
        {raised.length === 0 ? (
          <EmptyState
            message={t("followUps.event.none")}
            action={canRequest ? <LinkButton to={newHref} variant="secondary">{t("followUps.event.request")}</LinkButton> : undefined}
          />
        ) : (
          <FollowUpTable rows={raised} caption={t("followUps.event.raised")} showOrigin={false} />
        )}
      </section>
    </div>
  );
}
