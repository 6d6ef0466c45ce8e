import { PassThrough } from "node:stream";
import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { createInstance, type i18n as I18n } from "i18next";
import { isbot } from "isbot";
import type { ReactElement } from "react";
import { renderToPipeableStream } from "react-dom/server";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { fallbackLocale, i18nConfig, isSupportedLocale, memoizeTranslations } from "./i18n";
import { remixI18n } from "./i18n.server";

export { startServices, stopServices } from "./services.server";
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

  return await renderToResponse(
    <I18nextProvider i18n={instance}>
      <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
    </I18nextProvider>,
    { status: responseStatusCode, headers: responseHeaders, readyEvent, nonce },
  );
}

/**
 * A page as a streamed HTML response. A render still unfinished after ABORT_DELAY is aborted (its
 * pending parts rendered on the client); once React has written the whole page the timer — and
 * with it the render's whole state — is released at once: a busy server otherwise kept five
 * seconds of rendered pages alive (150 MB at 125 pages a second).
 */
export function renderToResponse(
  element: ReactElement,
  options: { status: number; headers: Headers; readyEvent: "onAllReady" | "onShellReady"; nonce?: string },
): Promise<Response> {
  const { headers, readyEvent, nonce } = options;
  let status = options.status;
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(element, {
      nonce,
      [readyEvent]() {
        shellRendered = true;
        const body = new PassThrough();
        body.on("finish", () => clearTimeout(timer));
        headers.set("Content-Type", "text/html; charset=utf-8");
        resolve(new Response(createReadableStreamFromReadable(body), { headers, status }));
        pipe(body);
      },
      onShellError(error: unknown) {
        clearTimeout(timer);
        reject(error);
      },
      onError(error: unknown) {
        status = 500;
        // Log server-side only; the page shows no stack trace.
        if (shellRendered) console.error(error);
      },
    });
    const timer = setTimeout(abort, ABORT_DELAY);
  });
}

export function handleError(error: unknown, { request }: { request: Request }) {
  if (request.signal.aborted) return;
  // an unknown URL is the visitor's mistake, not ours: the 404 page is enough
  if (isRouteErrorResponse(error) && error.status === 404) return;
  console.error(error);
}
