import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { useTranslation } from "~/lib/translation";
import { limitPostsByIp, startSecondFactorAttempt } from "~/auth/rate-limit.server";
import { pendingSignInCookie } from "~/auth/second-factor.server";
import { clientIp, createLoginSession, getSessionUser, RESTRICTION_PAGES } from "~/auth/session.server";
import { Button } from "~/components/ui/button";
import { TextField } from "~/components/ui/field";
import { Notice } from "~/components/ui/page";
import { readFormData } from "~/lib/form-data.server";
import { formatWait } from "~/lib/format";
import { pageTitle } from "~/lib/meta";
import { completeSignIn, readPendingSignInValue } from "~/models/second-factor.server";

/** The translation namespaces this page uses besides the common ones (root.tsx) and its parents'. */
export const handle = { i18n: ["form", "login", "twoFactor"] };

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "twoFactor.signIn.title");

/** The sign-in waiting for its code, from its signed cookie; none (or ended) starts again at /login. */
async function requirePending(request: Request) {
  const pending = await readPendingSignInValue(await pendingSignInCookie.parse(request.headers.get("Cookie")));
  if (!pending) throw redirect("/login", { headers: { "Cache-Control": "no-store" } });
  return pending;
}

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getSessionUser(request)) return redirect("/");
  await requirePending(request);
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  await limitPostsByIp(request, "second-factor");
  const formData = await readFormData(request);
  const pending = await requirePending(request);
  const code = formData.get("code");
  if (typeof code !== "string" || !code.trim() || code.length > 100) {
    return data({ error: "twoFactor.errors.codeRequired", retryAfterSeconds: 0 }, { status: 400 });
  }
  // wrong codes slow down per account, like wrong passwords (whoever is here knows the password)
  const attempt = await startSecondFactorAttempt(pending.userId);
  if (!attempt.allowed) {
    return data(
      { error: "twoFactor.errors.tooMany", retryAfterSeconds: attempt.retryAfterSeconds },
      { status: 429, headers: { "Retry-After": String(attempt.retryAfterSeconds), "Cache-Control": "no-store" } },
    );
  }
  const result = await completeSignIn(pending, code, clientIp(request));
  if (!result.ok) {
    if (result.reason === "gone") throw redirect("/login", { headers: { "Set-Cookie": await pendingSignInCookie.serialize("", { maxAge: 0 }) } });
    return data({ error: "twoFactor.errors.codeWrong", retryAfterSeconds: 0 }, { status: 400 });
  }
  await attempt.succeeded();
  const restriction = pending.passwordRefused ? "password_change" : null;
  const headers = new Headers();
  headers.append("Set-Cookie", await createLoginSession(result.user, request, restriction));
  headers.append("Set-Cookie", await pendingSignInCookie.serialize("", { maxAge: 0 }));
  return redirect(restriction ? RESTRICTION_PAGES[restriction] : pending.redirectTo, { headers });
}

export default function SecondFactorStep() {
  const { t, i18n } = useTranslation();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const error = actionData?.error;
  return (
    <div className="mx-auto max-w-md">
      <div className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm sm:p-8">
        <h1 className="text-2xl font-bold">{t("twoFactor.signIn.title")}</h1>
        <p className="mt-1 text-sm text-slate-600">{t("twoFactor.signIn.intro")}</p>
        <Form method="post" className="mt-6 space-y-4" noValidate>
          {error === "twoFactor.errors.tooMany" ? (
            <Notice tone="error">{t("twoFactor.errors.tooMany", { wait: formatWait(actionData?.retryAfterSeconds ?? 0, i18n.language) })}</Notice>
          ) : null}
          <TextField
            name="code"
            label={t("twoFactor.signIn.code")}
            hint={t("twoFactor.signIn.codeHint")}
            autoComplete="one-time-code"
            autoCapitalize="off"
            spellCheck={false}
            dir="ltr"
            required
            autoFocus
            error={error && error !== "twoFactor.errors.tooMany" ? error : undefined}
          />
          <Button className="w-full" disabled={navigation.state === "submitting"}>
            {t("twoFactor.signIn.submit")}
          </Button>
        </Form>
        <p className="mt-4 text-sm">
          <Link to="/login">{t("twoFactor.signIn.startAgain")}</Link>
        </p>
      </div>
    </div>
  );
}
