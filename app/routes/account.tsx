import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { startLoginAttempt, tooManyRequests } from "~/auth/rate-limit.server";
import { clientIp, createLoginSession, endSession, getSessionUser, loginRedirect, requireActor } from "~/auth/session.server";
import { Button } from "~/components/ui/button";
import { ErrorSummary, SelectField, TextField } from "~/components/ui/field";
import { Card, Notice, PageHeader } from "~/components/ui/page";
import { redirectWithFlash } from "~/flash.server";
import { LANGUAGE_NAMES, supportedLocales } from "~/i18n";
import { formatDateTime, formatNumber } from "~/lib/format";
import { formValues, msg, parseForm, type FieldErrors } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "~/lib/schemas/accounts";
import {
  AccountError,
  changePassword,
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
export const handle = { i18n: ["account", "calendarFeed", "errors", "fields", "form"] };

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "account.title");

const changePasswordSchema = z
  .object({
    currentPassword: z.string({ required_error: msg.required }).min(1, msg.required).max(MAX_PASSWORD_LENGTH, msg.passwordLong),
    newPassword: z
      .string({ required_error: msg.required })
      .min(MIN_PASSWORD_LENGTH, msg.passwordShort)
      .max(MAX_PASSWORD_LENGTH, msg.passwordLong),
    confirmPassword: z.string({ required_error: msg.required }),
  })
  .refine((v) => v.newPassword === v.confirmPassword, { message: msg.passwordMismatch, path: ["confirmPassword"] });

/** The signed-in user, where from, and the id of this session (the list marks it and never ends it). */
async function requireOwnSession(request: Request) {
  const found = await getSessionUser(request);
  if (!found) throw loginRedirect(request);
  return { actor: { user: found.user, ip: clientIp(request) }, sessionId: found.session.id };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { actor, sessionId } = await requireOwnSession(request);
  return { account: await getOwnAccount(actor), feed: await ownFeedState(actor.user), sessions: await listOwnSessions(actor, sessionId) };
}

/** A session's handle as the list gives it: the 64 hex digits of its stored hash. */
const HANDLE = /^[0-9a-f]{64}$/;

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const formData = await readFormData(request);
  switch (formData.get("intent")) {
    case "change-password": {
      const parsed = parseForm(formData, changePasswordSchema);
      if (!parsed.ok) return data(parsed, { status: 400 });
      // a wrong current password is a password guess: it counts like a failed sign-in from this address
      const attempt = await startLoginAttempt(actor.user.email, actor.ip);
      if (!attempt.allowed) throw tooManyRequests(attempt.retryAfterSeconds);
      try {
        const user = await changePassword(actor, parsed.data);
        attempt.succeeded();
        // every session ended, this one too: carry on in a brand-new one
        const cookie = await createLoginSession(user, request);
        return await redirectWithFlash("/account", "flash.saved", { headers: { "Set-Cookie": cookie } });
      } catch (error) {
        if (error instanceof AccountError) {
          if (error.field !== "currentPassword") attempt.succeeded();
          return data(
            { ok: false as const, errors: { [error.field]: error.messageKey } as FieldErrors, values: formValues(formData) },
            { status: 400 },
          );
        }
        throw error;
      }
    }
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
  const { account, feed, sessions } = useLoaderData<typeof loader>();
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
        <Form method="post" className="space-y-4" noValidate>
          <input type="hidden" name="intent" value="change-password" />
          <ErrorSummary
            errors={errors && !errors.form ? errors : undefined}
            labels={{
              currentPassword: t("account.password.current"),
              newPassword: t("fields.newPassword"),
              confirmPassword: t("fields.confirmPassword"),
            }}
          />
          {/* lets password managers store the new password against the right account */}
          <input type="text" name="username" autoComplete="username" value={account.email} readOnly hidden />
          <TextField
            name="currentPassword"
            type="password"
            label={t("account.password.current")}
            hint={t("account.password.currentHint")}
            autoComplete="current-password"
            required
            error={errors?.currentPassword}
          />
          <TextField
            name="newPassword"
            type="password"
            label={t("fields.newPassword")}
            hint={t("fields.passwordHint", { min: MIN_PASSWORD_LENGTH })}
            autoComplete="new-password"
            minLength={MIN_PASSWORD_LENGTH}
            required
            error={errors?.newPassword}
          />
          <TextField
            name="confirmPassword"
            type="password"
            label={t("fields.confirmPassword")}
            autoComplete="new-password"
            required
            error={errors?.confirmPassword}
          />
          <p className="text-sm text-slate-600">{t("account.password.note")}</p>
          <Button disabled={busy}>{t("account.password.submit")}</Button>
        </Form>
      </Card>

      <CalendarFeedPanel kind="own" state={feed} created={createdFeed} intent="calendar-feed" timeZone="UTC" />

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
