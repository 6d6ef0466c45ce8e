import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/lib/translation";
import { forgetEvaluationAccess, readEvaluationAccess } from "~/auth/evaluation-access-cookie.server";
import { clientIp } from "~/auth/session.server";
import { AccessRefused } from "~/components/evaluation-access";
import { FeedbackAnswering, type FeedbackActionResult } from "~/components/feedback-answering";
import { revalidateAfterSecondSubmission, TestTaking, type TestActionData } from "~/components/test-taking";
import { Button } from "~/components/ui/button";
import { PageHeader } from "~/components/ui/page";
import { readFormData } from "~/lib/form-data.server";
import { isTestPhase } from "~/lib/evaluation-access";
import { formatDayRange, formatSessionTime } from "~/lib/format";
import { formValues, parseForm } from "~/lib/forms";
import { OPTIONS_MAX, QUESTIONS_MAX } from "~/lib/knowledge-tests";
import { pageTitle } from "~/lib/meta";
import { feedbackAnswerSchema, sessionFeedbackAnswerSchema } from "~/lib/schemas/feedback";
import { parseAnswerFields } from "~/lib/schemas/knowledge-tests";
import { resolveAccess, takerOfAccess, type EvaluationAccess } from "~/models/evaluation-access.server";
import { feedbackFormForPerson, submitFeedbackAsPerson } from "~/models/feedback.server";
import { FieldError } from "~/models/field-error.server";
import { answerAsTaker, testForTaker } from "~/models/knowledge-tests.server";
import { sessionFeedbackFormForPerson, submitSessionFeedbackAsPerson } from "~/models/session-feedback.server";

/** The translation namespaces this page uses besides the common ones (root.tsx). */
export const handle = { i18n: ["errors", "evaluationAccess", "feedback", "form", "testTaking"] };

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "testTaking.title");

export const headers: HeadersFunction = () => ({ "Cache-Control": "no-store" });

/**
 * /take: the test phase or feedback form (the event's, or one session's) that the personal link or code opened on this device
 * (its token is in the convene_take cookie), for someone without an account. The same page and
 * the same rules as a signed-in participant's: answers in this person's order, saved as they go,
 * one submission, nothing after closing. Nothing else of the app is reachable from here, and the
 * page names nobody.
 */
export const shouldRevalidate = revalidateAfterSecondSubmission;

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const done = url.searchParams.get("done");
  if (done === "finished") return { view: "finished" as const };
  const token = await readEvaluationAccess(request);
  if (!token) return { view: "refused" as const, refusal: "none" as const };
  const result = await resolveAccess(token);
  if (!result.ok) {
    return data({ view: "refused" as const, refusal: result.refusal }, { status: result.refusal === "expired" ? 410 : 403, headers: { "Set-Cookie": await forgetEvaluationAccess() } });
  }
  const access = result.access;
  const taker = { personId: access.personId, eventId: access.eventId };
  if (access.sessionId !== null) return { view: "session" as const, form: await sessionFeedbackFormForPerson(taker, access.sessionId) };
  if (!isTestPhase(access.target)) return { view: "feedback" as const, form: await feedbackFormForPerson(taker) };
  const test = await testForTaker(takerOfAccess({ ...access, target: access.target }, null), access.target);
  return { view: "test" as const, test: { ...test, justSaved: done === "saved" } };
}

