import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/lib/translation";
import { AREA_ROLES } from "~/auth/permissions";
import { requireActor } from "~/auth/session.server";
import { Badge } from "~/components/ui/badge";
import { Parts } from "~/components/ui/bidi";
import { Button, LinkButton } from "~/components/ui/button";
import { ErrorSummary } from "~/components/ui/field";
import { Card, EmptyState, Notice, PageHeader } from "~/components/ui/page";
import { redirectWithFlash } from "~/flash.server";
import type { RegistrationStatus } from "~/lib/domain";
import { formatDay, formatDayRange, formatList, formatNumber, personName } from "~/lib/format";
import { fieldMessage, formValues, parseForm, type FieldErrors } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { idFrom, idParam } from "~/lib/params";
import { personSchema } from "~/lib/schemas/people";
import { countryCodes } from "~/lib/zoned";
import { getPerson, mergePeople, mergePreview, personOrganisationOptions, updatePerson, ValidationError } from "~/models/people.server";
import { ERASE_CONFIRMATION, erasePersonalData } from "~/models/personal-data.server";
import { FieldError } from "~/models/field-error.server";
import { TextField } from "~/components/ui/field";
import { PersonRecordFields, useFieldLabels } from "~/components/person-record-fields";
import { readFormData } from "~/lib/form-data.server";

/** The translation namespaces this page uses besides the common ones (root.tsx) and its parents'. */
export const handle = { i18n: ["errors", "form", "organisationKind", "organisationSelect", "people", "person", "personalData", "roleCategory", "sex"] };

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  // an anonymised person's title carries only their number
  data && !data.person.anonymisedAt
    ? pageTitle(matches, "people.pageTitle", { name: `${data.person.givenName} ${data.person.familyName}` })
    : pageTitle(matches, "people.title");


export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request, AREA_ROLES.people);
  const personId = idParam(params.personId);
  const { person, trainings, duplicates } = await getPerson(actor, personId);
  // ?merge=<id>: the confirmation step of merging that person into this one (ids only in the address)
  const mergeId = idFrom(new URL(request.url).searchParams.get("merge"));
  let merge: Awaited<ReturnType<typeof mergePreview>> | null = null;
  if (mergeId !== null && mergeId !== personId && !person.anonymisedAt) {
    try {
      merge = await mergePreview(actor, personId, mergeId);
    } catch (error) {
      if (!(error instanceof Response && error.status === 404)) throw error;
    }
  }
  return {
    person,
    trainings,
    duplicates: person.anonymisedAt ? [] : duplicates,
    merge,
    organisations: await personOrganisationOptions(actor, person.organisationId),
    countries: countryCodes(),
    // export and erasure on request are for admins only
    isAdmin: actor.user.role === "admin",
    eraseWord: ERASE_CONFIRMATION,
  };
}

function refused(intent: "update" | "merge" | "erase", formData: FormData, errors: FieldErrors) {
  return data({ ok: false as const, intent, errors, values: formValues(formData) }, { status: 400 });
}

/**
 * personSchema's email is a union ("" or an address), and zod reports a failed union as its own
 * "Invalid input": show our message for a malformed or over-long address instead.
 */
function withEmailMessage(errors: FieldErrors): FieldErrors {
  return errors.email && !errors.email.startsWith("errors.") ? { ...errors, email: "errors.email" } : errors;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request, AREA_ROLES.people);
  const personId = idParam(params.personId);
  const formData = await readFormData(request);
  switch (formData.get("intent")) {
    case "update": {
      const parsed = parseForm(formData, personSchema);
      if (!parsed.ok) return refused("update", formData, withEmailMessage(parsed.errors));
      try {
        await updatePerson(actor, personId, parsed.data);
      } catch (error) {
        if (error instanceof ValidationError) return refused("update", formData, { [error.field]: error.messageKey });
        throw error;
      }
      return await redirectWithFlash(`/people/${personId}`, "flash.saved");
    }
    case "merge": {
      const mergeId = idFrom(formData.get("mergeId"));
      if (mergeId === null) return refused("merge", formData, { mergeId: "errors.choice" });
      try {
        await mergePeople(actor, personId, mergeId);
      } catch (error) {
        if (error instanceof ValidationError) return refused("merge", formData, { [error.field]: error.messageKey });
        throw error;
      }
      return await redirectWithFlash(`/people/${personId}`, "flash.saved");
    }
    case "erase": {
      const confirmation = formData.get("confirmation");
      try {
        await erasePersonalData(actor, personId, typeof confirmation === "string" ? confirmation : "");
      } catch (error) {
        if (error instanceof FieldError) return refused("erase", formData, { [error.field]: error.messageKey });
        throw error;
      }
      return await redirectWithFlash(`/people/${personId}`, "flash.personErased");
    }
    default:
      return data({ ok: false as const, intent: null, errors: { form: "errors.unknownAction" } as FieldErrors, values: {} as Record<string, string> }, { status: 400 });
  }
}

