import { Form } from "@remix-run/react";
import { useState } from "react";
import { useTranslation } from "~/lib/translation";
import { Button } from "./ui/button";
import { Card } from "./ui/page";
import { formatDateTime } from "~/lib/format";

export type FeedState = { createdAt: number; lastUsedAt: number | null } | null;
export type NewFeed = { https: string; webcal: string } | null;

/**
 * A private calendar feed: make it, see its new address once (with a copy button and a webcal://
 * link for Apple Calendar and other apps), reset it after a confirmation. The same panel serves a
 * user's own feed (account page) and an event's feed for staff (timetable). `intent` names the
 * form's action on the page that shows it.
 */
export function CalendarFeedPanel({
  kind,
  state,
  created,
  intent,
  timeZone,
}: {
  kind: "own" | "event";
  state: FeedState;
  created: NewFeed;
  intent: string;
  /** the zone dates are shown in (the account page: UTC; an event: its own) */
  timeZone: string;
}) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const id = `feed-${kind}`;
  return (
    <Card title={kind === "own" ? t("calendarFeed.ownTitle") : t("calendarFeed.eventTitle")}>
      <p className="mb-3 text-sm text-slate-700">{kind === "own" ? t("calendarFeed.ownIntro") : t("calendarFeed.eventIntro")}</p>
      {created ? <NewLink id={id} created={created} /> : null}
      {!state ? (
        <Form method="post" className="space-y-3">
          <p className="text-sm">{t("calendarFeed.none")}</p>
          <Button name="intent" value={intent}>
            {t("calendarFeed.create")}
          </Button>
        </Form>
      ) : (
        <div className="space-y-3 text-sm">
          {created ? null : (
            <>
              <p>
                {t("calendarFeed.createdOn", { date: formatDateTime(new Date(state.createdAt), timeZone, locale) })}{" "}
                {state.lastUsedAt
                  ? t("calendarFeed.lastUsed", { date: formatDateTime(new Date(state.lastUsedAt), timeZone, locale) })
                  : t("calendarFeed.neverUsed")}
              </p>
              <p className="text-slate-600">{t("calendarFeed.lostHint")}</p>
            </>
          )}
          <details>
            <summary className="cursor-pointer font-medium text-red-800">{t("calendarFeed.reset")}</summary>
            <Form method="post" className="mt-2 max-w-xl space-y-2 rounded-md border border-red-200 bg-red-50 p-3">
              <p className="font-medium text-red-900">{t("calendarFeed.resetQuestion")}</p>
              <p className="text-red-900">{t("calendarFeed.resetEffect")}</p>
              <Button name="intent" value={intent} variant="danger">
                {t("calendarFeed.resetConfirm")}
              </Button>
            </Form>
          </details>
        </div>
      )}
    </Card>
  );
}

function NewLink({ id, created }: { id: string; created: { https: string; webcal: string } }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(created.https);
      setCopied(true);
    } catch {
      // no clipboard (an insecure page, a refusal): select the text so that the user copies it
      const input = document.getElementById(`${id}-url`) as HTMLInputElement | null;
      input?.select();
    }
  };
  return (
    <div className="mb-4 space-y-3 rounded-md border border-green-200 bg-green-50 p-4 text-sm text-green-950">
      <h3 className="font-semibold">{t("calendarFeed.newLink")}</h3>
      <p>{t("calendarFeed.copyNow")}</p>
      <div className="space-y-1">
        <label htmlFor={`${id}-url`} className="block font-medium">
          {t("calendarFeed.linkLabel")}
        </label>
        <div className="flex flex-col gap-2 sm:flex-row">
          <input
            id={`${id}-url`}
            type="text"
            readOnly
            value={created.https}
            dir="ltr"
            onFocus={(e) => e.currentTarget.select()}
            className="block w-full min-w-0 rounded-md border border-slate-300 bg-white px-3 py-2 font-mono text-sm text-slate-900"
            data-testid="feed-url"
          />
          <Button type="button" variant="secondary" onClick={copy} className="shrink-0">
            {t("calendarFeed.copy")}
          </Button>
        </div>
        <p aria-live="polite" className="min-h-5 font-medium">
          {copied ? t("calendarFeed.copied") : ""}
        </p>
      </div>
      <p>
        <a href={created.webcal} className="font-medium" data-testid="feed-webcal">
          {t("calendarFeed.openWebcal")}
        </a>
      </p>
      <div>
        <h4 className="font-medium">{t("calendarFeed.howTo")}</h4>
        <ul className="mt-1 list-disc space-y-1 ps-5">
          <li>{t("calendarFeed.howGoogle")}</li>
          <li>{t("calendarFeed.howOutlook")}</li>
          <li>{t("calendarFeed.howApple")}</li>
        </ul>
        <p className="mt-2">{t("calendarFeed.refreshNote")}</p>
      </div>
    </div>
  );
}
