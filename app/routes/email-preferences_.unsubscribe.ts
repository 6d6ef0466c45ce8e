import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { clientIp, forbidden } from "~/auth/session.server";
import { getEmailPreferences, linkAccess, linkParams, unsubscribeOneClick } from "~/models/email-preferences.server";
import { readFormData } from "~/lib/form-data.server";

/**
 * /email-preferences/unsubscribe?u=<userId>&t=<token> (or ?p=<personId>&t=<token>) — the one-click
 * unsubscribe of RFC 8058, named in the List-Unsubscribe header of every reminder.
 *
 * POST with the body `List-Unsubscribe=One-Click` (form-encoded or multipart, as mail clients send
 * it): turns that recipient's reminder emails OFF and answers 200. It comes from the mail client or
 * provider, with no session and any Origin (or none), so it is the one POST the server's Origin
 * check lets through (app/auth/origin.server.ts): the token in the URL is its only credential, and
 * it can do nothing else — never turn reminders on, never read or change anything more. A wrong
 * token: 403; any other body: 400; nothing changes either way.
 *
 * GET (someone opening the URL in a browser): the preferences page of the same link, where the
 * choice is confirmed with a POST of our own pages.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const link = linkParams(new URL(request.url).searchParams);
  if (!link) throw forbidden();
  return redirect(`/email-preferences?${new URLSearchParams({ [link.key]: link.id, t: link.t })}`);
}

function text(body: string, status: number) {
  return new Response(body, { status, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
}

export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return text("Method not allowed", 405);
  const link = linkParams(new URL(request.url).searchParams);
  if (!link) throw forbidden();
  const access = linkAccess(link, clientIp(request));
  await getEmailPreferences(access); // a wrong token is refused (403) before the body is even read
  let form: FormData;
  try {
    form = await readFormData(request);
  } catch {
    return text("Expected List-Unsubscribe=One-Click", 400);
  }
  if (form.get("List-Unsubscribe") !== "One-Click") return text("Expected List-Unsubscribe=One-Click", 400);
  await unsubscribeOneClick(access);
  return text("Unsubscribed: you will no longer receive reminder emails from Convene.", 200);
}
