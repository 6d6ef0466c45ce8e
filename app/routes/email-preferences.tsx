import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/lib/translation";
import { clientIp, requireActor } from "~/auth/session.server";
import { Button } from "~/components/ui/button";
import { Card, Notice, PageHeader } from "~/components/ui/page";
import { pageTitle } from "~/lib/meta";
import {
  getEmailPreferences,
  linkAccess,
  linkParams,
  setReminderEmails,
  type PreferencesAccess,
  type PreferencesLinkParams,
} from "~/models/email-preferences.server";
import { readFormData } from "~/lib/form-data.server";

/** The translation namespaces this page uses besides the common ones (root.tsx) and its parents'. */
export const handle = { i18n: ["emailPreferences", "errors"] };

/**
 * Reminder emails on or off. Signed in: your own setting. From the link at the foot of a
 * reminder (?u=<userId>&t=<token>, or ?p=<personId>&t=<token> for someone on a roster without an
 * account): that setting, without signing in — a wrong token is refused (403) — and, as
 * everywhere, nothing changes until the form is posted.
 */
export const meta: MetaFunction = ({ matches }) => [
  ...pageTitle(matches, "emailPreferences.title"),
  { name: "robots", content: "noindex" },
];

async function accessFor(request: Request, link: PreferencesLinkParams | null): Promise<PreferencesAccess> {
  if (link) return linkAccess(link, clientIp(request));
  return { via: "account", actor: await requireActor(request) };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const link = linkParams(url.searchParams);
  const preferences = await getEmailPreferences(await accessFor(request, link));
  const saved = url.searchParams.get("saved");
  return data(
    {
      email: preferences.email,
      remindersOff: preferences.remindersOff,
      link,
      saved: saved === "on" || saved === "off" ? saved : null,
    },
    { headers: { "Cache-Control": "no-store" } },
  );
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await readFormData(request);
  const link = linkParams(form) ?? linkParams(new URL(request.url).searchParams);
  const access = await accessFor(request, link);
  await getEmailPreferences(access); // a wrong token is refused before anything else is read
  const intent = form.get("intent");
  if (intent !== "off" && intent !== "on") return data({ error: "errors.unknownAction" as const }, { status: 400 });
  await setReminderEmails(access, intent === "off");
  const params = new URLSearchParams(link ? { [link.key]: link.id, t: link.t } : {});
  params.set("saved", intent);
  return redirect(`/email-preferences?${params}`);
}

export default function EmailPreferences() {
  const { email, remindersOff, link, saved } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  return (
    <div className="mx-auto max-w-2xl space-y-6">
      <PageHeader title={t("emailPreferences.title")}>
        <p className="text-slate-700">{t("emailPreferences.intro")}</p>
      </PageHeader>
      {saved ? <Notice tone="success">{t(saved === "off" ? "emailPreferences.savedOff" : "emailPreferences.savedOn")}</Notice> : null}
      {actionData?.error ? <Notice tone="error">{t(actionData.error)}</Notice> : null}
      <Card title={t("emailPreferences.reminders")}>
        <div className="space-y-4">
          {/* the address isolated (FSI…PDI) so it reads left to right inside Arabic text */}
          <p className="text-sm text-slate-600">{t("emailPreferences.forAddress", { email: `\u2068${email}\u2069` })}</p>
          <p className="text-sm">{t("emailPreferences.remindersHelp")}</p>
          <p className="font-semibold">{t(remindersOff ? "emailPreferences.remindersAreOff" : "emailPreferences.remindersAreOn")}</p>
          <Form method="post" className="space-y-3">
            {link ? (
              <>
                <input type="hidden" name={link.key} value={link.id} />
                <input type="hidden" name="t" value={link.t} />
              </>
            ) : null}
            {link && !remindersOff ? <p className="text-sm">{t("emailPreferences.confirmOff")}</p> : null}
            <Button name="intent" value={remindersOff ? "on" : "off"} variant={remindersOff ? "primary" : "secondary"}>
              {t(remindersOff ? "emailPreferences.turnOn" : "emailPreferences.turnOff")}
            </Button>
          </Form>
        </div>
      </Card>
      <p className="text-sm text-slate-600">{t("emailPreferences.essential")}</p>
    </div>
  );
}
