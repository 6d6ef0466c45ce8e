import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "~/lib/translation";
import { z } from "zod";
import { requireActor } from "~/auth/session.server";
import { Button } from "~/components/ui/button";
import { CodeField } from "~/components/ui/code-field";
import { Notice } from "~/components/ui/page";
import { msg } from "~/lib/form-messages";
import { pageTitle } from "~/lib/meta";
import { formatWait } from "~/lib/format";
import { checkedInTo, checkIn, previewCheckIn, TooManyWrongCodes } from "~/models/check-in.server";
import { FieldError } from "~/models/field-error.server";
import { readFormData } from "~/lib/form-data.server";
import { idFrom } from "~/lib/params";

/** The translation namespaces this page uses besides the common ones (root.tsx) and its parents'. */
export const handle = { i18n: ["attendance", "checkIn", "errors", "form"] };

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "checkIn.title");

/** Long enough for "<sessionId>-<code>" with spaces; anything longer is not a code. */
const MAX_CODE_INPUT = 40;

/**
 * A participant checks in to the session in the room: the QR code on the venue screen opens
 * /check-in?c=<sessionId>-<code> (a GET only shows what they are about to confirm), or they type
 * the 6-character code. Anonymous visitors sign in first and come back to the same URL.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const url = new URL(request.url);
  const doneId = idFrom(url.searchParams.get("checkedIn"));
  if (doneId !== null) {
    const done = await checkedInTo(actor.user, doneId);
    if (done) return { view: "done" as const, done };
  }
  const c = url.searchParams.get("c")?.slice(0, MAX_CODE_INPUT) ?? "";
  if (c) return { view: "confirm" as const, c, preview: await previewCheckIn(actor, { code: c }) };
  return { view: "form" as const };
}

const checkInSchema = z.object({
  intent: z.enum(["confirm", "code"]),
  code: z
    .string({ required_error: msg.required, invalid_type_error: msg.required })
    .trim()
    .min(1, msg.required)
    .max(MAX_CODE_INPUT, "checkIn.errors.format"),
});

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const form = await readFormData(request);
  const parsed = checkInSchema.safeParse(Object.fromEntries(form));
  const intent = form.get("intent") === "confirm" ? ("confirm" as const) : ("code" as const);
  const typed = String(form.get("code") ?? "").slice(0, MAX_CODE_INPUT);
  if (!parsed.success) {
    return data({ intent, error: parsed.error.issues[0]?.message ?? msg.required, retryAfterSeconds: 0, values: { code: typed } }, { status: 400 });
  }
  try {
    const result = await checkIn(actor, { code: parsed.data.code });
    return redirect(`/check-in?checkedIn=${result.sessionId}`);
  } catch (error) {
    if (error instanceof FieldError) return data({ intent, error: error.messageKey, retryAfterSeconds: 0, values: { code: typed } }, { status: 400 });
    if (error instanceof TooManyWrongCodes) {
      const wait = error.retryAfterSeconds;
      return data(
        { intent, error: "checkIn.errors.tooMany", retryAfterSeconds: wait, values: { code: typed } },
        { status: 429, headers: { "Retry-After": String(wait), "Cache-Control": "no-store" } },
      );
    }
    throw error;
  }
}

export default function CheckInPage() {
  const page = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, i18n } = useTranslation();
  return (
    <div className="mx-auto w-full max-w-md space-y-5">
      {page.view === "done" ? (
        <>
          <h1 className="text-2xl font-bold tracking-tight">{t("checkIn.successTitle")}</h1>
          <Notice tone="success">
            <p className="text-base font-semibold">{t("checkIn.success", { session: page.done.sessionTitle })}</p>
            <p className="mt-1">
              <bdi>{page.done.eventTitle}</bdi>
            </p>
          </Notice>
          <p className="flex flex-col gap-2 text-sm">
            <Link to="/check-in">{t("checkIn.another")}</Link>
            <Link to="/">{t("checkIn.home")}</Link>
          </p>
        </>
      ) : (
        <>
          <h1 className="text-2xl font-bold tracking-tight">{t("checkIn.title")}</h1>
          {page.view === "form" ? <p className="text-slate-700">{t("checkIn.intro")}</p> : null}
          {actionData?.intent === "confirm" ? (
            <Notice tone="error">{t(actionData.error as "checkIn.errors.invalid", { wait: formatWait(actionData.retryAfterSeconds, i18n.language) })}</Notice>
          ) : null}
          {page.view === "confirm" && !actionData ? <Confirm c={page.c} preview={page.preview} /> : null}
          <CodeForm
            error={actionData?.intent === "code" ? actionData.error : undefined}
            retryAfterSeconds={actionData?.retryAfterSeconds ?? 0}
            value={actionData?.intent === "code" ? actionData.values.code : ""}
            prominent={page.view !== "confirm" || Boolean(actionData) || !page.preview.ok}
          />
        </>
      )}
    </div>
  );
}

type Preview = Awaited<ReturnType<typeof previewCheckIn>>;

/** Confirming is a POST: opening the link (or a browser prefetching it) never checks anyone in. */
function Confirm({ c, preview }: { c: string; preview: Preview }) {
  const { t, i18n } = useTranslation();
  const navigation = useNavigation();
  if (!preview.ok) return <Notice tone="error">{t(preview.error, { wait: formatWait(preview.retryAfterSeconds, i18n.language) })}</Notice>;
  return (
    <section aria-labelledby="confirm-heading" className="space-y-4 rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
      <h2 id="confirm-heading" className="text-lg font-semibold">
        {t("checkIn.confirmTitle")}
      </h2>
      <div>
        <p className="text-lg font-semibold text-slate-900">
          <bdi>{preview.sessionTitle}</bdi>
        </p>
        <p className="text-sm text-slate-700">
          <bdi>{preview.eventTitle}</bdi>
        </p>
      </div>
      <Form method="post" action="/check-in">
        <input type="hidden" name="intent" value="confirm" />
        <input type="hidden" name="code" value={c} />
        <Button className="min-h-12 w-full text-base" disabled={navigation.state === "submitting"}>
          {t("checkIn.confirm")}
        </Button>
      </Form>
    </section>
  );
}

/** For when the camera fails: the 6 characters under the QR code, typed. */
function CodeForm({ error, retryAfterSeconds, value, prominent }: { error?: string; retryAfterSeconds: number; value: string; prominent: boolean }) {
  const { t, i18n } = useTranslation();
  const navigation = useNavigation();
  return (
    <section aria-labelledby="code-heading" className="space-y-3 rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
      <h2 id="code-heading" className="text-lg font-semibold">
        {prominent ? t("checkIn.manualTitle") : t("checkIn.manualInstead")}
      </h2>
      <p className="text-sm text-slate-700">{t("checkIn.manualIntro")}</p>
      <Form method="post" action="/check-in" className="space-y-3" noValidate>
        <input type="hidden" name="intent" value="code" />
        <CodeField
          label={t("checkIn.codeLabel")}
          hint={t("checkIn.codeHint")}
          error={error ? t(error as "checkIn.errors.invalid", { wait: formatWait(retryAfterSeconds, i18n.language) }) : null}
          value={value}
          maxLength={12}
          large
        />
        <Button className="min-h-12 w-full text-base" variant={prominent ? "primary" : "secondary"} disabled={navigation.state === "submitting"}>
          {t("checkIn.submitCode")}
        </Button>
      </Form>
    </section>
  );
}
