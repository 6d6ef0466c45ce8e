/**
 * How much a request may carry. The HTTP layer (server/request-body.ts) refuses a larger body with
 * 413 while it streams in, before anything is buffered; the two upload pages check their own file
 * limit inside the form as well, to say so beside the file field. One place for these numbers, so
 * the pages, the models and the HTTP layer cannot disagree.
 */

/** A form without a file: a thousand times the longest text field any form has. */
export const FORM_MAX_BYTES = 1_000_000;
/** A JSON body sent to the API (/api/v1): an attendance sheet of 500 people is a tenth of this. */
export const API_BODY_MAX_BYTES = 256_000;
/** A progress update's attachment (action plans). */
export const ATTACHMENT_MAX_BYTES = 5_000_000;
/** A roster import (CSV). */
export const ROSTER_IMPORT_MAX_BYTES = 5_000_000;

export type RequestLimit = {
  /** the whole body, multipart framing and the other fields included */
  bytes: number;
  /** the largest file this address accepts, when it accepts one */
  fileBytes: number | null;
};

/**
 * The addresses that take a file (case-insensitive like Remix's route matching; `.data` is the
 * same action reached by Remix's client-side navigation). A file may weigh its own limit, and the
 * rest of the form up to FORM_MAX_BYTES.
 */
const UPLOADS: { path: RegExp; fileBytes: number }[] = [
  { path: /^\/events\/[^/]+\/action-plans\/[^/]+\/?(?:\.data)?$/i, fileBytes: ATTACHMENT_MAX_BYTES },
  { path: /^\/events\/[^/]+\/roster\/import\/?(?:\.data)?$/i, fileBytes: ROSTER_IMPORT_MAX_BYTES },
];

export function requestLimitFor(pathname: string): RequestLimit {
  if (isApiPath(pathname)) return { bytes: API_BODY_MAX_BYTES, fileBytes: null };
  const upload = UPLOADS.find((u) => u.path.test(pathname));
  if (!upload) return { bytes: FORM_MAX_BYTES, fileBytes: null };
  return { bytes: upload.fileBytes + FORM_MAX_BYTES, fileBytes: upload.fileBytes };
}

/** "5 MB", as the pages say it (decimal megabytes, like the file fields' hints). */
export function megabytes(bytes: number) {
  return `${Math.round((bytes / 1_000_000) * 10) / 10} MB`;
}

/** The API's addresses (case-insensitive, like Remix's route matching): JSON, answered as problem details. */
export function isApiPath(pathname: string) {
  return /^\/api\/v1\//i.test(pathname);
}
