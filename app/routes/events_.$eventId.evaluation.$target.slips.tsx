import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/lib/translation";
import { requireActor } from "~/auth/session.server";
import { useTargetLabel } from "~/components/evaluation-access";
import { config } from "~/config.server";
import { isAccessTarget } from "~/lib/evaluation-access";
import { pageTitle } from "~/lib/meta";
import { idParam } from "~/lib/params";
import { codeSlips } from "~/models/evaluation-access.server";

/** The translation namespaces this page uses besides the common ones (root.tsx). */
export const handle = { i18n: ["evaluationAccess"] };

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "evaluationAccess.slips");

export const headers: HeadersFunction = () => ({ "Cache-Control": "no-store" });

/**
 * The personal codes of a test phase or a feedback form (the event's or a session's), one slip per person who has not
 * submitted yet, to print and cut. Opening the page is audited (who printed codes for whom).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request, ["admin", "coordinator", "facilitator"]);
  if (!isAccessTarget(params.target)) throw new Response("Not found", { status: 404 });
  return data(await codeSlips(actor, idParam(params.eventId), params.target, config().appUrl), { headers: { "Cache-Control": "no-store" } });
}

export default function CodeSlips() {
  const s = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const target = useTargetLabel()(s.target, s.sessionTitle);
  return (
    <div className="space-y-4">
      <div className="space-y-2 print:hidden">
        <p className="text-sm">
          <Link to={`/events/${s.event.id}/evaluation-access`}>{t("evaluationAccess.back")}</Link>
        </p>
        <h1 className="text-2xl font-bold tracking-tight">{t("evaluationAccess.slipsHeading", { target })}</h1>
        <p className="text-sm text-slate-700">
          <bdi>{s.event.title}</bdi>
        </p>
        <p className="max-w-3xl text-sm text-slate-700">{t("evaluationAccess.slipsHint")}</p>
      </div>
      {s.people.length === 0 ? (
        <p className="text-slate-700">{t("evaluationAccess.slipsEmpty")}</p>
      ) : (
        <ul className="grid gap-0 sm:grid-cols-2 print:grid-cols-2">
          {s.people.map((p) => (
            <li key={p.registrationId} className="break-inside-avoid space-y-1 border border-dashed border-slate-400 bg-white p-4" data-slip="">
              <p className="font-semibold">
                <bdi>{p.name}</bdi>
              </p>
              <p className="text-xs text-slate-700">
                <bdi>{s.event.title}</bdi> · {target}
              </p>
              <p className="text-sm">
                {t("evaluationAccess.slipOpen")}
                <span dir="ltr" className="block font-mono text-xs break-all">
                  {s.entryUrl}
                </span>
              </p>
              <p className="text-sm">
                {t("evaluationAccess.slipCode")}{" "}
                <span dir="ltr" className="font-mono text-2xl font-bold tracking-widest" data-code="">
                  {p.code}
                </span>
              </p>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
