import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "~/lib/translation";
import { limitPostsByIp } from "~/auth/rate-limit.server";
import { clientIp, getSessionUser } from "~/auth/session.server";
import { PersonFields } from "~/components/person-fields";
import { countryCodes } from "~/lib/zoned";
import { Button } from "~/components/ui/button";
import { Parts } from "~/components/ui/bidi";
import { ErrorSummary } from "~/components/ui/field";
import { Card, Notice } from "~/components/ui/page";
import { config } from "~/config.server";
import { pickLocale, remixI18n } from "~/i18n.server";
import { countryName, formatDateTime, formatDayRange } from "~/lib/format";
import { formValues, parseForm } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { idParam } from "~/lib/params";
import { publicRegistrationSchema } from "~/lib/schemas/registration";
import { FieldError } from "~/models/field-error.server";
import { publicEventForRegistration } from "~/models/registrations.server";
import { ownRegistrationDetails, publicTimetable, registerAsSelf, registerForEvent } from "~/models/public-registration.server";
import { SubmissionKey } from "~/components/ui/submission-key";
import { createOnce, newSubmissionKey, submissionOf } from "~/models/submission-keys.server";
import { readFormData } from "~/lib/form-data.server";

/** The translation namespaces this page uses besides the common ones (root.tsx) and its parents'. */
export const handle = { i18n: ["errors", "form", "organisationKind", "organisationSelect", "person", "registration", "roleCategory"] };

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "registration.title");

