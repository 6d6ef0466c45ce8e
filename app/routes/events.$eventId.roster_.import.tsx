import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, MaxPartSizeExceededError, unstable_createMemoryUploadHandler } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "~/lib/translation";
import { requireActor } from "~/auth/session.server";
import { Button } from "~/components/ui/button";
import { TextField } from "~/components/ui/field";
import { Card, Notice } from "~/components/ui/page";
import { config } from "~/config.server";
import { redirectWithFlash } from "~/flash.server";
import { EVENT_ROLES, REGISTRATION_STATUSES, ROLE_CATEGORIES, SEXES } from "~/lib/domain";
import { formatNumber } from "~/lib/format";
import { isMultipart, readMultipartFormData } from "~/lib/form-data.server";
import { pageTitle } from "~/lib/meta";
import { idParam } from "~/lib/params";
import { getEventHeader } from "~/models/events.server";
import { ORGANISATION_LIST_LIMIT } from "~/models/organisations.server";
import {
  importRoster,
  ROSTER_IMPORT_COLUMNS,
  ROSTER_IMPORT_MAX_BYTES,
  ROSTER_IMPORT_MAX_ROWS,
  ROSTER_IMPORT_REQUIRED_COLUMNS,
  RosterImportRejected,
  rosterImportOutcome,
  rosterOrganisationNames,
  type RosterImportProblem,
} from "~/models/registrations.server";

/*
 * /events/:eventId/roster/import — a child of the event layout, not of the roster list (which
 * renders no outlet): hence `roster_` in the file name; the address is the same.
 */

/** The translation namespaces this page uses besides the common ones (root.tsx) and its parents'. */
export const handle = { i18n: ["errors", "form", "person", "roster", "rosterImport"] };

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "rosterImport.title");

/** How many problems the page lists; the rest are counted ("and N more"). */
const SHOWN_PROBLEMS = 200;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request, ["admin", "coordinator"]);
  const eventId = idParam(params.eventId);
  await getEventHeader(actor.user, eventId); // 404 for an unknown event
  const resultId = new URL(request.url).searchParams.get("result");
  const result = resultId && /^\d{1,15}$/.test(resultId) ? (await rosterImportOutcome(actor, eventId, Number(resultId))) : null;
  return {
    eventId,
    result,
    columns: ROSTER_IMPORT_COLUMNS,
    requiredColumns: ROSTER_IMPORT_REQUIRED_COLUMNS as readonly string[],
    maxRows: ROSTER_IMPORT_MAX_ROWS,
    maxMegabytes: ROSTER_IMPORT_MAX_BYTES / 1_000_000,
    // thousands of names are a file to download, not a list on the page
    ...(await (async () => {
      const names = await rosterOrganisationNames();
      return { organisations: names.length > ORGANISATION_LIST_LIMIT ? null : names, organisationCount: names.length };
    })()),
  };
}

const refused = (problems: RosterImportProblem[]) =>
  data({ problems: problems.slice(0, SHOWN_PROBLEMS), total: problems.length }, { status: 400 });

const fileProblem = (key: string, values: Record<string, string | number> = {}): RosterImportProblem => ({
  line: null,
  column: null,
  key: `rosterImport.errors.${key}`,
  values,
});

/** Import the uploaded file, all or nothing; then show the outcome on this page (after a redirect). */
export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request, ["admin", "coordinator"]);
  const eventId = idParam(params.eventId);
  if (!isMultipart(request)) return refused([fileProblem("noFile")]);
  let formData: FormData;
  try {
    formData = await readMultipartFormData(
      request,
      unstable_createMemoryUploadHandler({ maxPartSize: ROSTER_IMPORT_MAX_BYTES, filter: ({ name }) => name === "file" }),
    );
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return refused([fileProblem("tooLarge", { max: ROSTER_IMPORT_MAX_BYTES / 1_000_000 })]);
    throw error;
  }
  const file = formData.get("file");
  if (!file || typeof file === "string" || (file.size === 0 && !file.name)) return refused([fileProblem("noFile")]);
  const bytes = new Uint8Array(await file.arrayBuffer());
  let outcome: Awaited<ReturnType<typeof importRoster>>;
  try {
    outcome = await importRoster(actor, eventId, bytes, config().appUrl);
  } catch (error) {
    if (error instanceof RosterImportRejected) return refused(error.problems);
    throw error;
  }
  return await redirectWithFlash(`/events/${eventId}/roster/import?result=${outcome.auditId}`, "flash.rosterUpdated");
}