const STATUS_TONES: Record<RegistrationStatus, string> = {
  confirmed: "active",
  waitlisted: "invited",
  applied: "invited",
  nominated: "invited",
  declined: "disabled",
  cancelled: "disabled",
};

export default function PersonPage() {
  const { person, trainings, duplicates, merge, organisations, countries, isAdmin, eraseWord } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const anonymised = person.anonymisedAt !== null;
  const name = personName({ ...person, anonymised }, t);
  const updateFailed = actionData?.intent === "update";
  const errors = updateFailed ? actionData.errors : undefined;
  const values: Record<string, string> = updateFailed
    ? actionData.values
    : {
        givenName: person.givenName,
        familyName: person.familyName,
        email: person.email ?? "",
        phone: person.phone ?? "",
        sex: person.sex ?? "",
        organisationId: person.organisationId ? String(person.organisationId) : "",
        position: person.position ?? "",
        roleCategory: person.roleCategory ?? "",
        nationality: person.nationality ?? "",
        dietaryNeeds: person.dietaryNeeds ?? "",
        accessibilityNeeds: person.accessibilityNeeds ?? "",
      };
  const labels = useFieldLabels();
  const eraseFailed = actionData?.intent === "erase";
  // the erase form shows its own error; an anonymised record has no form to show an update's error in
  const otherErrors = actionData && !eraseFailed && (!updateFailed || anonymised) ? actionData.errors : undefined;
  return (
    <div className="space-y-6">
      <PageHeader title={name} crumbs={[{ label: t("people.title"), to: "/people" }, { label: name }]}>
        <p className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm text-slate-700">
          <span>
            <Parts
              parts={[
                person.organisationName,
                person.roleCategory ? t(`roleCategory.${person.roleCategory}` as "roleCategory.other") : null,
                person.position,
              ]}
              dotted
            />
          </span>
          <span>{t(person.hasLogin ? "people.login" : "people.noLogin")}</span>
        </p>
      </PageHeader>

      {anonymised ? (
        <Notice tone="info">{t("personalData.anonymisedNotice", { date: formatDay(new Date(person.anonymisedAt!).toISOString().slice(0, 10), locale) })}</Notice>
      ) : null}

      {otherErrors ? (
        <Notice tone="error">
          {Object.values(otherErrors).map((key) => (
            <span key={key}>{fieldMessage(t, key)} </span>
          ))}
        </Notice>
      ) : null}

      {merge ? (
        <Card title={t("people.merge.title")} className="border-amber-300">
          <div className="space-y-4 text-sm">
            <p>
              {t("people.merge.intro", {
                other: `${merge.other.givenName} ${merge.other.familyName}`,
                kept: name,
              })}
            </p>
            <p className="text-slate-700">
              <Parts parts={[merge.other.email, merge.other.organisationName, merge.other.position]} dotted />
            </p>
            <div>
              <h3 className="mb-2 font-semibold">{t("people.merge.registrationsTitle")}</h3>
              {merge.registrations.length === 0 ? (
                <p className="text-slate-600">{t("people.merge.noRegistrations")}</p>
              ) : (
                <div className="overflow-x-auto">
                  <table className="min-w-full divide-y divide-slate-200">
                    <caption className="sr-only">{t("people.merge.registrationsTitle")}</caption>
                    <thead className="bg-slate-100">
                      <tr>
                        <th scope="col" className="px-3 py-2 text-start font-semibold">{t("people.trainings.event")}</th>
                        <th scope="col" className="px-3 py-2 text-start font-semibold">{t("people.merge.theirRecord")}</th>
                        <th scope="col" className="px-3 py-2 text-start font-semibold">{t("people.merge.thisRecord")}</th>
                        <th scope="col" className="px-3 py-2 text-start font-semibold">{t("people.merge.outcome")}</th>
                      </tr>
                    </thead>
                    <tbody className="divide-y divide-slate-100">
                      {merge.registrations.map((r) => (
                        <tr key={r.eventId}>
                          <td className="px-3 py-2">
                            <bdi>{r.title}</bdi>
                            <span className="block text-slate-600">{formatDayRange(r.startDate, r.endDate, locale)}</span>
                          </td>
                          <td className="px-3 py-2">{t(`people.registrationStatus.${r.status}`)}</td>
                          <td className="px-3 py-2">{r.keptStatus ? t(`people.registrationStatus.${r.keptStatus}`) : t("people.merge.notRegistered")}</td>
                          <td className="px-3 py-2">{t(`people.merge.outcomes.${r.outcome}`)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </div>
            <div>
              <h3 className="mb-2 font-semibold">{t("people.merge.alsoMoves")}</h3>
              <dl className="grid grid-cols-2 gap-x-4 gap-y-1 sm:grid-cols-4">
                {(["attendance", "consents", "actionPlans", "facilitations"] as const).map((k) => (
                  <div key={k}>
                    <dt className="text-slate-600">{t(`people.merge.counts.${k}`)}</dt>
                    <dd className="font-semibold tabular-nums">
                      {formatNumber(k === "attendance" ? merge.attendanceRecords : merge[k], locale)}
                    </dd>
                  </div>
                ))}
              </dl>
            </div>
            {merge.filledFields.length > 0 ? (
              <p>{t("people.merge.filled", { fields: formatList(merge.filledFields.map((f) => labels[f]), locale) })}</p>
            ) : null}
            {merge.login === "moved" ? <p>{t("people.merge.loginMoved")}</p> : null}
            {merge.login === "both" ? <Notice tone="info">{t("people.merge.loginBoth")}</Notice> : null}
            <p className="font-semibold text-red-800">{t("people.merge.final")}</p>
            <Form method="post" className="flex flex-wrap items-center gap-3">
              <input type="hidden" name="mergeId" value={merge.other.id} />
              <Button variant="danger" name="intent" value="merge">
                {t("people.merge.confirm")}
              </Button>
              <LinkButton variant="secondary" to={`/people/${person.id}`}>
                {t("people.merge.cancel")}
              </LinkButton>
            </Form>
          </div>
        </Card>
      ) : null}

      <Card title={t("people.trainings.title")}>
        {trainings.length === 0 ? (
          <EmptyState message={t("people.trainings.empty")} />
        ) : (
          <div className="overflow-x-auto">
            <table className="min-w-full divide-y divide-slate-200 text-sm" aria-describedby="attendance-hint">
              <caption className="sr-only">{t("people.trainings.title")}</caption>
              <thead className="bg-slate-100">
                <tr>
                  <th scope="col" className="px-4 py-2 text-start font-semibold">{t("people.trainings.event")}</th>
                  <th scope="col" className="px-4 py-2 text-start font-semibold">{t("people.trainings.dates")}</th>
                  <th scope="col" className="px-4 py-2 text-start font-semibold">{t("people.trainings.role")}</th>
                  <th scope="col" className="px-4 py-2 text-start font-semibold">{t("people.trainings.status")}</th>
                  <th scope="col" className="px-4 py-2 text-start font-semibold">{t("people.trainings.attendance")}</th>
                  <th scope="col" className="px-4 py-2 text-start font-semibold">{t("people.trainings.completion")}</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {trainings.map((r) => {
                  const assessed = r.eventRole === "participant" && r.status === "confirmed";
                  return (
                    <tr key={r.registrationId}>
                      <td className="px-4 py-3">
                        <Link to={`/events/${r.eventId}`} className="font-medium">
                          <bdi>{r.title}</bdi>
                        </Link>
                      </td>
                      <td className="whitespace-nowrap px-4 py-3">{formatDayRange(r.startDate, r.endDate, locale)}</td>
                      <td className="px-4 py-3">{t(`people.eventRole.${r.eventRole}`)}</td>
                      <td className="px-4 py-3">
                        <Badge tone={STATUS_TONES[r.status]}>{t(`people.registrationStatus.${r.status}`)}</Badge>
                      </td>
                      <td className="whitespace-nowrap px-4 py-3 tabular-nums">
                        {r.counted > 0 || r.attended > 0
                          ? t("people.trainings.attended", { attended: formatNumber(r.attended, locale), counted: formatNumber(r.counted, locale) })
                          : "—"}
                      </td>
                      <td className="px-4 py-3">
                        {assessed && r.counted > 0 ? (
                          <span className="flex flex-wrap items-center gap-2">
                            <Badge tone={r.completed ? "completed" : "draft"}>
                              {t(r.completed ? "people.trainings.completed" : "people.trainings.notCompleted")}
                            </Badge>
                            <span className="text-xs text-slate-600">
                              {t("people.trainings.threshold", { threshold: formatNumber(r.completionThreshold, locale) })}
                            </span>
                          </span>
                        ) : (
                          "—"
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            <p id="attendance-hint" className="mt-2 text-xs text-slate-600">
              {t("people.trainings.attendedHint")}
            </p>
          </div>
        )}
      </Card>

      {anonymised ? null : (
        <Card title={t("people.possibleDuplicates.title")}>
          {duplicates.length === 0 ? (
            <p className="text-sm text-slate-600">{t("people.possibleDuplicates.none")}</p>
          ) : (
            <div className="space-y-3 text-sm">
              <p className="text-slate-700">{t("people.possibleDuplicates.intro")}</p>
              <ul className="divide-y divide-slate-100">
                {duplicates.map((d) => (
                  <li key={d.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                    <span className="flex flex-wrap items-baseline gap-x-2">
                      <Link to={`/people/${d.id}`} className="font-medium">
                        <bdi>{`${d.givenName} ${d.familyName}`}</bdi>
                      </Link>
                      <span className="text-slate-700">
                        <Parts parts={[d.organisationName, d.email]} dotted />
                      </span>
                      <span className="text-slate-600">({t(d.reason === "email" ? "people.duplicates.byEmail" : "people.duplicates.byName")})</span>
                    </span>
                    <LinkButton variant="secondary" to={`/people/${person.id}?merge=${d.id}`}>
                      {t("people.possibleDuplicates.review")}
                    </LinkButton>
                  </li>
                ))}
              </ul>
            </div>
          )}
        </Card>

      )}

      {anonymised ? null : (
        <Card title={t("people.details")} className="max-w-2xl">
          <Form method="post" key={JSON.stringify(values)} className="space-y-4" noValidate>
            <ErrorSummary errors={errors} labels={labels} />
            <PersonRecordFields values={values} errors={errors} organisations={organisations} countries={countries} />
            <Button name="intent" value="update">
              {t("form.save")}
            </Button>
          </Form>
        </Card>
      )}

      {isAdmin ? (
        <Card title={t("personalData.title")} className="max-w-2xl">
          <div className="space-y-5 text-sm">
            <p className="text-slate-700">{t("personalData.intro")}</p>
            <div className="space-y-1">
              {/* a file download, not a page: the browser fetches it itself */}
              <a href={`/people/${person.id}/data.json`} download className="font-medium">
                {t("personalData.download")}
              </a>
              <p className="text-slate-600">{t("personalData.downloadHint")}</p>
            </div>
            {anonymised ? null : (
              <Form method="post" className="space-y-3 border-t border-slate-200 pt-4" noValidate>
                <h3 className="font-semibold text-red-800">{t("personalData.eraseTitle")}</h3>
                <p className="text-slate-800">{t("personalData.eraseWarning")}</p>
                <div className="max-w-xs">
                  <TextField
                    name="confirmation"
                    label={t("personalData.confirmLabel", { word: eraseWord })}
                    hint={t("personalData.confirmHint")}
                    autoComplete="off"
                    required
                    error={eraseFailed ? actionData.errors.confirmation : undefined}
                  />
                </div>
                <Button variant="danger" name="intent" value="erase">
                  {t("personalData.eraseSubmit")}
                </Button>
              </Form>
            )}
          </div>
        </Card>
      ) : null}
    </div>
  );
}