/**
 * Public: anyone may register for an event that is open. Drafts and unknown events are 404. A
 * signed-in user registers as themselves: the form comes filled in with their own details.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const event = await publicEventForRegistration(idParam(params.eventId));
  const session = await getSessionUser(request);
  // what a person needs to decide: the programme, times in the event's own zone, named
  const timetable = await publicTimetable(event.id, pickLocale(session?.user.locale, await remixI18n.getLocale(request)));
  const own = session ? (await ownRegistrationDetails({ user: session.user, ip: clientIp(request) })) : null;
  return {
    event,
    signedIn: session && own ? { name: session.user.name, email: session.user.email, values: own.values, organisation: own.organisation } : null,
    formKey: newSubmissionKey(),
    timetable,
    countries: countryCodes(),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  await limitPostsByIp(request, "register");
  const eventId = idParam(params.eventId);
  const event = await publicEventForRegistration(eventId);
  const formData = await readFormData(request);
  const session = await getSessionUser(request);
  // a signed-in user's email is their account's, whatever the form says
  if (session) formData.set("email", session.user.email);
  const parsed = parseForm(formData, publicRegistrationSchema);
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  // the same answer for every anonymous registration, whatever Convene knows of the email
  const checkEmail = `/events/${eventId}/register/done?status=checkEmail`;
  // a filled honeypot is a bot: answer as if it worked, save nothing
  if (parsed.data.website) return redirect(checkEmail);
  const locale = pickLocale(session?.user.locale, await remixI18n.getLocale(request));
  try {
    const { website: _honeypot, consent: _consent, ...person } = parsed.data;
    const input = { ...person, consent: true as const, locale: locale as typeof parsed.data.locale };
    const location = await createOnce(submissionOf(request, formData, "registration", session?.user.id ?? null), async () => {
      if (!session) {
        await registerForEvent(event.id, input, { appUrl: config().appUrl, ip: clientIp(request) });
        return checkEmail;
      }
      const outcome = await registerAsSelf({ user: session.user, ip: clientIp(request) }, event.id, input, config().appUrl);
      return `/events/${eventId}/register/done?status=${outcome.alreadyRegistered ? "already" : outcome.status}`;
    });
    return redirect(location);
  } catch (error) {
    if (error instanceof FieldError) {
      return data({ errors: { [error.field]: error.messageKey }, values: formValues(formData) }, { status: 400 });
    }
    throw error;
  }
}

export default function Register() {
  const { event, signedIn, formKey, timetable, countries } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const values = actionData?.values ?? signedIn?.values ?? {};
  const errors = actionData?.errors;
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <div>
        <p className="text-sm font-medium text-slate-600">{t("registration.title")}</p>
        <h1 className="text-2xl font-bold">{event.title}</h1>
        <p className="mt-1 text-sm text-slate-700">
          {formatDayRange(event.startDate, event.endDate, locale)} · <Parts parts={[event.venue, event.locality, countryName(event.country, locale)]} />
        </p>
      </div>
      {event.description ? <p className="whitespace-pre-line text-slate-800"><bdi>{event.description}</bdi></p> : null}
      {timetable ? (
        <Card title={t("registration.programme", { zone: timetable.zone })}>
          <div className="space-y-4">
            {timetable.days.map((day) => (
              <section key={day.label}>
                <h3 className="text-sm font-semibold text-slate-800">{day.label}</h3>
                <ul className="mt-1 divide-y divide-slate-100 text-sm">
                  {day.rows.map((row, i) => (
                    <li key={i} className="flex flex-col gap-x-3 py-1.5 sm:flex-row">
                      <span className="shrink-0 whitespace-nowrap tabular-nums text-slate-600 sm:w-44">{row.time}</span>
                      <span className="min-w-0 flex-1">
                        {row.title}
                        {row.detail ? <span className="text-slate-600"> · {row.detail}</span> : null}
                      </span>
                    </li>
                  ))}
                </ul>
              </section>
            ))}
          </div>
        </Card>
      ) : null}
      {!event.window.open ? (
        <Notice tone="error">{t(`registration.errors.${event.window.reason}`)}</Notice>
      ) : (
        <>
          {event.full ? <Notice>{t("registration.fullWaitlist")}</Notice> : null}
          {event.requiresApproval ? <Notice>{t("registration.approvalNote")}</Notice> : null}
          {event.registrationClosesAt ? (
            <p className="text-sm text-slate-600">
              {t("registration.closesAt", { at: formatDateTime(new Date(event.registrationClosesAt), event.timeZone, locale) })}
            </p>
          ) : null}
          {errors?.form ? <Notice tone="error">{t(errors.form as "registration.errors.closed")}</Notice> : null}
          <Form method="post" className="space-y-6" noValidate>
            <SubmissionKey value={formKey} />
            <ErrorSummary
              errors={errors && !errors.form ? errors : undefined}
              labels={{
                givenName: t("person.givenName"),
                familyName: t("person.familyName"),
                email: t("person.email"),
                consent: t("registration.consentLabel"),
              }}
            />
            <input type="hidden" name="locale" value={locale} />
            <div aria-hidden="true" className="hidden">
              <label htmlFor="website">{t("registration.honeypot")}</label>
              <input id="website" name="website" type="text" tabIndex={-1} autoComplete="off" />
            </div>
            <Card title={t("registration.aboutYou")}>
              {signedIn ? <p className="mb-4 text-sm text-slate-700">{t("registration.signedInAs", { name: signedIn.name, email: signedIn.email })}</p> : null}
              <PersonFields
                values={signedIn ? { ...values, email: signedIn.email } : values}
                errors={errors}
                countries={countries}
                organisations={event.organisations}
                currentOrganisation={signedIn?.organisation ?? null}
                emailRequired
                emailReadOnly={signedIn ? t("registration.emailReadOnly") : undefined}
              />
            </Card>
            <Card title={t("registration.consentTitle")}>
              <p className="whitespace-pre-line text-sm text-slate-800">{event.consentText || t("registration.defaultConsent")}</p>
              <label className="mt-3 flex items-start gap-2 text-sm font-medium">
                <input id="consent" type="checkbox" name="consent" value="yes" defaultChecked={values.consent === "yes"} className="mt-1" aria-invalid={errors?.consent ? true : undefined} />
                {t("registration.consentLabel")}
              </label>
              {errors?.consent ? <p className="mt-1 text-sm font-medium text-red-700">{t(errors.consent as "registration.errors.consent")}</p> : null}
            </Card>
            <Button disabled={navigation.state === "submitting"}>{t("registration.submit")}</Button>
          </Form>
        </>
      )}
    </div>
  );
}
