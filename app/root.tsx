import type { HeadersFunction, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import {
  isRouteErrorResponse,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLoaderData,
  useMatches,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { useEffect, useState } from "react";
import { useTranslation as useI18nextTranslation } from "react-i18next";
import { useTranslation } from "~/lib/translation";
import { useChangeLanguage } from "remix-i18next/react";
import { getSessionUser } from "./auth/session.server";
import { AppShell } from "./components/app-shell";
import { Notice } from "./components/ui/page";
import { readFlash } from "./flash.server";
import { COMMON_NAMESPACES, directionOf, isSupportedLocale, routeNamespaces, translationsUrl } from "./i18n";
import { pickLocale, remixI18n, translationVersion } from "./i18n.server";
import stylesheet from "./tailwind.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [{ title: "Convene" }];

export const handle = { i18n: COMMON_NAMESPACES };

/** A 429 page keeps the Retry-After its refusal carried. */
export const headers: HeadersFunction = ({ errorHeaders }) => {
  const headers = new Headers();
  const retryAfter = errorHeaders?.get("Retry-After");
  if (retryAfter) headers.set("Retry-After", retryAfter);
  return headers;
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await getSessionUser(request);
  // a signed-in user's own language needs no look at the cookie or the Accept-Language header
  const profileLocale = session?.user.locale;
  const locale = isSupportedLocale(profileLocale) ? profileLocale : pickLocale(profileLocale, await remixI18n.getLocale(request));
  const flash = await readFlash(request);
  // a restricted session (a password to change, a second factor to enrol) gets no navigation: every page but one would send it back
  const user = session ? { name: session.user.name, role: session.user.role, restricted: session.session.restriction !== null } : null;
  return data(
    {
      user,
      locale,
      translations: translationVersion(locale),
      flash: flash.message,
      nonce: (context as { cspNonce?: string }).cspNonce ?? "",
    },
    flash.setCookie ? { headers: { "Set-Cookie": flash.setCookie } } : undefined,
  );
}

export function Layout({ children }: { children: React.ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  const locale = data?.locale ?? "en";
  // the page is usable once React has hydrated it: the browser benchmark (bench/client.ts) waits for this
  useEffect(() => document.documentElement.setAttribute("data-hydrated", ""), []);
  const namespaces = routeNamespaces(useMatches());
  // the first page's texts, fetched while the scripts load (app/i18n.client.ts); later pages get
  // theirs through i18next, so the link never changes (a new href would fetch again)
  const [translations] = useState(() => translationsUrl(locale, namespaces, data?.translations ?? ""));
  return (
    <html lang={locale} dir={directionOf(locale)}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <link rel="preload" as="fetch" crossOrigin="anonymous" href={translations} data-translations="" />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration nonce={data?.nonce} />
        <Scripts nonce={data?.nonce} />
      </body>
    </html>
  );
}

export default function App() {
  const { user, locale, flash } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  // the page waits (keeping the previous one on screen) until its namespaces have arrived
  useI18nextTranslation(routeNamespaces(useMatches()) as never, { lng: locale, useSuspense: true });
  useChangeLanguage(locale);
  return (
    <AppShell user={user}>
      {flash ? (
        <div className="mb-4">
          <Notice tone="success">{t(flash as "flash.saved")}</Notice>
        </div>
      ) : null}
      <Outlet />
    </AppShell>
  );
}

/** Errors help the user: what happened and where to go next; never a stack trace. */
export function ErrorBoundary() {
  const error = useRouteError();
  const data = useRouteLoaderData<typeof loader>("root");
  const { t } = useTranslation();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const key = status === 403 ? "forbidden" : status === 404 ? "notFound" : status === 429 ? "tooMany" : status >= 400 && status < 500 ? "badRequest" : "server";
  return (
    <AppShell user={data?.user ?? null}>
      <div className="mx-auto max-w-xl rounded-lg border border-slate-200 bg-white p-8 shadow-sm">
        <p className="text-sm font-semibold text-slate-600">
          {t("errorPage.status")} {status}
        </p>
        <h1 className="mt-1 text-2xl font-bold">{t(`errorPage.${key}.title`)}</h1>
        <p className="mt-3 text-slate-700">{t(`errorPage.${key}.body`)}</p>
        <p className="mt-6">
          <a href="/">{t("errorPage.home")}</a>
        </p>
      </div>
    </AppShell>
  );
}
