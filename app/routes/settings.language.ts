import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { getSessionUser, safeRedirect } from "~/auth/session.server";
import { isSupportedLocale } from "~/i18n";
import { localeCookie } from "~/i18n.server";
import { setOwnLocale } from "~/models/accounts.server";
import { readFormData } from "~/lib/form-data.server";

/**
 * Switch language, from any page. Signed-in users keep the choice in their profile (emails and
 * certificates follow it); everyone also gets a cookie, so the login page speaks it too.
 */
export async function action({ request }: ActionFunctionArgs) {
  const formData = await readFormData(request);
  const locale = formData.get("locale");
  const back = safeRedirect(formData.get("redirectTo"));
  if (!isSupportedLocale(locale)) return redirect(back);
  const session = await getSessionUser(request);
  if (session) await setOwnLocale(session.user.id, locale);
  return redirect(back, { headers: { "Set-Cookie": await localeCookie.serialize(locale) } });
}

export async function loader() {
  return redirect("/");
}
