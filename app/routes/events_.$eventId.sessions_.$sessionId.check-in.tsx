import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { isRouteErrorResponse, Link, useLoaderData, useRevalidator, useRouteError } from "@remix-run/react";
import QRCode from "qrcode";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { useTranslation } from "~/lib/translation";
import { requireActor } from "~/auth/session.server";
import { config } from "~/config.server";
import { formatDateTime, formatTime, formatTimeRange, zoneLabel } from "~/lib/format";
import { pageTitle } from "~/lib/meta";
import { idParam } from "~/lib/params";
import { currentCheckInCode } from "~/models/check-in.server";

/** The translation namespaces this page uses besides the common ones (root.tsx) and its parents'. */
export const handle = { i18n: ["checkIn"] };

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  pageTitle(matches, "checkIn.display.pageTitle", { session: data?.session.title ?? "" });

/** A code on screen must never come from a cache. */
export const headers: HeadersFunction = () => ({ "Cache-Control": "no-store" });

/**
 * The venue screen (projector or a facilitator's phone): the session's QR code and its 6-character
 * code, which change every 30 seconds. Full screen, outside the event's tabs. With JavaScript it
 * asks the server again every 5 seconds; without, the page reloads itself every 15 seconds (both
 * are well inside the minute a code stays valid).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const screen = await currentCheckInCode(actor, idParam(params.sessionId), config().appUrl, idParam(params.eventId));
  // the QR code is drawn on the server as an SVG (no script, no image request)
  const qrSvg = screen.open ? await QRCode.toString(screen.url, { type: "svg", errorCorrectionLevel: "M", margin: 2 }) : null;
  return data(
    {
      session: screen.session,
      event: screen.event,
      open: screen.open,
      state: screen.state,
      opensAt: screen.opensAt,
      closesAt: screen.closesAt,
      secondsLeft: screen.secondsLeft,
      now: screen.now,
      checkInUrl: screen.checkInUrl,
      // nothing to copy from the page while check-in is closed
      code: screen.open ? screen.code : null,
      qrSvg,
    },
    { headers: { "Cache-Control": "no-store" } },
  );
}

const REVALIDATE_MS = 5_000;

/** Ask the server for the current code every few seconds, and at once when the countdown runs out. */
function useLiveCode(secondsAtLoad: number, loadedAt: number) {
  const revalidator = useRevalidator();
  const latest = useRef(revalidator);
  latest.current = revalidator;
  const [secondsLeft, setSecondsLeft] = useState(secondsAtLoad);
  useEffect(() => {
    const receivedAt = Date.now();
    setSecondsLeft(secondsAtLoad);
    const tick = window.setInterval(() => {
      setSecondsLeft(Math.max(0, secondsAtLoad - Math.floor((Date.now() - receivedAt) / 1000)));
    }, 1000);
    return () => window.clearInterval(tick);
  }, [secondsAtLoad, loadedAt]);
  useEffect(() => {
    const poll = window.setInterval(() => {
      if (latest.current.state === "idle") latest.current.revalidate();
    }, REVALIDATE_MS);
    return () => window.clearInterval(poll);
  }, []);
  useEffect(() => {
    if (secondsLeft === 0 && latest.current.state === "idle") latest.current.revalidate();
  }, [secondsLeft]);
  return secondsLeft;
}

function Screen({ children }: { children: ReactNode }) {
  // covers the app's top bar: a projector shows only what the room needs
  return (
    <div className="fixed inset-0 z-50 overflow-y-auto bg-white text-slate-900">
      <div className="mx-auto flex min-h-full max-w-6xl flex-col items-center gap-4 px-4 py-6 text-center sm:gap-6 sm:py-8">
        {children}
      </div>
    </div>
  );
}

