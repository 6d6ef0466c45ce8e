import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/lib/translation";
import { requireActor, requireUser } from "~/auth/session.server";
import { revalidateAfterSecondSubmission, TestTaking, type TestActionData } from "~/components/test-taking";
import { PageHeader } from "~/components/ui/page";
import { readFormData } from "~/lib/form-data.server";
import { isTestPhase, OPTIONS_MAX, QUESTIONS_MAX } from "~/lib/knowledge-tests";
import { pageTitle } from "~/lib/meta";
import { idParam } from "~/lib/params";
import { parseAnswerFields } from "~/lib/schemas/knowledge-tests";
import { answerTest, requireTestTaker, testForParticipant } from "~/models/knowledge-tests.server";

/** The translation namespaces this page uses besides the common ones (root.tsx) and its parents'. */
export const handle = { i18n: ["errors", "testTaking"] };

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "testTaking.title");

function phaseParam(value: string | undefined) {
  if (!isTestPhase(value)) throw new Response("Not found", { status: 404 });
  return value;
}

/** A participant's pre-test or post-test, on their phone: the questions, their saved answers, where the phase stands. */
export const shouldRevalidate = revalidateAfterSecondSubmission;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const eventId = idParam(params.eventId);
  const phase = phaseParam(params.phase);
  const test = await testForParticipant(user, eventId, phase);
  const url = new URL(request.url);
  return { ...test, justSaved: url.searchParams.get("done") === "saved", justSubmitted: url.searchParams.get("done") === "submitted" };
}

type ActionData = TestActionData;

/**
 * Save (as the person goes: `autosave` from the page's script, `save` from the button) or submit.
 * Whose answers they are comes from the session: the form carries only question and option ids.
 */
export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const eventId = idParam(params.eventId);
  const phase = phaseParam(params.phase);
  // rights first: someone who may not take this test gets 404, whatever the form says
  await requireTestTaker(actor.user, eventId);
  const form = await readFormData(request);
  const intent = form.get("intent");
  if (intent !== "autosave" && intent !== "save" && intent !== "submit") return data<ActionData>({ ok: false, error: "errors.unknownAction", answers: {} }, { status: 400 });
  const answers = parseAnswerFields(form, QUESTIONS_MAX * OPTIONS_MAX);
  if (answers === null) return data<ActionData>({ ok: false, error: "testTaking.errors.mismatch", answers: {} }, { status: 400 });
  const result = await answerTest(actor, eventId, phase, answers, intent === "submit");
  if (!result.ok) {
    return data<ActionData>({ ok: false, error: result.error, values: result.values, answers: Object.fromEntries(answers) }, { status: result.error === "testTaking.errors.alreadySubmitted" ? 409 : 400 });
  }
  if (intent === "autosave") return data<ActionData>({ ok: true, autosaved: true });
  return redirect(`/me/tests/${eventId}/${phase}?done=${intent === "submit" ? "submitted" : "saved"}`);
}

export default function TakeTest() {
  const test = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const { t } = useTranslation();
  const phaseName = t(`testTaking.phase.${test.phase}`);
  return (
    <div className="mx-auto max-w-2xl space-y-5">
      <PageHeader title={t("testTaking.heading", { phase: phaseName })} crumbs={[{ label: t("nav.me"), to: "/me" }, { label: phaseName }]}>
        <p className="text-sm text-slate-700">
          <bdi>{test.event.title}</bdi>
        </p>
      </PageHeader>
      <TestTaking test={test} actionData={actionData} />
      <p className="text-sm">
        <Link to="/me">{t("testTaking.backToMe")}</Link>
      </p>
    </div>
  );
}
