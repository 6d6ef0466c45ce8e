import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "~/lib/translation";
import { limitPostsByIp } from "~/auth/rate-limit.server";
import { clientIp } from "~/auth/session.server";
import { Button } from "~/components/ui/button";
import { Notice } from "~/components/ui/page";
import { config } from "~/config.server";
import { countryName, formatDayRange } from "~/lib/format";
import { pageTitle } from "~/lib/meta";
import { FieldError } from "~/models/field-error.server";
import { confirmRegistrationRequest, registrationRequestFor } from "~/models/public-registration.server";

/** The translation namespaces this page uses besides the common ones (root.tsx) and its parents'. */
export const handle = { i18n: ["person", "registration", "roleCategory"] };

/** The token is a secret: keep it out of the Referer of anything this page loads. */
export const meta: MetaFunction = ({ matches }) => [
  ...pageTitle(matches, "registration.confirm.title"),
  { name: "referrer", content: "no-referrer" },
];

/**
 * The link emailed when a public registration gave a known address. Opening it changes nothing
 * (mail scanners open links); the button does. A link that no longer works says so (410).
 */
export async function loader({ params }: LoaderFunctionArgs) {
  const request = await registrationRequestFor(params.token ?? "");
  return data({ request }, { status: request ? 200 : 410, headers: { "Cache-Control": "no-store" } });
}

export async function action({ request, params }: ActionFunctionArgs) {
  await limitPostsByIp(request, "register");
  try {
    const outcome = await confirmRegistrationRequest(params.token ?? "", { appUrl: config().appUrl, ip: clientIp(request) });
    return redirect(`/events/${outcome.eventId}/register/done?status=${outcome.alreadyRegistered ? "already" : outcome.status}`);
  } catch (error) {
    if (error instanceof FieldError) return data({ error: error.messageKey }, { status: error.messageKey === "registration.confirm.invalid" ? 410 : 400 });
    throw error;
  }
}

export default function ConfirmRegistration() {
  const { t, i18n } = useTranslation();
  const { request } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  if (!request || actionData?.error === "registration.confirm.invalid") {
    return (
      <div className="mx-auto max-w-xl rounded-lg border border-slate-200 bg-white p-6 shadow-sm sm:p-8">
        <h1 className="text-2xl font-bold">{t("registration.confirm.title")}</h1>
        <p className="mt-3 text-slate-700">{t("registration.confirm.invalid")}</p>
        <p className="mt-2 text-sm text-slate-700">{t("registration.confirm.invalidHint")}</p>
        <p className="mt-4 text-sm">
          <Link to="/login">{t("registration.done.signIn")}</Link>
        </p>
      </div>
    );
  }
  const { event, name } = request;
  return (
    <div className="mx-auto max-w-xl rounded-lg border border-slate-200 bg-white p-6 shadow-sm sm:p-8">
      <h1 className="text-2xl font-bold">{t("registration.confirm.title")}</h1>
      <p className="mt-3 text-slate-700">
        {t("registration.confirm.intro", { name, event: event.title, dates: formatDayRange(event.startDate, event.endDate, i18n.language) })}
      </p>
      <TypedDetails typed={request.typed} />
      {actionData?.error ? (
        <div className="mt-4">
          <Notice tone="error">{t(actionData.error as "registration.errors.closed")}</Notice>
        </div>
      ) : null}
      <Form method="post" className="mt-6">
        <Button disabled={navigation.state === "submitting"}>{t("registration.confirm.submit")}</Button>
      </Form>
      <p className="mt-4 text-sm text-slate-600">{t("registration.confirm.notMe")}</p>
    </div>
  );
}

/** The details typed on the form, which confirming adds to the person's record where it has none. */
function TypedDetails({ typed }: { typed: NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["request"]>["typed"] }) {
  const { t, i18n } = useTranslation();
  const rows: [string, string][] = [];
  if (typed.organisation) rows.push([t("person.organisation"), typed.organisation]);
  if (typed.position) rows.push([t("person.position"), typed.position]);
  if (typed.roleCategory) rows.push([t("person.roleCategory"), t(`roleCategory.${typed.roleCategory}` as "roleCategory.journalist")]);
  if (typed.sex) rows.push([t("person.sex"), t(`person.sexes.${typed.sex}` as "person.sexes.female")]);
  if (typed.nationality) rows.push([t("person.nationality"), countryName(typed.nationality, i18n.language)]);
  if (typed.phone) rows.push([t("person.phone"), typed.phone]);
  if (typed.dietaryNeeds) rows.push([t("person.dietaryNeeds"), typed.dietaryNeeds]);
  if (typed.accessibilityNeeds) rows.push([t("person.accessibilityNeeds"), typed.accessibilityNeeds]);
  if (rows.length === 0) return null;
  return (
    <div className="mt-4">
      <p className="text-sm text-slate-700">{t("registration.confirm.typed")}</p>
      <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
        {rows.map(([label, value]) => (
          <div key={label} className="contents">
            <dt className="font-medium text-slate-600">{label}</dt>
            {/* a phone number reads left to right in any language; typed text takes its own direction */}
            <dd className="break-words">{label === t("person.phone") ? <bdi dir="ltr">{value}</bdi> : <bdi>{value}</bdi>}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