/** The columns with a fixed list of values, the catalogue where each value's label lives, and the value used when empty. */
const CHOICES = [
  { column: "sex", values: SEXES, labels: "person.sexes", fallback: null },
  { column: "role_category", values: ROLE_CATEGORIES, labels: "roleCategory", fallback: null },
  { column: "event_role", values: EVENT_ROLES, labels: "eventRole", fallback: "participant" },
  { column: "status", values: REGISTRATION_STATUSES, labels: "registrationStatus", fallback: "confirmed" },
] as const satisfies readonly { column: string; values: readonly string[]; labels: string; fallback: string | null }[];

const cellClass = "px-3 py-2 text-start align-top";
const headClass = "px-3 py-2 text-start font-semibold";

export default function RosterImport() {
  const { eventId, result, columns, requiredColumns, maxRows, maxMegabytes, organisations, organisationCount } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t, i18n } = useTranslation();
  const n = (v: number) => formatNumber(v, i18n.language);
  const busy = navigation.state === "submitting";

  // keys chosen at run time (the model's messages, the vocabularies' labels)
  const tKey = t as unknown as (key: string, options?: Record<string, string>) => string;
  const describe = (problem: RosterImportProblem) => {
    const values = Object.fromEntries(Object.entries(problem.values).map(([k, v]) => [k, typeof v === "number" ? n(v) : v]));
    const message = tKey(problem.key, values);
    if (problem.line !== null && problem.column !== null) return t("rosterImport.problems.atCell", { line: n(problem.line), column: problem.column, message });
    if (problem.line !== null) return t("rosterImport.problems.atLine", { line: n(problem.line), message });
    return message;
  };
  const problems = actionData?.problems ?? [];
  const hidden = actionData ? actionData.total - problems.length : 0;

  return (
    <div className="max-w-4xl space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <h2 className="text-xl font-semibold">{t("rosterImport.title")}</h2>
        <Link to={`/events/${eventId}/roster`} className="text-sm font-medium">{t("rosterImport.backToRoster")}</Link>
      </div>

      {result && !actionData ? (
        <Notice tone="success">
          <h3 className="font-semibold">{t("rosterImport.result.title")}</h3>
          <ul className="mt-1 space-y-0.5">
            <li>{t("rosterImport.result.created", { n: n(result.created) })}</li>
            <li>{t("rosterImport.result.recognised", { n: n(result.recognised) })}</li>
            <li>{t("rosterImport.result.alreadyOnRoster", { n: n(result.alreadyOnRoster) })}</li>
          </ul>
        </Notice>
      ) : null}

      {problems.length > 0 ? (
        <div role="alert" tabIndex={-1} className="rounded-md border border-red-300 bg-red-50 p-4 text-sm text-red-800" aria-labelledby="import-problems-title">
          <h3 id="import-problems-title" className="font-semibold">{t("rosterImport.problems.title")}</h3>
          <p className="mt-1">{t("rosterImport.problems.intro")}</p>
          <ul className="mt-2 list-disc space-y-1 ps-5">
            {problems.map((p, i) => (
              <li key={i}><bdi>{describe(p)}</bdi></li>
            ))}
          </ul>
          {hidden > 0 ? <p className="mt-2 font-medium">{t("rosterImport.problems.more", { n: n(hidden) })}</p> : null}
        </div>
      ) : null}

      <Card title={t("rosterImport.uploadTitle")}>
        <p className="mb-4 text-sm text-slate-700">{t("rosterImport.intro")}</p>
        <p className="mb-1 text-sm">
          <a href={`/events/${eventId}/roster/template.csv`} download className="font-medium">{t("rosterImport.template")}</a>
        </p>
        <p className="mb-4 text-sm text-slate-600">{t("rosterImport.templateHint")}</p>
        <Form method="post" encType="multipart/form-data" className="space-y-4">
          <TextField
            name="file"
            type="file"
            accept=".csv,text/csv"
            required
            label={t("rosterImport.file")}
            hint={t("rosterImport.fileHint", { size: n(maxMegabytes) })}
          />
          <Button disabled={busy} aria-disabled={busy}>{busy ? t("rosterImport.importing") : t("rosterImport.submit")}</Button>
          {busy ? <p role="status" className="text-sm text-slate-700">{t("rosterImport.importing")}</p> : null}
        </Form>
      </Card>

      <Card title={t("rosterImport.rulesTitle")}>
        <ul className="list-disc space-y-1 ps-5 text-sm">
          <li>{t("rosterImport.rules.limits", { rows: n(maxRows), size: n(maxMegabytes) })}</li>
          <li>{t("rosterImport.rules.delimiter")}</li>
          <li>{t("rosterImport.rules.recognised")}</li>
          <li>{t("rosterImport.rules.skipped")}</li>
          <li>{t("rosterImport.rules.capacity")}</li>
          <li>{t("rosterImport.rules.formulas")}</li>
          <li>{t("rosterImport.rules.noEmail")}</li>
        </ul>
      </Card>

      <Card title={t("rosterImport.columnsTitle")}>
        <div className="overflow-x-auto">
          <table className="min-w-full divide-y divide-slate-200 text-sm">
            <caption className="sr-only">{t("rosterImport.columnsCaption")}</caption>
            <thead className="bg-slate-100">
              <tr>
                <th scope="col" className={headClass}>{t("rosterImport.column")}</th>
                <th scope="col" className={headClass}>{t("rosterImport.meaning")}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {columns.map((column) => (
                <tr key={column}>
                  <th scope="row" className={`${cellClass} font-normal`}>
                    <code dir="ltr" className="font-mono font-semibold">{column}</code>
                    <div className="text-xs text-slate-600">{requiredColumns.includes(column) ? t("rosterImport.required") : t("rosterImport.optional")}</div>
                  </th>
                  <td className={cellClass}>{t(`rosterImport.columnHelp.${column}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Card>

      <Card title={t("rosterImport.valuesTitle")}>
        <div className="grid gap-6 md:grid-cols-2">
          {CHOICES.map((choice) => (
            <table key={choice.column} className="min-w-full divide-y divide-slate-200 text-sm">
              <caption className="pb-2 text-start font-semibold">
                {t("rosterImport.valuesCaption", { column: choice.column })}
              </caption>
              <thead className="bg-slate-100">
                <tr>
                  <th scope="col" className={headClass}>{t("rosterImport.value")}</th>
                  <th scope="col" className={headClass}>{t("rosterImport.valueMeaning")}</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {(choice.values as readonly string[]).map((value) => (
                  <tr key={value}>
                    <td className={cellClass}><code dir="ltr" className="font-mono">{value}</code></td>
                    <td className={cellClass}>
                      {value === choice.fallback ? t("rosterImport.defaultValue", { label: tKey(`${choice.labels}.${value}`) }) : tKey(`${choice.labels}.${value}`)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ))}
        </div>
      </Card>

      <Card title={t("rosterImport.organisationsTitle")}>
        {organisationCount === 0 ? (
          <p className="text-sm text-slate-700">{t("rosterImport.noOrganisations")}</p>
        ) : (
          <>
            <p className="mb-2 text-sm text-slate-700">{t("rosterImport.organisationsHint")}</p>
            {organisations ? (
              <ul className="list-disc space-y-0.5 ps-5 text-sm">
                {organisations.map((name) => (
                  <li key={name}><bdi>{name}</bdi></li>
                ))}
              </ul>
            ) : (
              <a href={`/events/${eventId}/roster/organisations.csv`} download className="text-sm font-medium">
                {t("rosterImport.organisationsDownload", { count: organisationCount, formatted: formatNumber(organisationCount, i18n.language) })}
              </a>
            )}
          </>
        )}
      </Card>
    </div>
  );
}
