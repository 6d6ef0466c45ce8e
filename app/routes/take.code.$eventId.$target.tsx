import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import { useTranslation } from "~/lib/translation";
import { keepEvaluationAccess } from "~/auth/evaluation-access-cookie.server";
import { clientIp } from "~/auth/session.server";
import { Button } from "~/components/ui/button";
import { CodeField } from "~/components/ui/code-field";
import { isAccessTarget } from "~/lib/evaluation-access";
import { readFormData } from "~/lib/form-data.server";
import { formatWait } from "~/lib/format";
import { pageTitle } from "~/lib/meta";
import { idParam } from "~/lib/params";
import { CODE_ACCESS_TTL_MS, redeemCode } from "~/models/evaluation-access.server";
import { nowMs } from "~/lib/clock";

/** The translation namespaces this page uses besides the common ones (root.tsx). */
export const handle = { i18n: ["evaluationAccess", "form"] };

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "evaluationAccess.entryHeading");

export const headers: HeadersFunction = ({ actionHeaders }) => {
  const headers = new Headers({ "Cache-Control": "no-store" });
  const retryAfter = actionHeaders.get("Retry-After");
  if (retryAfter) headers.set("Retry-After", retryAfter);
  return headers;
};

/** Long enough for a code typed with spaces or dashes; anything longer is not a code. */
const MAX_CODE_INPUT = 40;

function targetParam(value: string | undefined) {
  if (!isAccessTarget(value)) throw new Response("Not found", { status: 404 });
  return value;
}

/**
 * The page the venue screen's QR code opens: a person types the personal code from their slip.
 * It says nothing about the event (not even whether it exists): a right code leads to /take.
 */
export async function loader({ params }: LoaderFunctionArgs) {
  idParam(params.eventId);
  targetParam(params.target);
  return null;
}

type ActionData = { error: string; retryAfterSeconds: number; code: string };

export async function action({ request, params }: ActionFunctionArgs) {
  const eventId = idParam(params.eventId);
  const target = targetParam(params.target);
  const form = await readFormData(request);
  const raw = form.get("code");
  const typed = typeof raw === "string" ? raw.slice(0, MAX_CODE_INPUT) : "";
  if (typeof raw !== "string" || raw.trim() === "" || raw.length > MAX_CODE_INPUT) {
    return data<ActionData>({ error: "evaluationAccess.errors.codeFormat", retryAfterSeconds: 0, code: typed }, { status: 400 });
  }
  const result = await redeemCode(eventId, target, raw, clientIp(request));
  if (result.ok) {
    return redirect("/take", { headers: { "Set-Cookie": await keepEvaluationAccess(result.token, nowMs() + CODE_ACCESS_TTL_MS), "Cache-Control": "no-store" } });
  }
  if (result.error === "evaluationAccess.errors.tooMany") {
    return data<ActionData>(
      { error: result.error, retryAfterSeconds: result.retryAfterSeconds, code: typed },
      { status: 429, headers: { "Retry-After": String(result.retryAfterSeconds), "Cache-Control": "no-store" } },
    );
  }
  return data<ActionData>({ error: result.error, retryAfterSeconds: 0, code: typed }, { status: 400 });
}

export default function CodeEntry() {
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t, i18n } = useTranslation();
  const error = actionData?.error;
  return (
    <div className="mx-auto w-full max-w-md space-y-5">
      <h1 className="text-2xl font-bold tracking-tight">{t("evaluationAccess.entryHeading")}</h1>
      <Form method="post" className="space-y-3 rounded-lg border border-slate-200 bg-white p-5 shadow-sm" noValidate>
        <CodeField
          label={t("evaluationAccess.entryLabel")}
          hint={t("evaluationAccess.entryHint")}
          error={error ? t(error as "evaluationAccess.errors.wrongCode", { wait: formatWait(actionData?.retryAfterSeconds ?? 0, i18n.language) }) : null}
          value={actionData?.code ?? ""}
          maxLength={MAX_CODE_INPUT}
        />
        <Button className="min-h-12 w-full text-base" disabled={navigation.state === "submitting"}>
          {t("evaluationAccess.entrySubmit")}
        </Button>
      </Form>
    </div>
  );
}
