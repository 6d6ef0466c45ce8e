import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import QRCode from "qrcode";
import { useTranslation } from "~/lib/translation";
import { requireSessionAllowing } from "~/auth/session.server";
import { Button } from "~/components/ui/button";
import { ErrorSummary, TextField } from "~/components/ui/field";
import { Card, Notice, PageHeader } from "~/components/ui/page";
import { redirectWithFlash } from "~/flash.server";
import { readFormData } from "~/lib/form-data.server";
import { formatDateTime } from "~/lib/format";
import { type FieldErrors } from "~/lib/forms";
import { valuesWithoutCode } from "~/auth/change-password.server";
import { pageTitle } from "~/lib/meta";
import { AccountError } from "~/models/accounts.server";
import { confirmEnrolment, ownSecondFactor, removeOwnSecondFactor, renewRecoveryCodes, startEnrolment } from "~/models/second-factor.server";

/** The translation namespaces this page uses besides the common ones (root.tsx) and its parents'. */
export const handle = { i18n: ["account", "errors", "form", "twoFactor"] };

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "twoFactor.title");

/** The page works for a session restricted to enrolment (an administrator or coordinator without one). */
async function requireHere(request: Request) {
  return await requireSessionAllowing(request, "second_factor_enrolment");
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { actor, session } = await requireHere(request);
  const state = await ownSecondFactor(actor);
  const qrSvg = state.pending ? await QRCode.toString(state.pending.uri, { type: "svg", errorCorrectionLevel: "M", margin: 2 }) : null;
  return { state, qrSvg, mustEnrol: session.restriction === "second_factor_enrolment" };
}

/** One secret field at most 256 characters (a password) or 100 (a code). */
function field(formData: FormData, name: string, max: number): string {
  const value = formData.get(name);
  return typeof value === "string" ? value.slice(0, max) : "";
}

export async function action({ request }: ActionFunctionArgs) {
  const { actor, session } = await requireHere(request);
  const formData = await readFormData(request);
  const intent = formData.get("intent");
  const input = { currentPassword: field(formData, "currentPassword", 256), code: field(formData, "code", 100) };
  const missing: FieldErrors = {};
  if (intent !== "start" && intent !== "restart") {
    if (!input.currentPassword) missing.currentPassword = "errors.required";
    if (!input.code.trim()) missing.code = "twoFactor.errors.codeRequired";
  }
  const refuse = (errors: FieldErrors) => data({ ok: false as const, intent: String(intent ?? ""), errors, values: valuesWithoutCode(formData) }, { status: 400 });
  try {
    switch (intent) {
      case "start":
      case "restart":
        await startEnrolment(actor);
        return redirect("/account/two-factor");
      case "confirm": {
        if (Object.keys(missing).length > 0) return refuse(missing);
        // shown once, in this answer: only their hashes are kept, so they cannot travel through a redirect
        const recoveryCodes = await confirmEnrolment(actor, input, session.id);
        return data({ ok: true as const, recoveryCodes, intent: "confirm" });
      }
      case "renew-codes": {
        if (Object.keys(missing).length > 0) return refuse(missing);
        const recoveryCodes = await renewRecoveryCodes(actor, input, session.id);
        return data({ ok: true as const, recoveryCodes, intent: "renew-codes" });
      }
      case "remove": {
        if (Object.keys(missing).length > 0) return refuse(missing);
        await removeOwnSecondFactor(actor, input, session.id);
        return await redirectWithFlash("/account/two-factor", "flash.secondFactorRemoved");
      }
      default:
        return refuse({ form: "errors.unknownAction" });
    }
  } catch (error) {
    if (error instanceof AccountError) return refuse({ [error.field]: error.messageKey });
    throw error;
  }
}

