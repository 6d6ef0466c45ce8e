import { MaxPartSizeExceededError, unstable_parseMultipartFormData, type UploadHandler } from "@remix-run/node";

/**
 * The one way an action reads its body. Our pages only ever send HTML forms; anything else (JSON,
 * text, no Content-Type, multipart without a boundary, a truncated or garbled body) is the
 * sender's mistake and answers 415 or 400 with a sentence saying what was wrong, never a 500.
 * Nothing has changed when these are thrown: the body is read before an action acts.
 */

/** Thrown by the HTTP layer's body counter when a body grows past its limit (server/request-body.ts). */
export const REQUEST_TOO_LARGE = "RequestTooLargeError";

const FORM_TYPES = new Set(["application/x-www-form-urlencoded", "multipart/form-data"]);

function refusal(status: number, message: string) {
  return new Response(message, { status, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
}

/** The media type alone, lower case ("multipart/form-data"), and whether a non-empty boundary came with it. */
function contentTypeOf(request: Request) {
  const header = request.headers.get("Content-Type") ?? "";
  const type = header.split(";")[0].trim().toLowerCase();
  const boundary = /;\s*boundary=("?)([^";]+)\1/i.exec(header)?.[2] ?? "";
  return { type, boundary };
}

function checkContentType(request: Request, accepted: ReadonlySet<string>) {
  const { type, boundary } = contentTypeOf(request);
  if (!accepted.has(type)) {
    const expected = [...accepted].join(" or ");
    throw refusal(415, type ? `This address takes a form (${expected}), not ${type}.` : `This address takes a form (${expected}); the request had no Content-Type.`);
  }
  if (type === "multipart/form-data" && !boundary) throw refusal(400, "The form could not be read: multipart/form-data without a boundary.");
}

function unreadable(request: Request, error: unknown): never {
  // the HTTP layer has answered 413 already; this only ends the action quietly
  if ((error as Error | null)?.name === REQUEST_TOO_LARGE) throw refusal(413, "The request is larger than this address accepts.");
  if (request.signal.aborted) throw error;
  throw refusal(400, "The form could not be read: its body is not well-formed.");
}

/**
 * The form without NUL characters in its names and text values: no one types U+0000, it only
 * arrives in forged requests, and PostgreSQL cannot store it in text. Removed before validation,
 * so that a required field holding nothing else is empty.
 */
function withoutNul(form: FormData): FormData {
  let found = false;
  for (const [name, value] of form.entries()) {
    if (name.includes("\u0000") || (typeof value === "string" && value.includes("\u0000"))) {
      found = true;
      break;
    }
  }
  if (!found) return form;
  const clean = new FormData();
  for (const [name, value] of form.entries()) {
    const key = name.replaceAll("\u0000", "");
    if (typeof value === "string") clean.append(key, value.replaceAll("\u0000", ""));
    else clean.append(key, value);
  }
  return clean;
}

/** A form (URL-encoded or multipart), kept in memory: forms without files are small (FORM_MAX_BYTES). */
export async function readFormData(request: Request): Promise<FormData> {
  checkContentType(request, FORM_TYPES);
  try {
    return withoutNul(await request.formData());
  } catch (error) {
    unreadable(request, error);
  }
}

/**
 * A multipart form whose parts go through `uploadHandler` as they stream in (uploads). A part over
 * the handler's own limit still throws MaxPartSizeExceededError, so that the page can say which
 * field was too large; any other failure to read is a 400.
 */
export async function readMultipartFormData(request: Request, uploadHandler: UploadHandler): Promise<FormData> {
  checkContentType(request, new Set(["multipart/form-data"]));
  try {
    return withoutNul(await unstable_parseMultipartFormData(request, uploadHandler));
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) throw error;
    unreadable(request, error);
  }
}

/** Whether the request says it carries a multipart form (a page that takes files or plain fields). */
export function isMultipart(request: Request) {
  return contentTypeOf(request).type === "multipart/form-data";
}
