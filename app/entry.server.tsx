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
// the HTTP layer runs each GET and HEAD inside one page view (what its loaders read alike, read once)
export { inPageView } from "./lib/page-view.server";

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
        const body = new PageStream();
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
 * The page as React writes it, on its way to the response.
 *
 * - **In pieces as large as what is ready.** React writes its HTML in 2,048-byte buffers and then
 *   calls the destination's `flush()` once it has written all it has ready (the convention of
 *   Node's compression streams). Each piece sent on would travel alone through the web stream
 *   Remix reads, the response and the compressor (server/request-body.ts writes each, a page of
 *   100 kB was about 50 pieces). The pieces are kept until React's `flush()` (or the end) and sent
 *   on together; what the page streams later (deferred data) still goes out as soon as React has it.
 * - **Without stray NUL bytes.** When a multi-byte character (Arabic, an em dash) does not fit at
 *   a buffer's end, React 18 sends the whole buffer anyway, its 1–3 unwritten bytes included, and
 *   the page carries NUL characters (react#31134, fixed in React 19 only; Remix 2 needs React 18).
 *   A NUL is never wanted in a page (browsers show nothing for it), so the 1–3 NUL bytes that end
 *   a buffer are dropped.
 */
export class PageStream extends Transform {
  #pieces: Buffer[] = [];

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
    let end = chunk.length;
    while (end > 0 && chunk.length - end < 3 && chunk[end - 1] === 0) end--;
    if (end > 0) this.#pieces.push(end === chunk.length ? chunk : chunk.subarray(0, end));
    callback();
  }

  /** Called by React once it has written everything it has ready. */
  flush() {
    if (this.#pieces.length === 0) return;
    const pieces = this.#pieces;
    this.#pieces = [];
    this.push(pieces.length === 1 ? pieces[0] : Buffer.concat(pieces));
  }

  override _flush(callback: TransformCallback) {
    this.flush();
    callback();
  }
}

export function handleError(error: unknown, { request }: { request: Request }) {
  if (request.signal.aborted) return;
  // an unknown URL is the visitor's mistake, not ours: the 404 page is enough
  if (isRouteErrorResponse(error) && error.status === 404) return;
  console.error(error);
}
