import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "~/lib/translation";
import { changeOwnPassword } from "~/auth/change-password.server";
import { clientIp, endSession, requireActor, requireSession } from "~/auth/session.server";
import { ChangePasswordForm } from "~/components/change-password-form";
import { Button } from "~/components/ui/button";
import { SelectField } from "~/components/ui/field";
import { Card, Notice, PageHeader } from "~/components/ui/page";
import { redirectWithFlash } from "~/flash.server";
import { LANGUAGE_NAMES, supportedLocales } from "~/i18n";
import { formatDateTime, formatNumber } from "~/lib/format";
import { type FieldErrors } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { hasSecondFactor } from "~/models/second-factor.server";
import {
  AccountError,
  endOtherSessions,
  endOwnSession,
  getOwnAccount,
  listOwnSessions,
  signOutEverywhere,
  type OwnSession,
} from "~/models/accounts.server";
import { readFormData } from "~/lib/form-data.server";
import { CalendarFeedPanel } from "~/components/calendar-feed";
import { config } from "~/config.server";
import { feedUrls, ownFeedState, renewOwnFeed } from "~/models/calendar-feeds.server";

/** The translation namespaces this page uses besides the common ones (root.tsx) and its parents'. */
export const handle = { i18n: ["account", "calendarFeed", "errors", "fields", "form", "twoFactor"] };

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "account.title");

/** The signed-in user, where from, and the id of this session (the list marks it and never ends it). */
async function requireOwnSession(request: Request) {
  const found = await requireSession(request);
  return { actor: { user: found.user, ip: clientIp(request) }, sessionId: found.session.id };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { actor, sessionId } = await requireOwnSession(request);
  return {
    account: await getOwnAccount(actor),
    feed: await ownFeedState(actor.user),
    sessions: await listOwnSessions(actor, sessionId),
    secondFactor: await hasSecondFactor(actor.user.id),
  };
}

/** A session's handle as the list gives it: the 64 hex digits of its stored hash. */
const HANDLE = /^[0-9a-f]{64}$/;

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const formData = await readFormData(request);
  switch (formData.get("intent")) {
    case "change-password":
      return await changeOwnPassword(request, actor, formData, "/account");
    case "calendar-feed": {
      // the new address is shown once, in this answer: only its hash is kept, so it cannot travel through a redirect
      const token = await renewOwnFeed(actor);
      return data({ ok: true as const, feed: feedUrls(config().appUrl, token) });
    }
    case "end-session": {
      const { sessionId } = await requireOwnSession(request);
      const handle = formData.get("session");
      if (typeof handle !== "string" || !HANDLE.test(handle)) {
        return data({ ok: false as const, errors: { form: "account.sessions.unknown" } as FieldErrors, values: {} }, { status: 400 });
      }
      try {
        await endOwnSession(actor, handle, sessionId);
      } catch (error) {
        if (error instanceof AccountError) return data({ ok: false as const, errors: { form: error.messageKey } as FieldErrors, values: {} }, { status: 400 });
        if (error instanceof Response && error.status === 404) {
          return data({ ok: false as const, errors: { form: "account.sessions.unknown" } as FieldErrors, values: {} }, { status: 404 });
        }
        throw error;
      }
      return await redirectWithFlash("/account", "flash.sessionEnded");
    }
    case "end-other-sessions": {
      const { sessionId } = await requireOwnSession(request);
      await endOtherSessions(actor, sessionId);
      return await redirectWithFlash("/account", "flash.otherSessionsEnded");
    }
    case "sign-out-everywhere": {
      await signOutEverywhere(actor);
      return redirect("/login", { headers: { "Set-Cookie": await endSession(request) } });
    }
    default:
      return data({ ok: false as const, errors: { form: "errors.unknownAction" } as FieldErrors, values: {} }, { status: 400 });
  }
}

