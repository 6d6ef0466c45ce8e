import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import QRCode from "qrcode";
import { useTranslation } from "~/lib/translation";
import { requireActor } from "~/auth/session.server";
import { useTargetLabel } from "~/components/evaluation-access";
import { config } from "~/config.server";
import { isAccessTarget } from "~/lib/evaluation-access";
import { pageTitle } from "~/lib/meta";
import { idParam } from "~/lib/params";
import { venueScreen } from "~/models/evaluation-access.server";

/** The translation namespaces this page uses besides the common ones (root.tsx). */
export const handle = { i18n: ["evaluationAccess"] };

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "evaluationAccess.screen");

export const headers: HeadersFunction = () => ({ "Cache-Control": "no-store" });

/**
 * The venue screen of a test phase or a feedback form (the event's or a session's): a QR code of the entry page where each
 * person types the personal code from their slip. The QR code itself opens nothing without a code,
 * so it may stay on the projector. Admins, coordinators and the event's facilitators.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request, ["admin", "coordinator", "facilitator"]);
  if (!isAccessTarget(params.target)) throw new Response("Not found", { status: 404 });
  const screen = await venueScreen(actor, idParam(params.eventId), params.target, config().appUrl);
  // drawn on the server as an SVG (no script, no image request)
  const qrSvg = screen.open ? await QRCode.toString(screen.entryUrl, { type: "svg", errorCorrectionLevel: "M", margin: 2 }) : null;
  return data({ ...screen, qrSvg }, { headers: { "Cache-Control": "no-store" } });
}

export default function EvaluationScreen() {
  const s = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const target = useTargetLabel()(s.target, s.sessionTitle);
  return (
    // covers the app's top bar: a projector shows only what the room needs
    <div className="fixed inset-0 z-50 overflow-y-auto bg-white text-slate-900">
      <div className="mx-auto flex min-h-full max-w-6xl flex-col items-center gap-4 px-4 py-6 text-center sm:gap-6 sm:py-8">
        <div className="space-y-1">
          <p className="text-base text-slate-600 sm:text-xl">
            <bdi>{s.event.title}</bdi>
          </p>
          <h1 className="text-2xl font-bold tracking-tight sm:text-4xl">{t("evaluationAccess.screenHeading", { target })}</h1>
        </div>
        {s.open && s.qrSvg ? (
          <div className="grid w-full items-center gap-4 sm:gap-6 lg:grid-cols-2 lg:gap-10">
            <div
              role="img"
              aria-label={t("evaluationAccess.qrAlt")}
              className="mx-auto w-full max-w-[min(80vw,60vh)] rounded-lg border border-slate-200 bg-white p-2 shadow-sm [&_svg]:h-auto [&_svg]:w-full"
              dangerouslySetInnerHTML={{ __html: s.qrSvg }}
            />
            <ol className="space-y-4 text-start text-lg sm:text-2xl">
              <li>
                <span className="font-semibold">1. </span>
                {t("evaluationAccess.screenStep1")}
                <span dir="ltr" className="mt-1 block font-mono text-base font-semibold break-all sm:text-xl" data-testid="entry-url">
                  {s.entryUrl}
                </span>
              </li>
              <li>
                <span className="font-semibold">2. </span>
                {t("evaluationAccess.screenStep2")}
              </li>
            </ol>
          </div>
        ) : (
          <div role="status" className="w-full max-w-xl rounded-lg border border-amber-300 bg-amber-50 p-6 text-xl font-semibold text-amber-950">
            {t("evaluationAccess.screenClosed")}
          </div>
        )}
        <p className="mt-auto pt-4 text-sm">
          <Link to={`/events/${s.event.id}/evaluation-access`}>{t("evaluationAccess.back")}</Link>
        </p>
      </div>
    </div>
  );
}