/** The access of this request's cookie; anything else is refused before the form is read (403, nothing changes). */
async function requireAccess(request: Request): Promise<EvaluationAccess> {
  const result = await resolveAccess(await readEvaluationAccess(request));
  if (!result.ok) throw new Response("Forbidden", { status: 403, headers: { "Cache-Control": "no-store" } });
  return result.access;
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await readFormData(request);
  if (form.get("intent") === "finish") {
    return redirect("/take?done=finished", { headers: { "Set-Cookie": await forgetEvaluationAccess() } });
  }
  const access = await requireAccess(request);
  const taker = { personId: access.personId, eventId: access.eventId };
  if (access.sessionId !== null) {
    const sessionId = access.sessionId;
    const parsed = parseForm(form, sessionFeedbackAnswerSchema);
    if (!parsed.ok) return data<FeedbackActionResult>({ errors: parsed.errors, values: parsed.values, refusal: null, refusalValues: {} }, { status: 400 });
    return await feedbackAnswered(form, () => submitSessionFeedbackAsPerson(taker, sessionId, parsed.data));
  }
  if (!isTestPhase(access.target)) {
    const parsed = parseForm(form, feedbackAnswerSchema);
    if (!parsed.ok) return data<FeedbackActionResult>({ errors: parsed.errors, values: parsed.values, refusal: null, refusalValues: {} }, { status: 400 });
    return await feedbackAnswered(form, () => submitFeedbackAsPerson(taker, parsed.data));
  }
  const intent = form.get("intent");
  if (intent !== "autosave" && intent !== "save" && intent !== "submit") return data<TestActionData>({ ok: false, error: "errors.unknownAction", answers: {} }, { status: 400 });
  const answers = parseAnswerFields(form, QUESTIONS_MAX * OPTIONS_MAX);
  if (answers === null) return data<TestActionData>({ ok: false, error: "testTaking.errors.mismatch", answers: {} }, { status: 400 });
  const result = await answerAsTaker(takerOfAccess({ ...access, target: access.target }, clientIp(request)), access.target, answers, intent === "submit");
  if (!result.ok) {
    return data<TestActionData>(
      { ok: false, error: result.error, values: result.values, answers: Object.fromEntries(answers) },
      { status: result.error === "testTaking.errors.alreadySubmitted" ? 409 : 400 },
    );
  }
  if (intent === "autosave") return data<TestActionData>({ ok: true, autosaved: true });
  return redirect(`/take?done=${intent === "submit" ? "submitted" : "saved"}`);
}

/** A feedback answer (the event's form or a session's) recorded, or refused with what was sent kept on the page. */
async function feedbackAnswered(form: FormData, record: () => Promise<void>) {
  try {
    await record();
  } catch (error) {
    if (error instanceof FieldError) {
      return data<FeedbackActionResult>({ errors: {}, values: formValues(form), refusal: error.messageKey, refusalValues: error.values }, { status: 400 });
    }
    throw error;
  }
  return redirect("/take");
}

export default function Take() {
  const page = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, i18n } = useTranslation();
  if (page.view === "finished") {
    return (
      <div className="mx-auto max-w-xl space-y-3 rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
        <h1 className="text-2xl font-bold tracking-tight">{t("evaluationAccess.finishedTitle")}</h1>
        <p className="text-slate-700">{t("evaluationAccess.finishedBody")}</p>
      </div>
    );
  }
  if (page.view === "refused") return <AccessRefused kind={page.refusal} />;
  const title = page.view === "test" ? t(`testTaking.phase.${page.test.phase}`) : page.view === "session" ? t("feedback.sessionForm.title") : t("feedback.form.title");
  const event = page.view === "test" ? page.test.event : page.form.event;
  return (
    <div className="mx-auto max-w-2xl space-y-5">
      <PageHeader title={title}>
        {page.view === "session" ? (
          <>
            <p className="text-base font-medium text-slate-900">
              <bdi>{page.form.session.title}</bdi>
            </p>
            <p className="text-sm text-slate-700">
              {formatSessionTime(new Date(page.form.session.startsAt), new Date(page.form.session.endsAt), page.form.event.timeZone, i18n.language)}
            </p>
          </>
        ) : null}
        <p className="text-sm text-slate-700">
          <bdi className="font-medium">{event.title}</bdi>
          {page.view === "test" ? null : <> · {formatDayRange(page.form.event.startDate, page.form.event.endDate, i18n.language)}</>}
        </p>
        <p className="text-xs text-slate-600">{t("evaluationAccess.personal")}</p>
      </PageHeader>
      {page.view === "test" ? (
        <TestTaking test={page.test} actionData={actionData as TestActionData | undefined} />
      ) : (
        <FeedbackAnswering form={page.form} actionData={actionData as FeedbackActionResult | undefined} kind={page.view === "session" ? "session" : "event"} />
      )}
      <Form method="post" className="border-t border-slate-200 pt-4">
        <Button name="intent" value="finish" variant="secondary">
          {t("evaluationAccess.finish")}
        </Button>
      </Form>
    </div>
  );
}
