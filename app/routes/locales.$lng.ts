import type { LoaderFunctionArgs } from "@remix-run/node";
import { isSupportedLocale } from "~/i18n";
import { compressedNamespacesJson, namespacesJson, translationVersion } from "~/i18n.server";
import { acceptedEncoding } from "~/lib/accept-encoding";

/**
 * Namespaces of one language for the browser: `/locales/fr?ns=nav,roster&v=<version>` answers
 * `{"nav":{…},"roster":{…}}`. Public (the texts are the app's, the same for everyone). Under the
 * current version of the language the answer is cached for good, and a page's set of namespaces
 * goes compressed once at the highest level (app/i18n.server.ts); another version (a page opened
 * before a deployment) gets today's texts, revalidated each time.
 */
export function loader({ request, params }: LoaderFunctionArgs) {
  const lng = params.lng;
  const url = new URL(request.url);
  const requested = (url.searchParams.get("ns") ?? "").split(",");
  const body = isSupportedLocale(lng) ? namespacesJson(lng, requested) : null;
  if (body === null || !isSupportedLocale(lng)) throw new Response("Not found", { status: 404 });
  const current = url.searchParams.get("v") === translationVersion(lng);
  const headers = {
    "Content-Type": "application/json; charset=utf-8",
    "Cache-Control": current ? "public, max-age=31536000, immutable" : "no-cache",
    Vary: "Accept-Encoding",
  };
  const encoding = current ? acceptedEncoding(request.headers.get("Accept-Encoding") ?? undefined, ["br", "gzip"]) : null;
  const compressed = encoding ? compressedNamespacesJson(lng, requested, encoding) : null;
  if (encoding && compressed) return new Response(compressed, { headers: { ...headers, "Content-Encoding": encoding } });
  // anything else is compressed as it goes, like every answer (server/compression.ts)
  return new Response(body, { headers });
}
