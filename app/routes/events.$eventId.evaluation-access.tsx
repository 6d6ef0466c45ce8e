import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "~/lib/translation";
import { z } from "zod";
import { requireActor } from "~/auth/session.server";
import { Badge } from "~/components/ui/badge";
import { isolated } from "~/components/ui/bidi";
import { Button } from "~/components/ui/button";
import { inputClass } from "~/components/ui/field";
import { Card, Notice } from "~/components/ui/page";
import { config } from "~/config.server";
import { redirectWithFlash } from "~/flash.server";
import { LANGUAGE_NAMES, supportedLocales } from "~/i18n";
import { isAccessTarget, type AccessTarget } from "~/lib/evaluation-access";
import { readFormData } from "~/lib/form-data.server";
import { formatNumber, formatSessionTime } from "~/lib/format";
import { parseForm } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { idParam } from "~/lib/params";
import { accessOverview, emailPersonalLinks } from "~/models/evaluation-access.server";
import { FieldError } from "~/models/field-error.server";

/** The translation namespaces this page uses besides the common ones (root.tsx) and its parents'. */
export const handle = { i18n: ["evaluationAccess", "errors"] };

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "evaluationAccess.title");

/**
 * The event's links and codes for people without an account: per test phase, the end-of-event
 * feedback form and each open session form, who has not submitted yet; coordinators email
 * personal links; coordinators and the event's facilitators open the venue screen and print the
 * personal codes.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request, ["admin", "coordinator", "facilitator"]);
  return await accessOverview(actor, idParam(params.eventId));
}

const actionSchema = z.object({ intent: z.literal("email"), target: z.string().max(40).refine(isAccessTarget).transform((t) => t as AccessTarget), language: z.enum(supportedLocales) });

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request, ["admin", "coordinator"]);
  const eventId = idParam(params.eventId);
  const parsed = parseForm(await readFormData(request), actionSchema);
  if (!parsed.ok) return data({ error: "errors.unknownAction", target: null as string | null }, { status: 400 });
  try {
    await emailPersonalLinks(actor, eventId, parsed.data.target, parsed.data.language, config().appUrl);
  } catch (error) {
    if (error instanceof FieldError) return data({ error: error.messageKey, target: parsed.data.target as string | null }, { status: 400 });
    throw error;
  }
  return await redirectWithFlash(`/events/${eventId}/evaluation-access`, "flash.evaluationLinksSent");
}

const TONE = { open: "active", notOpen: "draft", closed: "disabled", none: "draft" } as const;

type Overview = ReturnType<typeof useLoaderData<typeof loader>>;
type TargetRow = Overview["targets"][number] | Overview["sessions"][number];

export default function EvaluationAccess() {
  const o = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, i18n } = useTranslation();
  return (
    <div className="space-y-4">
      <div className="space-y-1">
        <h2 className="text-xl font-semibold">{t("evaluationAccess.title")}</h2>
        <p className="max-w-3xl text-sm text-slate-700">{t("evaluationAccess.intro")}</p>
      </div>
      {/* a refusal of a card no longer shown (a session form closed meanwhile) is said at the top */}
      {actionData && ![...o.targets, ...o.sessions].some((x) => x.target === actionData.target) ? <Notice tone="error">{t(actionData.error as "errors.unknownAction")}</Notice> : null}
      <div className="grid gap-4 lg:grid-cols-3">
        {o.targets.map((x) => (
          <TargetCard key={x.target} x={x} title={t(`evaluationAccess.target.${x.target}`)} eventId={o.event.id} mayEmail={o.mayEmail} />
        ))}
      </div>
      <section aria-labelledby="session-forms" className="space-y-2">
        <h2 id="session-forms" className="text-lg font-semibold">
          {t("evaluationAccess.sessionForms")}
        </h2>
        {o.sessions.length === 0 ? (
          <p className="text-sm text-slate-700">{t("evaluationAccess.noSessionForms")}</p>
        ) : (
          <div className="grid gap-4 lg:grid-cols-3">
            {o.sessions.map((x) => (
              <TargetCard
                key={x.target}
                x={x}
                title={t("evaluationAccess.target.session", { session: isolated(x.session.title) })}
                subtitle={formatSessionTime(new Date(x.session.startsAt), new Date(x.session.endsAt), o.event.timeZone, i18n.language)}
                eventId={o.event.id}
                mayEmail={o.mayEmail}
              />
            ))}
          </div>
        )}
      </section>
    </div>
  );
}

/** One test phase or feedback form: whether it is open, who has not submitted, and the ways in for those without an account. */
function TargetCard({ x, title, subtitle, eventId, mayEmail }: { x: TargetRow; title: string; subtitle?: string; eventId: number; mayEmail: boolean }) {
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t, i18n } = useTranslation();
  const n = (v: number) => formatNumber(v, i18n.language);
  return (
    <Card title={title}>
      <div className="space-y-3 text-sm">
        {subtitle ? <p className="text-slate-700">{subtitle}</p> : null}
        <p>
          <Badge tone={TONE[x.state]}>{t(`evaluationAccess.state.${x.state}`)}</Badge>
        </p>
        {x.state === "none" ? null : (
          <ul className="space-y-1 text-slate-700">
            <li>{t("evaluationAccess.waiting", { waiting: n(x.waiting), confirmed: n(x.confirmed) })}</li>
            <li>{t("evaluationAccess.linkRecipients", { n: n(x.linkRecipients) })}</li>
            <li>{t("evaluationAccess.withoutEmail", { n: n(x.withoutEmail) })}</li>
          </ul>
        )}
        {actionData?.target === x.target ? <Notice tone="error">{t(actionData.error as "evaluationAccess.errors.notOpen")}</Notice> : null}
        {x.state === "open" ? (
          <>
            {mayEmail ? (
              <Form method="post" className="space-y-2">
                <input type="hidden" name="intent" value="email" />
                <input type="hidden" name="target" value={x.target} />
                <label htmlFor={`language-${x.target}`} className="block font-medium text-slate-800">
                  {t("evaluationAccess.language")}
                </label>
                <select id={`language-${x.target}`} name="language" defaultValue={i18n.language} className={inputClass()}>
                  {supportedLocales.map((l) => (
                    <option key={l} value={l} lang={l}>
                      {LANGUAGE_NAMES[l]}
                    </option>
                  ))}
                </select>
                <p className="text-xs text-slate-600">{t("evaluationAccess.emailHint")}</p>
                <Button disabled={navigation.state === "submitting" || x.linkRecipients === 0}>{t("evaluationAccess.emailLinks")}</Button>
              </Form>
            ) : null}
            <p className="flex flex-col gap-2">
              <Link to={`/events/${eventId}/evaluation/${x.target}/screen`}>{t("evaluationAccess.screen")}</Link>
              <Link to={`/events/${eventId}/evaluation/${x.target}/slips`}>{t("evaluationAccess.slips")}</Link>
            </p>
          </>
        ) : x.state === "notOpen" ? (
          <p className="text-slate-600">{t("evaluationAccess.notOpenHint")}</p>
        ) : null}
      </div>
    </Card>
  );
}
