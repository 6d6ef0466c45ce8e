import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/lib/translation";
import { Notice } from "~/components/ui/page";
import { pageTitle } from "~/lib/meta";
import { idParam } from "~/lib/params";
import { getSessionUser } from "~/auth/session.server";
import { publicEventForRegistration } from "~/models/registrations.server";

/** The translation namespaces this page uses besides the common ones (root.tsx) and its parents'. */
export const handle = { i18n: ["registration"] };

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "registration.title");

const OUTCOMES = ["confirmed", "waitlisted", "applied", "already", "checkEmail"] as const;

/**
 * After registering: what happens next (no personal data in the URL: only the outcome). An
 * anonymous registration always lands on "checkEmail", the same words whatever Convene knew of the
 * email; a signed-in user sees their own outcome.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const event = await publicEventForRegistration(idParam(params.eventId));
  const status = new URL(request.url).searchParams.get("status");
  const outcome = OUTCOMES.find((o) => o === status) ?? "checkEmail";
  const session = await getSessionUser(request);
  return { title: event.title, outcome, participant: session?.user.role === "participant" };
}

export default function RegistrationDone() {
  const { title, outcome, participant } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <div className="mx-auto max-w-2xl space-y-4">
      <h1 className="text-2xl font-bold">{t(`registration.done.${outcome}.title`)}</h1>
      <Notice tone="success">{t(`registration.done.${outcome}.body`, { event: title })}</Notice>
      {outcome === "checkEmail" ? null : <p className="text-sm text-slate-700">{t("registration.done.email")}</p>}
      <p className="text-sm">
        {participant ? <Link to="/me">{t("registration.done.myTrainings")}</Link> : <Link to="/login">{t("registration.done.signIn")}</Link>}
      </p>
    </div>
  );
}
