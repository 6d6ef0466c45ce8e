import type { LoaderFunctionArgs } from "@remix-run/node";
import { isSupportedLocale } from "~/i18n";
import { namespacesJson, translationVersion } from "~/i18n.server";

/**
 * Namespaces of one language for the browser: `/locales/fr?ns=nav,roster&v=<version>` answers
 * `{"nav":{…},"roster":{…}}`. Public (the texts are the app's, the same for everyone). Under the
 * current version of the language the answer is cached for good; another version (a page opened
 * before a deployment) gets today's texts, revalidated each time.
 */
export function loader({ request, params }: LoaderFunctionArgs) {
  const lng = params.lng;
  const url = new URL(request.url);
  const requested = (url.searchParams.get("ns") ?? "").split(",");
  const body = isSupportedLocale(lng) ? namespacesJson(lng, requested) : null;
  if (body === null) throw new Response("Not found", { status: 404 });
  const current = url.searchParams.get("v") === translationVersion(lng!);
  return new Response(body, {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Cache-Control": current ? "public, max-age=31536000, immutable" : "no-cache",
    },
  });
}