export default function TwoFactor() {
  const { state, qrSvg, mustEnrol } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t, i18n } = useTranslation();
  const busy = navigation.state === "submitting";
  const errors = actionData && !actionData.ok ? actionData.errors : undefined;
  const recoveryCodes = actionData && actionData.ok ? actionData.recoveryCodes : null;
  const labels = { currentPassword: t("account.password.current"), code: t("twoFactor.codeLabel") };

  if (recoveryCodes) {
    return (
      <div className="max-w-2xl space-y-6">
        <PageHeader title={t("twoFactor.title")} crumbs={[{ label: t("account.title"), to: "/account" }, { label: t("twoFactor.title") }]} />
        <Notice tone="success">{t(actionData?.intent === "confirm" ? "twoFactor.enrolled" : "twoFactor.codesRenewed")}</Notice>
        <Card title={t("twoFactor.recovery.title")}>
          <p className="text-sm">{t("twoFactor.recovery.intro")}</p>
          <ol className="mt-4 grid grid-cols-1 gap-2 font-mono text-lg sm:grid-cols-2" dir="ltr" data-recovery-codes="">
            {recoveryCodes.map((code) => (
              <li key={code} className="rounded border border-slate-200 bg-slate-50 px-3 py-1.5">
                {code}
              </li>
            ))}
          </ol>
          <p className="mt-4 text-sm font-medium">{t("twoFactor.recovery.once")}</p>
          <p className="mt-4">
            <Link to="/">{t("twoFactor.recovery.done")}</Link>
          </p>
        </Card>
      </div>
    );
  }

  return (
    <div className="max-w-2xl space-y-6">
      <PageHeader title={t("twoFactor.title")} crumbs={[{ label: t("account.title"), to: "/account" }, { label: t("twoFactor.title") }]} />
      {mustEnrol ? <Notice tone="info">{t("twoFactor.required")}</Notice> : null}
      {errors?.form ? <Notice tone="error">{t(errors.form as "errors.unknownAction")}</Notice> : null}
      <p className="text-sm text-slate-700">{t("twoFactor.intro")}</p>

      {state.enrolled ? (
        <Card title={t("twoFactor.on.title")}>
          <p className="text-sm">
            {t("twoFactor.on.since", { when: formatDateTime(new Date(state.confirmedAt!), "UTC", i18n.language) })}{" "}
            {t("twoFactor.on.codesLeft", { count: state.recoveryCodesLeft })}
          </p>
          <Form method="post" className="mt-4 space-y-4" noValidate>
            <ErrorSummary errors={errors && !errors.form ? errors : undefined} labels={labels} />
            <p className="text-sm text-slate-600">{t("twoFactor.on.confirmHelp")}</p>
            <ReauthenticationFields errors={errors} />
            <p className="text-sm text-slate-600">{t(state.required ? "twoFactor.on.removeRequiredHelp" : "twoFactor.on.removeHelp")}</p>
            <div className="flex flex-wrap gap-3">
              <Button name="intent" value="renew-codes" variant="secondary" disabled={busy}>
                {t("twoFactor.on.renew")}
              </Button>
              <Button name="intent" value="remove" variant="danger" disabled={busy}>
                {t(state.required ? "twoFactor.on.replace" : "twoFactor.on.remove")}
              </Button>
            </div>
          </Form>
        </Card>
      ) : state.pending ? (
        <>
          <Card title={t("twoFactor.setup.step1")}>
            <p className="text-sm">{t("twoFactor.setup.scan")}</p>
            <div className="mt-4 flex flex-col items-start gap-4 sm:flex-row">
              {qrSvg ? (
                <div
                  role="img"
                  aria-label={t("twoFactor.setup.qrAlt")}
                  className="w-48 shrink-0 rounded-lg border border-slate-200 bg-white p-1 [&_svg]:h-auto [&_svg]:w-full"
                  dangerouslySetInnerHTML={{ __html: qrSvg }}
                />
              ) : null}
              <div className="min-w-0 text-sm">
                <p>{t("twoFactor.setup.typeInstead")}</p>
                <p className="mt-2 break-all rounded border border-slate-200 bg-slate-50 px-3 py-2 font-mono text-base" dir="ltr" data-totp-secret="">
                  {state.pending.base32.match(/.{1,4}/g)?.join(" ")}
                </p>
                <p className="mt-2 text-slate-600">{t("twoFactor.setup.settings")}</p>
              </div>
            </div>
          </Card>
          <Card title={t("twoFactor.setup.step2")}>
            <Form method="post" className="space-y-4" noValidate>
              <ErrorSummary errors={errors && !errors.form ? errors : undefined} labels={labels} />
              <ReauthenticationFields errors={errors} codeHint={t("twoFactor.setup.codeHint")} />
              <div className="flex flex-wrap gap-3">
                <Button name="intent" value="confirm" disabled={busy}>
                  {t("twoFactor.setup.confirm")}
                </Button>
                <Button name="intent" value="restart" variant="secondary" disabled={busy}>
                  {t("twoFactor.setup.restart")}
                </Button>
              </div>
            </Form>
          </Card>
        </>
      ) : (
        <Card title={t("twoFactor.off.title")}>
          <p className="text-sm">{t(state.required ? "twoFactor.off.required" : "twoFactor.off.offered")}</p>
          <Form method="post" className="mt-4">
            <Button name="intent" value="start" disabled={busy}>
              {t("twoFactor.off.start")}
            </Button>
          </Form>
        </Card>
      )}
    </div>
  );
}

/** The password and a code: who changes the second factor proves it is them again. */
function ReauthenticationFields({ errors, codeHint }: { errors?: FieldErrors; codeHint?: string }) {
  const { t } = useTranslation();
  return (
    <>
      <TextField
        name="currentPassword"
        type="password"
        label={t("account.password.current")}
        autoComplete="current-password"
        required
        error={errors?.currentPassword}
      />
      <TextField
        name="code"
        label={t("twoFactor.codeLabel")}
        hint={codeHint ?? t("twoFactor.codeHint")}
        autoComplete="one-time-code"
        autoCapitalize="off"
        spellCheck={false}
        dir="ltr"
        required
        error={errors?.code}
      />
    </>
  );
}
