import type { MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Card, PageHeader } from "~/components/ui/page";
import { pageTitle } from "~/lib/meta";
import { OPENAPI } from "~/lib/openapi";

/**
 * /api/docs: the API's description as a page (from the same OpenAPI document as
 * /api/v1/openapi.json). The operations' own texts are in English, as the document is.
 */
export const handle = { i18n: ["apiTokens"] };

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "apiTokens.docsPage.title");

type Parameter = { name: string; in: string; description?: string; schema?: { type?: string } };
type Operation = { operationId: string; summary: string; parameters?: readonly Parameter[]; responses: Record<string, { description?: string }> };

const METHODS = ["get", "post", "put", "patch", "delete"];

/** The operations as the page lists them (the document stays on the server), with their path's parameters. */
export function loader() {
  const paths = OPENAPI.paths as unknown as Record<string, Record<string, Operation> & { parameters?: readonly Parameter[] }>;
  const operations = Object.entries(paths).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method]).map((method) => {
      const op = item[method];
      return { path: `/api/v1${path}`, method, op: { ...op, parameters: [...(item.parameters ?? []), ...(op.parameters ?? [])] } };
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
      {operations.map(({ path, method, op }) => (
        <Card key={op.operationId}>
          <h2 className="font-mono text-base font-semibold" dir="ltr">
            {`${method.toUpperCase()} ${path}`}
          </h2>
          <p className="mt-1 text-sm" dir="ltr" lang="en">{op.summary}</p>
          {op.parameters?.length ? (
            <div className="mt-3 overflow-x-auto">
              <table className="min-w-full text-sm" dir="ltr" lang="en">
                <caption className="sr-only">{t("apiTokens.docsPage.parameters")}</caption>
                <thead className="bg-slate-100">
                  <tr>
                    <th scope="col" className="px-2 py-1 text-start">{t("apiTokens.docsPage.parameter")}</th>
                    <th scope="col" className="px-2 py-1 text-start">{t("apiTokens.docsPage.description")}</th>
                  </tr>
                </thead>
                <tbody>
                  {op.parameters.map((p) => (
                    <tr key={p.name} className="border-t border-slate-100">
                      <td className="px-2 py-1 font-mono">{p.name}</td>
                      <td className="px-2 py-1">{p.description ?? p.schema?.type ?? ""}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
          <p className="mt-3 text-sm" dir="ltr" lang="en">
            {Object.entries(op.responses)
              .map(([status, r]) => `${status} ${r.description ?? ""}`)
              .join(" · ")}
          </p>
        </Card>
      ))}
    </div>
  );
}
