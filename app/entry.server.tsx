import { PassThrough } from "node:stream";
import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { createInstance, type i18n as I18n } from "i18next";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { fallbackLocale, i18nConfig, isSupportedLocale, memoizeTranslations } from "./i18n";
import { remixI18n } from "./i18n.server";

export { startServices } from "./services.server";
// the HTTP server (server/app.ts) records every 403 a signed-in user receives
export { recordPermissionDenial } from "./models/audit.server";

const ABORT_DELAY = 5000;

/**
 * One i18next instance per language for the whole process: the catalogues are bundled and nothing
 * on the server changes an instance's language, so building one per request (its resource store,
 * plural rules, formatters) would only repeat the same work. Lookups are memoized.
 */
const pageTranslators = new Map<string, Promise<I18n>>();
function pageTranslator(requested: string): Promise<I18n> {
  const lng = isSupportedLocale(requested) ? requested : fallbackLocale;
  let instance = pageTranslators.get(lng);
  if (!instance) {
    const created = memoizeTranslations(createInstance());
    instance = created
      .use(initReactI18next)
      .init({ ...i18nConfig, lng, initImmediate: false })
      .then(() => created);
    pageTranslators.set(lng, instance);
  }
  return instance;
}

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  // The root loader has already chosen the language (profile, else Accept-Language, else English).
  const rootData = remixContext.staticHandlerContext.loaderData.root as { locale?: string } | undefined;
  const lng = rootData?.locale ?? (await remixI18n.getLocale(request));
  const instance = await pageTranslator(lng);
  const nonce = (loadContext as { cspNonce?: string }).cspNonce;
  const readyEvent = isbot(request.headers.get("user-agent") ?? "") || remixContext.isSpaMode ? "onAllReady" : "onShellReady";

  // Pages can carry personal data: never cache them in shared or browser caches.
  if (!responseHeaders.has("Cache-Control")) responseHeaders.set("Cache-Control", "no-store");

  return new Promise((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <I18nextProvider i18n={instance}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </I18nextProvider>,
      {
        nonce,
        [readyEvent]() {
          shellRendered = true;
          const body = new PassThrough();
          // once React has written the whole page, nothing is left to abort: the timer (and with
          // it this render's whole state) is released now, not after ABORT_DELAY — a busy server
          // otherwise kept five seconds of rendered pages alive (150 MB at 125 pages a second)
          body.on("finish", () => clearTimeout(timer));
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          resolve(
            new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status: responseStatusCode }),
          );
          pipe(body);
        },
        onShellError(error: unknown) {
          clearTimeout(timer);
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          // Log server-side only; the page shows no stack trace.
          if (shellRendered) console.error(error);
        },
      },
    );
    const timer = setTimeout(abort, ABORT_DELAY);
  });
}

export function handleError(error: unknown, { request }: { request: Request }) {
  if (request.signal.aborted) return;
  // an unknown URL is the visitor's mistake, not ours: the 404 page is enough
  if (isRouteErrorResponse(error) && error.status === 404) return;
  console.error(error);
}