export default function Account() {
  const { account, feed, sessions, secondFactor } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const errors = actionData && !actionData.ok ? actionData.errors : undefined;
  const createdFeed = actionData && actionData.ok ? actionData.feed : null;
  const busy = navigation.state === "submitting";
  return (
    <div className="max-w-2xl space-y-6">
      <PageHeader title={t("account.title")} crumbs={[{ label: t("nav.home"), to: "/" }, { label: t("account.title") }]} />
      {errors?.form ? <Notice tone="error">{t(errors.form as "errors.unknownAction")}</Notice> : null}

      <Card title={t("account.profile.title")}>
        <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-3">
          <dt className="font-medium text-slate-700">{t("fields.name")}</dt>
          <dd className="sm:col-span-2">
            <bdi>{account.name}</bdi>
          </dd>
          <dt className="font-medium text-slate-700">{t("fields.email")}</dt>
          <dd className="sm:col-span-2">
            <bdi dir="ltr">{account.email}</bdi>
          </dd>
          <dt className="font-medium text-slate-700">{t("fields.role")}</dt>
          <dd className="sm:col-span-2">{t(`roles.${account.role}`)}</dd>
          <dt className="font-medium text-slate-700">{t("account.profile.organisation")}</dt>
          <dd className="sm:col-span-2">{account.organisationName ? <bdi>{account.organisationName}</bdi> : t("account.profile.noOrganisation")}</dd>
          <dt className="font-medium text-slate-700">{t("account.profile.lastLogin")}</dt>
          <dd className="sm:col-span-2">
            {account.lastLoginAt ? formatDateTime(new Date(account.lastLoginAt), "UTC", locale) : t("account.profile.never")}
          </dd>
          <dt className="font-medium text-slate-700">{t("account.profile.createdAt")}</dt>
          <dd className="sm:col-span-2">{formatDateTime(new Date(account.createdAt), "UTC", locale)}</dd>
        </dl>
        <p className="mt-3 text-sm text-slate-600">{t("account.profile.changeHint")}</p>
      </Card>

      <Card title={t("account.language.title")}>
        {/* the one place a language choice is saved: /settings/language (profile and cookie) */}
        <Form method="post" action="/settings/language" className="space-y-3">
          <input type="hidden" name="redirectTo" value="/account" />
          <SelectField
            name="locale"
            label={t("account.language.label")}
            hint={t("account.language.hint")}
            defaultValue={locale}
            key={locale}
            options={supportedLocales.map((l) => ({ value: l, label: LANGUAGE_NAMES[l] }))}
          />
          <Button variant="secondary">{t("account.language.save")}</Button>
        </Form>
      </Card>

      <Card title={t("account.password.title")}>
        <ChangePasswordForm email={account.email} secondFactor={secondFactor} errors={errors && !errors.form ? errors : undefined} busy={busy} />
      </Card>

      <Card title={t("account.secondFactor.title")}>
        <p className="text-sm">
          {secondFactor ? t("account.secondFactor.on") : t(account.role === "admin" || account.role === "coordinator" ? "account.secondFactor.offRequired" : "account.secondFactor.off")}
        </p>
        <p className="mt-3">
          <Link to="/account/two-factor">{t(secondFactor ? "account.secondFactor.manage" : "account.secondFactor.setUp")}</Link>
        </p>
      </Card>

      <CalendarFeedPanel kind="own" state={feed} created={createdFeed} intent="calendar-feed" timeZone="UTC" />

      <Card title={t("account.apiTokens.title")}>
        <p className="text-sm">{t("account.apiTokens.text")}</p>
        <p className="mt-3">
          <Link to="/account/tokens">{t("account.apiTokens.manage")}</Link>
        </p>
      </Card>

      {account.role === "admin" || account.role === "coordinator" ? (
        <Card title={t("account.webhooks.title")}>
          <p className="text-sm">{t("account.webhooks.text")}</p>
          <p className="mt-3">
            <Link to="/account/webhooks">{t("account.webhooks.manage")}</Link>
          </p>
        </Card>
      ) : null}

      <Card title={t("account.sessions.title")}>
        <p className="text-sm">
          {t("account.sessions.count", { count: account.activeSessions, formatted: formatNumber(account.activeSessions, locale) })}
        </p>
        <ul className="mt-3 divide-y divide-slate-200 border-y border-slate-200">
          {sessions.map((session) => (
            <SessionLine key={session.handle} session={session} busy={busy} />
          ))}
        </ul>
        <p className="mt-3 text-sm text-slate-600">{t("account.sessions.help")}</p>
        <p className="mt-4 border-t border-slate-200 pt-4 text-sm">{t("account.sessions.signOutHelp")}</p>
        <Form method="post" className="mt-3 flex flex-wrap gap-3">
          {sessions.length > 1 ? (
            <Button name="intent" value="end-other-sessions" variant="secondary" disabled={busy}>
              {t("account.sessions.endOthers")}
            </Button>
          ) : null}
          <Button name="intent" value="sign-out-everywhere" variant="danger" disabled={busy}>
            {t("account.sessions.signOutEverywhere")}
          </Button>
        </Form>
      </Card>
    </div>
  );
}

/** One session: its browser and system, where and when it was used; "End" for any but this one. */
function SessionLine({ session, busy }: { session: OwnSession; busy: boolean }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const device = [session.browser, session.os].filter(Boolean).join(" · ") || t("account.sessions.unknownDevice");
  return (
    <li className="flex flex-wrap items-start justify-between gap-3 py-3 sm:flex-nowrap">
      <div className="min-w-0 flex-1 text-sm">
        <p className="font-medium">
          <bdi dir="ltr">{device}</bdi>
          {session.current ? <span className="ms-2 rounded bg-emerald-50 px-1.5 py-0.5 text-xs font-medium text-emerald-800">{t("account.sessions.thisOne")}</span> : null}
        </p>
        <p className="text-slate-600">
          {t("account.sessions.signedIn", { when: formatDateTime(new Date(session.createdAt), "UTC", locale) })}
          {session.lastUsedAt ? ` · ${t("account.sessions.lastUsed", { when: formatDateTime(new Date(session.lastUsedAt), "UTC", locale) })}` : null}
        </p>
        {session.ip ? (
          <p className="text-slate-600">
            {t("account.sessions.address")} <bdi dir="ltr">{session.ip}</bdi>
          </p>
        ) : null}
      </div>
      {session.current ? null : (
        <Form method="post" className="shrink-0">
          <input type="hidden" name="session" value={session.handle} />
          <Button name="intent" value="end-session" variant="secondary" disabled={busy} aria-label={t("account.sessions.endLabel", { device })}>
            {t("account.sessions.end")}
          </Button>
        </Form>
      )}
    </li>
  );
}
