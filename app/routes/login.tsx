import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "~/lib/translation";
import { limitPostsByIp, startLoginAttempt } from "~/auth/rate-limit.server";
import { pendingSignInCookie } from "~/auth/second-factor.server";
import { clientIp, createLoginSession, getSessionUser, RESTRICTION_PAGES, safeRedirect } from "~/auth/session.server";
import { Button } from "~/components/ui/button";
import { ErrorSummary, TextField } from "~/components/ui/field";
import { Notice } from "~/components/ui/page";
import { parseForm, type FieldErrors } from "~/lib/forms";
import { loginSchema } from "~/lib/schemas/accounts";
import { authenticate, countUsers } from "~/models/accounts.server";
import { passwordRefusedAtSignIn, pendingSignInValue, restrictionAtSignIn } from "~/models/second-factor.server";
import { pageTitle } from "~/lib/meta";
import { formatWait } from "~/lib/format";
import { readFormData } from "~/lib/form-data.server";

/** The translation namespaces this page uses besides the common ones (root.tsx) and its parents'. */
export const handle = { i18n: ["errors", "fields", "form", "login"] };

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "login.title");

export async function loader({ request }: LoaderFunctionArgs) {
  if ((await countUsers()) === 0) return redirect("/setup");
  const session = await getSessionUser(request);
  if (session) return redirect(safeRedirect(new URL(request.url).searchParams.get("redirectTo")));
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  await limitPostsByIp(request, "login");
  const formData = await readFormData(request);
  const parsed = parseForm(formData, loginSchema);
  if (!parsed.ok) return data({ ...parsed, formError: null, retryAfterSeconds: 0 }, { status: 400 });
  const values = { email: parsed.data.email, redirectTo: parsed.data.redirectTo ?? "" };
  // too many failures from this address (on this email, or on any) is refused before any password
  // hash is checked, with the same answer whether or not the email has an account
  const attempt = await startLoginAttempt(parsed.data.email, clientIp(request));
  if (!attempt.allowed) {
    return data(
      { ok: false as const, errors: {} as FieldErrors, values, formError: "login.tooMany", retryAfterSeconds: attempt.retryAfterSeconds },
      { status: 429, headers: { "Retry-After": String(attempt.retryAfterSeconds), "Cache-Control": "no-store" } },
    );
  }
  const result = await authenticate(parsed.data.email, parsed.data.password, clientIp(request));
  if (!result.ok) {
    // One message for an unknown email and a wrong password: the form does not reveal who has an account.
    return data(
      {
        ok: false as const,
        errors: {} as FieldErrors,
        values,
        formError: result.reason === "disabled" ? "login.disabled" : "login.invalid",
        retryAfterSeconds: 0,
      },
      { status: 400 },
    );
  }
  await attempt.succeeded(); // the right password: this attempt was not a failure
  // the only moment the password is known: one the policy now refuses must be changed first
  const passwordRefused = await passwordRefusedAtSignIn(result.user, parsed.data.password);
  const redirectTo = safeRedirect(parsed.data.redirectTo);
  if (result.secondFactor) {
    // no session yet: a signed cookie carries the sign-in to its code step
    const pending = await pendingSignInValue({ userId: result.user.id, passwordRefused, redirectTo });
    return redirect("/login/two-factor", { headers: { "Set-Cookie": await pendingSignInCookie.serialize(pending), "Cache-Control": "no-store" } });
  }
  const restriction = await restrictionAtSignIn(result.user, passwordRefused);
  const cookie = await createLoginSession(result.user, request, restriction);
  return redirect(restriction ? RESTRICTION_PAGES[restriction] : redirectTo, { headers: { "Set-Cookie": cookie } });
}

export default function Login() {
  const { t, i18n } = useTranslation();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const navigation = useNavigation();
  const errors = actionData && !actionData.ok ? actionData.errors : undefined;
  const values = actionData && !actionData.ok ? actionData.values : {};
  const formError = actionData && "formError" in actionData ? actionData.formError : null;
  const retryAfterSeconds = actionData && "retryAfterSeconds" in actionData ? actionData.retryAfterSeconds : 0;
  const redirectTo = values.redirectTo ?? searchParams.get("redirectTo") ?? "";
  return (
    <div className="mx-auto max-w-md">
      <div className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm sm:p-8">
        <h1 className="text-2xl font-bold">{t("login.title")}</h1>
        <p className="mt-1 text-sm text-slate-600">{t("login.intro")}</p>
        <Form method="post" className="mt-6 space-y-4" noValidate>
          {formError === "login.tooMany" ? (
            <Notice tone="error">{t("login.tooMany", { wait: formatWait(retryAfterSeconds, i18n.language) })}</Notice>
          ) : formError ? (
            <Notice tone="error">{t(formError as "login.invalid")}</Notice>
          ) : null}
          <ErrorSummary errors={errors} labels={{ email: t("fields.email"), password: t("fields.password") }} />
          <input type="hidden" name="redirectTo" value={redirectTo} />
          <TextField
            name="email"
            type="email"
            label={t("fields.email")}
            autoComplete="username"
            required
            defaultValue={values.email}
            error={errors?.email}
          />
          <TextField
            name="password"
            type="password"
            label={t("fields.password")}
            autoComplete="current-password"
            required
            error={errors?.password}
          />
          <Button className="w-full" disabled={navigation.state === "submitting"}>
            {t("login.submit")}
          </Button>
        </Form>
        <p className="mt-4 text-sm">
          <Link to="/forgot-password">{t("login.forgot")}</Link>
        </p>
      </div>
    </div>
  );
}