export default function CheckInScreen() {
  const screen = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const secondsLeft = useLiveCode(screen.secondsLeft, screen.now);
  const zone = zoneLabel(screen.event.timeZone, new Date(screen.session.startsAt), locale);
  const when = formatTimeRange(screen.session.startsAt, screen.session.endsAt, screen.event.timeZone, locale);
  return (
    <Screen>
      {/* without JavaScript the page reloads itself; with it, this is inert text and useLiveCode takes over */}
      <noscript>
        <meta httpEquiv="refresh" content="15" />
      </noscript>
      <div className="space-y-1">
        <p className="text-base text-slate-600 sm:text-xl">
          <bdi>{screen.event.title}</bdi>
        </p>
        <h1 className="text-2xl font-bold tracking-tight sm:text-4xl">
          <bdi>{screen.session.title}</bdi>
        </h1>
        <p className="text-sm text-slate-700 sm:text-lg">
          {t("checkIn.display.when", { time: when, zone })}
          {screen.session.room ? (
            <>
              {" · "}
              {t("checkIn.display.room", { room: screen.session.room })}
            </>
          ) : null}
        </p>
      </div>

      {screen.open && screen.code && screen.qrSvg ? (
        // phone: one column; projector: the QR code beside the code, both above the fold
        <div className="grid w-full items-center gap-4 sm:gap-6 lg:grid-cols-2 lg:gap-10">
          <div className="flex flex-col items-center gap-3">
            <p className="text-lg font-semibold text-brand-800 sm:text-2xl">{t("checkIn.display.scan")}</p>
            <div
              role="img"
              aria-label={t("checkIn.display.qrAlt")}
              className="w-full max-w-[min(80vw,60vh)] rounded-lg border border-slate-200 bg-white p-2 shadow-sm [&_svg]:h-auto [&_svg]:w-full"
              dangerouslySetInnerHTML={{ __html: screen.qrSvg }}
            />
          </div>
          <div className="flex flex-col items-center gap-3 sm:gap-5">
            <p className="text-base text-slate-700 sm:text-xl">
              {t("checkIn.display.orType")}
              <span dir="ltr" className="block font-semibold break-words">
                {screen.checkInUrl}
              </span>
            </p>
            <p dir="ltr" className="font-mono text-6xl font-bold tracking-[0.2em] text-slate-900 sm:text-8xl">
              <span aria-hidden="true" data-testid="check-in-code">
                {screen.code}
              </span>
              {/* read out one character at a time */}
              <span className="sr-only">{t("checkIn.display.codeSpelled", { code: screen.code.split("").join(" ") })}</span>
            </p>
            <p className="text-base tabular-nums text-slate-700 sm:text-xl" data-testid="check-in-countdown">
              {t("checkIn.display.newCodeIn", { count: secondsLeft })}
            </p>
            <p className="text-sm text-slate-600 sm:text-base">
              {t("checkIn.display.openUntil", { time: formatTime(screen.closesAt, screen.event.timeZone, locale), zone })}
            </p>
          </div>
        </div>
      ) : (
        <div role="status" className="w-full max-w-xl space-y-2 rounded-lg border border-amber-300 bg-amber-50 p-6 text-amber-950">
          <p className="text-xl font-semibold sm:text-2xl">{t("checkIn.display.closedTitle")}</p>
          <p className="sm:text-lg">
            {screen.state === "notYet"
              ? t("checkIn.display.notYet", { time: formatDateTime(screen.opensAt, screen.event.timeZone, locale) })
              : screen.state === "ended"
                ? t("checkIn.display.ended", { time: formatDateTime(screen.closesAt, screen.event.timeZone, locale) })
                : screen.state === "break"
                  ? t("checkIn.display.break")
                  : t("checkIn.display.eventClosed")}
          </p>
          <p className="text-sm">{t("checkIn.display.grace", { count: screen.event.graceMinutes })}</p>
        </div>
      )}

      <p className="mt-auto pt-4 text-sm">
        <Link to={`/events/${screen.event.id}/sessions`}>{t("checkIn.display.back")}</Link>
      </p>
    </Screen>
  );
}

/**
 * 403/404 say so; anything else (the network dropped while polling) keeps trying, so a screen left
 * running in a room comes back on its own.
 */
export function ErrorBoundary() {
  const error = useRouteError();
  const { t } = useTranslation();
  const revalidator = useRevalidator();
  const latest = useRef(revalidator);
  latest.current = revalidator;
  const retry = !isRouteErrorResponse(error) || error.status >= 500;
  useEffect(() => {
    if (!retry) return;
    const poll = window.setInterval(() => {
      if (latest.current.state === "idle") latest.current.revalidate();
    }, REVALIDATE_MS);
    return () => window.clearInterval(poll);
  }, [retry]);
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const key = status === 403 ? "forbidden" : status === 404 ? "notFound" : "offline";
  return (
    <Screen>
      <div role="alert" className="w-full max-w-xl space-y-2 rounded-lg border border-red-300 bg-red-50 p-6 text-red-900">
        <h1 className="text-xl font-semibold sm:text-2xl">{t(`checkIn.display.errors.${key}`)}</h1>
      </div>
      <p className="text-sm">
        <Link to="/events">{t("checkIn.display.toEvents")}</Link>
      </p>
    </Screen>
  );
}
