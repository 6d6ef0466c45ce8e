import type { MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/lib/translation";
import { Card, PageHeader } from "~/components/ui/page";
import { pageTitle } from "~/lib/meta";
import { OPENAPI } from "~/lib/openapi";

/**
 * /api/docs: the API's description as a page (from the same OpenAPI document as
 * /api/v1/openapi.json). The operations' own texts are in English, as the document is.
 */
export const handle = { i18n: ["apiTokens"] };

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "apiTokens.docsPage.title");

type Schema = { type?: string | readonly string[]; enum?: readonly string[]; $ref?: string; description?: string; properties?: Record<string, Schema>; required?: readonly string[] };
type Parameter = { name: string; in: string; description?: string; schema?: Schema };
type Operation = {
  operationId: string;
  summary: string;
  parameters?: readonly Parameter[];
  requestBody?: { description?: string; content: Record<string, { schema: Schema }> };
  responses: Record<string, { description?: string }>;
};

const SCHEMAS = OPENAPI.components.schemas as unknown as Record<string, Schema>;
const schemaOf = (schema: Schema | undefined) => (schema?.$ref ? SCHEMAS[schema.$ref.split("/").at(-1)!] : schema);

/** What a parameter or field takes, in a few words: its description, its choices, or its type. */
function shape(schema: Schema | undefined): string {
  const s = schemaOf(schema);
  if (!s) return "";
  if (s.description) return s.description;
  if (s.enum) return s.enum.join(" | ");
  return [s.type ?? ""].flat().join(" or ");
}

const METHODS = ["get", "post", "put", "patch", "delete"];

/** The operations as the page lists them (the document stays on the server), with their path's parameters. */
export function loader() {
  const paths = OPENAPI.paths as unknown as Record<string, Record<string, Operation> & { parameters?: readonly Parameter[] }>;
  const operations = Object.entries(paths).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method]).map((method) => {
      const op = item[method];
      const parameters = [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p) => ({ name: p.name, in: p.in, text: p.description ?? shape(p.schema) }));
      const bodySchema = schemaOf(op.requestBody?.content["application/json"]?.schema);
      const body = op.requestBody
        ? {
            description: [op.requestBody.description, bodySchema?.description].filter(Boolean).join(". "),
            fields: Object.entries(bodySchema?.properties ?? {}).map(([name, field]) => ({ name, required: bodySchema?.required?.includes(name) ?? false, text: shape(field) })),
          }
        : null;
      // the problem answers in one line ("400, 401, 404: an error, as RFC 9457 problem details")
      const all = Object.entries(op.responses).sort(([a], [b]) => a.localeCompare(b));
      const problems = all.filter(([, r]) => r.description?.startsWith("An error")).map(([status]) => status);
      const responses = [
        ...all.filter(([, r]) => !r.description?.startsWith("An error")).map(([status, r]) => `${status} ${r.description ?? ""}`),
        ...(problems.length ? [`${problems.join(", ")}: an error, as RFC 9457 problem details`] : []),
      ];
      return { path: `/api/v1${path}`, method, operationId: op.operationId, summary: op.summary, parameters, body, responses };
    }),
  );
  const example = `curl -H "Authorization: Bearer cvn_…" "https://convene.example/api/v1/events?limit=10"`;
  return { description: OPENAPI.info.description, operations, example };
}

export default function ApiDocs() {
  const { t } = useTranslation();
  const { description, operations, example } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-6">
      <PageHeader title={t("apiTokens.docsPage.title")} />
      <div className="max-w-prose space-y-2 text-sm text-slate-700">
        <p>{t("apiTokens.docsPage.intro")}</p>
        <p>
          <a href="/api/v1/openapi.json">{t("apiTokens.docsPage.document")}</a> · <a href="/account/tokens">{t("apiTokens.title")}</a>
        </p>
      </div>
      <Card>
        <p className="text-sm" dir="ltr" lang="en">{description}</p>
        <pre className="mt-3 overflow-x-auto rounded bg-slate-100 p-3 text-xs" dir="ltr">
          {example}
        </pre>
      </Card>
      {operations.map(({ path, method, operationId, summary, parameters, body, responses }) => (
        <Card key={operationId}>
          <h2 className="font-mono text-base font-semibold break-words" dir="ltr">
            {`${method.toUpperCase()} ${path}`}
          </h2>
          <p className="mt-1 text-sm" dir="ltr" lang="en">{summary}</p>
          {parameters.length ? (
            <div className="mt-3 overflow-x-auto" role="region" tabIndex={0} aria-label={`${t("apiTokens.docsPage.parameters")}: ${method.toUpperCase()} ${path}`}>
              <table className="min-w-full text-sm" dir="ltr" lang="en">
                <caption className="sr-only">{t("apiTokens.docsPage.parameters")}</caption>
                <thead className="bg-slate-100">
                  <tr>
                    <th scope="col" className="px-2 py-1 text-start">{t("apiTokens.docsPage.parameter")}</th>
                    <th scope="col" className="px-2 py-1 text-start">{t("apiTokens.docsPage.description")}</th>
                  </tr>
                </thead>
                <tbody>
                  {parameters.map((p) => (
                    <tr key={`${p.in}:${p.name}`} className="border-t border-slate-100">
                      <td className="px-2 py-1 font-mono">
                        {p.name} <span className="text-xs text-slate-600">({p.in})</span>
                      </td>
                      <td className="px-2 py-1">{p.text}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
          {body ? (
            <div className="mt-3 text-sm">
              <p>
                <span className="font-semibold">{t("apiTokens.docsPage.body")}</span>{" "}
                <span dir="ltr" lang="en">
                  {body.description}
                </span>
              </p>
              {body.fields.length ? (
                <ul className="mt-1 flex flex-wrap gap-x-3 gap-y-1 font-mono text-xs" dir="ltr" aria-describedby={body.fields.some((f) => f.required) ? `${operationId}-required` : undefined}>
                  {body.fields.map((f) => (
                    <li key={f.name} title={f.text}>
                      {f.name}
                      {f.required ? "*" : ""}
                    </li>
                  ))}
                </ul>
              ) : null}
              {body.fields.some((f) => f.required) ? (
                <p id={`${operationId}-required`} className="mt-1 text-xs text-slate-600">
                  {t("apiTokens.docsPage.required")}
                </p>
              ) : null}
            </div>
          ) : null}
          <p className="mt-3 text-sm" dir="ltr" lang="en">
            {responses.join(" · ")}
          </p>
        </Card>
      ))}
    </div>
  );
}
