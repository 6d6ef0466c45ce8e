import { Transform, type TransformCallback } from "node:stream";
import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import type { ReactElement } from "react";
import { renderToPipeableStream } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import { routeNamespaces } from "./i18n";
import { keepNamespacesOf, pageTranslator, remixI18n } from "./i18n.server";

export { startServices, stopServices } from "./services.server";
// the HTTP server (server/app.ts) records every 403 a signed-in user receives
export { recordPermissionDenial } from "./models/audit.server";

const ABORT_DELAY = 5000;

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
  const instance = pageTranslator(lng);
  // the namespaces this page's `/locales` link asks for (root.tsx): that answer is kept compressed
  const { matches } = remixContext.staticHandlerContext;
  keepNamespacesOf(instance.language, routeNamespaces(matches.map((match) => ({ handle: remixContext.routeModules[match.route.id]?.handle }))));
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
        const body = new WithoutStrayNulBytes();
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

/**
 * React 18's streaming renderer encodes HTML into 2,048-byte buffers; when a multi-byte character
 * (Arabic, an em dash) does not fit at a buffer's end it sends the whole buffer anyway, its 1–3
 * unwritten bytes included, and the page carries NUL characters (react#31134, fixed in React 19
 * only; Remix 2 needs React 18). A NUL is never wanted in a page (browsers show nothing for it),
 * so the 1–3 NUL bytes that end a chunk are dropped here.
 */
export class WithoutStrayNulBytes extends Transform {
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
    let end = chunk.length;
    while (end > 0 && chunk.length - end < 3 && chunk[end - 1] === 0) end--;
    callback(null, end === chunk.length ? chunk : chunk.subarray(0, end));
  }
}

export function handleError(error: unknown, { request }: { request: Request }) {
  if (request.signal.aborted) return;
  // an unknown URL is the visitor's mistake, not ours: the 404 page is enough
  if (isRouteErrorResponse(error) && error.status === 404) return;
  console.error(error);
}
